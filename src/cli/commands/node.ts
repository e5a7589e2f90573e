// `shoal node`: being built (issue 4/5).
import type { Command } from '../framework/command.js';
import type { Global } from '../global.js';

export const nodeCommand: Command<Global> = {
  name: 'node',
  short: 'Manage nodes',
  subcommands: [],
};
