// `shoal service`: docker's service commands (docker/cli cli/command/service).
import type { Command } from '../framework/command.js';
import type { Global } from '../global.js';
import { createCommand } from './service/create.js';
import { inspectCommand, removeCommand } from './service/inspect.js';
import { listCommand, psCommand } from './service/list.js';
import { logsCommand } from './service/logs.js';
import { scaleCommand } from './service/scale.js';
import { rollbackCommand, updateCommand } from './service/update.js';

export const serviceCommand: Command<Global> = {
  name: 'service',
  short: 'Manage Swarm services',
  subcommands: [createCommand, inspectCommand, logsCommand, listCommand, psCommand, removeCommand, rollbackCommand, scaleCommand, updateCommand],
};
