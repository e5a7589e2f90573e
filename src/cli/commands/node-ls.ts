// `shoal node ls` (docker/cli cli/command/node/list.go): filtered, sorted
// by hostname, this node marked with `*`.
import { ControlContract } from '../../api/contracts/control.js';
import type { Command } from '../framework/command.js';
import type { Global } from '../global.js';
import { writeList } from '../format/list-output.js';
import { filterNodes, parseFilters } from '../format/node-filter.js';
import { NODE_LIST_LAYOUT, nodeRow, nodeTlsInfo, sortNodes } from '../format/node-rows.js';
import { selfNodeId } from './node-refs.js';

export const FORMAT_USAGE = "Format output using a custom template: 'table', 'table TEMPLATE', 'json' or 'TEMPLATE'";

export const nodeLsCommand: Command<Global> = {
  name: 'ls',
  aliases: ['list'],
  usage: '[OPTIONS]',
  short: 'List nodes in the swarm',
  args: { kind: 'none' },
  flags: [
    { name: 'filter', short: 'f', kind: 'list', valueName: 'filter', usage: 'Filter output based on conditions provided' },
    { name: 'format', kind: 'string', valueName: 'string', usage: FORMAT_USAGE },
    { name: 'quiet', short: 'q', kind: 'bool', usage: 'Only display IDs' },
  ],
  run: async (ctx) => {
    const filters = parseFilters(ctx.flags.list('filter'));
    const quiet = ctx.flags.bool('quiet');
    const format = ctx.flags.string('format');
    const client = ctx.global.client();
    const { nodes } = await client.call(ControlContract, 'listNodes', {});
    const shown = sortNodes(filterNodes(nodes, filters));
    // As Docker: ask for this node's id only when there is something to mark.
    const selfId = shown.length > 0 && !quiet ? await selfNodeId(client) : '';
    const needsTls = format !== undefined && format !== '' && format !== 'table' && shown.some((n) => nodeTlsInfo(n) !== undefined);
    const clusterTls = needsTls ? (await client.call(ControlContract, 'getCluster', {})).TLSInfo : undefined;
    ctx.io.out.write(
      writeList(
        shown.map((n) => nodeRow(n, selfId, clusterTls)),
        format,
        quiet,
        NODE_LIST_LAYOUT,
      ),
    );
  },
};
