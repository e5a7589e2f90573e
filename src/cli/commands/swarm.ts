// `shoal swarm`: init, join, join-token, update, leave, with docker/cli's
// flags, messages and guard rails (cli/command/swarm). Errors from the
// daemon reach the top-level handler as they are.
import type { Command } from '../framework/command.js';
import type { Global } from '../global.js';
import { swarmInitCommand } from './swarm-init.js';
import { swarmJoinTokenCommand } from './swarm-join-token.js';
import { swarmJoinCommand } from './swarm-join.js';
import { swarmLeaveCommand } from './swarm-leave.js';
import { swarmUpdateCommand } from './swarm-update.js';

export const swarmCommand: Command<Global> = {
  name: 'swarm',
  short: 'Manage Swarm',
  subcommands: [swarmInitCommand, swarmJoinCommand, swarmJoinTokenCommand, swarmLeaveCommand, swarmUpdateCommand],
};
