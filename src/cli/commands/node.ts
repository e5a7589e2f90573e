// `shoal node`: ls, inspect, ps, promote, demote, update, rm, with
// docker/cli's flags, tables and messages (cli/command/node). Nodes are
// named by id, id prefix or hostname; `self` is this daemon's node.
import type { Command } from '../framework/command.js';
import type { Global } from '../global.js';
import { nodeInspectCommand } from './node-inspect.js';
import { nodeLsCommand } from './node-ls.js';
import { nodePsCommand } from './node-ps.js';
import { nodeRmCommand } from './node-rm.js';
import { nodeDemoteCommand, nodePromoteCommand, nodeUpdateCommand } from './node-update.js';

export const nodeCommand: Command<Global> = {
  name: 'node',
  short: 'Manage Swarm nodes',
  subcommands: [nodeDemoteCommand, nodeInspectCommand, nodeLsCommand, nodePromoteCommand, nodePsCommand, nodeRmCommand, nodeUpdateCommand],
};
