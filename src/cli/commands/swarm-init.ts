// `shoal swarm init` (docker/cli cli/command/swarm/init.go).
import { DaemonContract, type SwarmInitRequest } from '../../api/contracts/daemon.js';
import { isShoalError, ShoalError } from '../../api/errors.js';
import type { Command } from '../framework/command.js';
import type { FlagDef, Flags } from '../framework/flags.js';
import type { Global } from '../global.js';
import { cidrListFlag, durationFlag, nodeAddrFlag, withDefaultPort } from './swarm-flags.js';

const FLAGS: readonly FlagDef[] = [
  { name: 'advertise-addr', kind: 'string', valueName: 'string', usage: 'Advertised address (format: "<ip|interface>[:port]")' },
  { name: 'data-path-addr', kind: 'string', valueName: 'string', usage: 'Address or interface to use for data path traffic (format: "<ip|interface>")' },
  { name: 'default-addr-pool', kind: 'list', valueName: 'ipNetSlice', usage: 'default address pool in CIDR format', defaultText: '[]' },
  { name: 'default-addr-pool-mask-length', kind: 'uint', valueName: 'uint32', usage: 'default address pool subnet mask length', defaultText: '24' },
  { name: 'dispatcher-heartbeat', kind: 'string', valueName: 'duration', usage: 'Dispatcher heartbeat period (ns|us|ms|s|m|h)', defaultText: '5s' },
  { name: 'force-new-cluster', kind: 'bool', usage: 'Force create a new cluster from current state' },
  { name: 'listen-addr', kind: 'string', valueName: 'node-addr', usage: 'Listen address (format: "<ip|interface>[:port]")', defaultText: '0.0.0.0:2377' },
  { name: 'task-history-limit', kind: 'int', valueName: 'int', usage: 'Task history retention limit', defaultText: '5' },
];

/** The request for the daemon: only what the operator gave, so the daemon's defaults apply. */
export function initRequest(f: Flags): SwarmInitRequest {
  const listenAddr = nodeAddrFlag(f, 'listen-addr');
  const pool = cidrListFlag(f, 'default-addr-pool');
  const heartbeat = durationFlag(f, 'dispatcher-heartbeat');
  const advertiseAddr = f.string('advertise-addr');
  const maskLength = f.number('default-addr-pool-mask-length');
  const history = f.number('task-history-limit');
  return {
    ...(advertiseAddr !== undefined ? { advertiseAddr } : {}),
    ...(listenAddr !== undefined ? { listenAddr } : {}),
    ...(f.bool('force-new-cluster') ? { forceNewCluster: true } : {}),
    ...(pool !== undefined && pool.length > 0 ? { defaultAddrPool: pool } : {}),
    ...(maskLength !== undefined ? { subnetSize: maskLength } : {}),
    ...(heartbeat !== undefined ? { dispatcherHeartbeat: heartbeat } : {}),
    ...(history !== undefined ? { taskHistoryLimit: history } : {}),
  };
}

const NO_ADDRESS = /could not choose an IP address to advertise|could not find the system's IP address/;

export const swarmInitCommand: Command<Global> = {
  name: 'init',
  usage: '[OPTIONS]',
  short: 'Initialize a swarm',
  args: { kind: 'none' },
  flags: FLAGS,
  run: async (ctx) => {
    const request = initRequest(ctx.flags);
    const res = await ctx.global
      .client()
      .call(DaemonContract, 'swarmInit', request)
      .catch((err: unknown) => {
        if (isShoalError(err) && NO_ADDRESS.test(err.message)) {
          throw new ShoalError(err.code, `${err.message} - specify one with --advertise-addr`, err.detail);
        }
        throw err;
      });
    ctx.io.out.write(
      `Swarm initialized: current node (${res.nodeId}) is now a manager.\n\n` +
        `To add a worker to this swarm, run the following command:\n\n    shoal swarm join --token ${res.workerToken} ${withDefaultPort(res.advertiseAddr)}\n\n` +
        "To add a manager to this swarm, run 'shoal swarm join-token manager' and follow the instructions.\n",
    );
  },
};
