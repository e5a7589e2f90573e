// `shoal swarm`: being built (issue 4/5).
import type { Command } from '../framework/command.js';
import type { Global } from '../global.js';

export const swarmCommand: Command<Global> = {
  name: 'swarm',
  short: 'Manage Swarm',
  subcommands: [],
};
