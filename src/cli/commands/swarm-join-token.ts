// `shoal swarm join-token` (docker/cli cli/command/swarm/join_token.go).
import { ControlContract } from '../../api/contracts/control.js';
import { DaemonContract } from '../../api/contracts/daemon.js';
import { ShoalError } from '../../api/errors.js';
import type { Command } from '../framework/command.js';
import type { Global } from '../global.js';
import { withDefaultPort } from './swarm-flags.js';

export const swarmJoinTokenCommand: Command<Global> = {
  name: 'join-token',
  usage: '[OPTIONS] (worker|manager)',
  short: 'Manage join tokens',
  args: { kind: 'exact', n: 1 },
  flags: [
    { name: 'quiet', short: 'q', kind: 'bool', usage: 'Only display token' },
    { name: 'rotate', kind: 'bool', usage: 'Rotate join token' },
  ],
  run: async (ctx) => {
    const role = ctx.args[0] ?? '';
    const worker = role === 'worker';
    if (!worker && role !== 'manager') throw new ShoalError('InvalidArgument', `unknown role ${role}`, 'local');
    const quiet = ctx.flags.bool('quiet');
    const client = ctx.global.client();
    let cluster = await client.call(ControlContract, 'getCluster', {});
    if (ctx.flags.bool('rotate')) {
      cluster = await client.call(ControlContract, 'updateCluster', {
        version: cluster.Version.Index,
        ...(worker ? { rotateWorkerToken: true } : { rotateManagerToken: true }),
      });
      if (!quiet) ctx.io.out.write(`Successfully rotated ${role} join token.\n\n`);
    }
    const token = worker ? cluster.JoinTokens.Worker : cluster.JoinTokens.Manager;
    if (quiet) {
      ctx.io.out.write(`${token}\n`);
      return;
    }
    const info = await client.call(DaemonContract, 'info', {});
    const self = await client.call(ControlContract, 'getNode', { ref: info.Swarm.NodeID });
    // Docker prints the command only when this node is a manager with an address.
    if (self.ManagerStatus === undefined) return;
    ctx.io.out.write(`To add a ${role} to this swarm, run the following command:\n\n    shoal swarm join --token ${token} ${withDefaultPort(self.ManagerStatus.Addr)}\n\n`);
  },
};
