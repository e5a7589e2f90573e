// The `shoal` command tree.
import type { Command } from './framework/command.js';
import { GLOBAL_FLAGS, type Global } from './global.js';
import { consoleCommand } from './commands/console.js';
import { dashboardCommand } from './commands/dashboard.js';
import { infoCommand, versionCommand } from './commands/info.js';
import { nodeCommand } from './commands/node.js';
import { serviceCommand } from './commands/service.js';
import { swarmCommand } from './commands/swarm.js';
import { downCommand, upCommand } from './commands/up.js';

export const rootCommand: Command<Global> = {
  name: 'shoal',
  short: 'A container orchestrator in the Docker Swarm-mode family',
  flags: GLOBAL_FLAGS,
  subcommands: [swarmCommand, nodeCommand, serviceCommand, infoCommand, versionCommand, upCommand, downCommand, consoleCommand, dashboardCommand],
};
