// `shoal service`: being built (issue 4/5).
import type { Command } from '../framework/command.js';
import type { Global } from '../global.js';

export const serviceCommand: Command<Global> = {
  name: 'service',
  short: 'Manage services',
  subcommands: [],
};
