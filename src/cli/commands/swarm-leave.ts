// `shoal swarm leave` (docker/cli cli/command/swarm/leave.go).
import { DaemonContract } from '../../api/contracts/daemon.js';
import type { Command } from '../framework/command.js';
import type { Global } from '../global.js';

export const swarmLeaveCommand: Command<Global> = {
  name: 'leave',
  usage: '[OPTIONS]',
  short: 'Leave the swarm',
  args: { kind: 'none' },
  flags: [{ name: 'force', short: 'f', kind: 'bool', usage: 'Force this node to leave the swarm, ignoring warnings' }],
  run: async (ctx) => {
    const force = ctx.flags.bool('force');
    await ctx.global.client().call(DaemonContract, 'swarmLeave', force ? { force } : {});
    ctx.io.out.write('Node left the swarm.\n');
  },
};
