// `shoal swarm join` (docker/cli cli/command/swarm/join.go).
import { DaemonContract, type SwarmJoinRequest } from '../../api/contracts/daemon.js';
import { ShoalError } from '../../api/errors.js';
import type { Command } from '../framework/command.js';
import type { FlagDef } from '../framework/flags.js';
import type { Global } from '../global.js';
import { availabilityFlag, nodeAddrFlag } from './swarm-flags.js';

const FLAGS: readonly FlagDef[] = [
  { name: 'advertise-addr', kind: 'string', valueName: 'string', usage: 'Advertised address (format: "<ip|interface>[:port]")' },
  { name: 'availability', kind: 'string', valueName: 'string', usage: 'Availability of the node ("active", "pause", "drain")', defaultText: '"active"' },
  { name: 'data-path-addr', kind: 'string', valueName: 'string', usage: 'Address or interface to use for data path traffic (format: "<ip|interface>")' },
  // Seen spelled this way in tutorials (seed 004); accepted as a synonym.
  { name: 'datapath-addr', kind: 'string', valueName: 'string', usage: 'Same as --data-path-addr', hidden: true },
  { name: 'listen-addr', kind: 'string', valueName: 'node-addr', usage: 'Listen address (format: "<ip|interface>[:port]")', defaultText: '0.0.0.0:2377' },
  { name: 'token', kind: 'string', valueName: 'string', usage: 'Token for entry into the swarm' },
];

export const swarmJoinCommand: Command<Global> = {
  name: 'join',
  usage: '[OPTIONS] HOST:PORT',
  short: 'Join a swarm as a node and/or manager',
  args: { kind: 'exact', n: 1 },
  flags: FLAGS,
  run: async (ctx) => {
    const f = ctx.flags;
    const availability = availabilityFlag(f);
    const listenAddr = nodeAddrFlag(f, 'listen-addr');
    const advertiseAddr = f.string('advertise-addr');
    const token = f.string('token') ?? '';
    // swarmkit's words when the token is missing (the daemon would refuse the join with them).
    if (token === '') throw new ShoalError('InvalidArgument', 'A valid join token is necessary to join this cluster');
    const request: SwarmJoinRequest = {
      token,
      remoteAddr: ctx.args[0] ?? '',
      ...(advertiseAddr !== undefined ? { advertiseAddr } : {}),
      ...(listenAddr !== undefined ? { listenAddr } : {}),
      ...(availability !== undefined ? { availability } : {}),
    };
    const res = await ctx.global.client().call(DaemonContract, 'swarmJoin', request);
    ctx.io.out.write(res.role === 'manager' ? 'This node joined a swarm as a manager.\n' : 'This node joined a swarm as a worker.\n');
  },
};
