// `shoal node ps` (docker/cli cli/command/node/ps.go, task/print.go): the
// tasks on one or more nodes (default: this node), with every node that
// cannot be read reported after the table.
import { ControlContract } from '../../api/contracts/control.js';
import type { Node } from '../../api/node.js';
import type { Task } from '../../api/task.js';
import type { Command } from '../framework/command.js';
import type { Global } from '../global.js';
import { errorLine, failWithLines } from '../format/error-lines.js';
import { writeList } from '../format/list-output.js';
import { parseFilters } from '../format/node-filter.js';
import { checkTaskFilters, filterTasks } from '../format/task-filter.js';
import { TASK_LIST_LAYOUT, taskRows } from '../format/task-rows.js';
import { FORMAT_USAGE } from './node-ls.js';
import { nodeReference } from './node-refs.js';

export const nodePsCommand: Command<Global> = {
  name: 'ps',
  usage: '[OPTIONS] [NODE...]',
  short: 'List tasks running on one or more nodes, defaults to current node',
  flags: [
    { name: 'filter', short: 'f', kind: 'list', valueName: 'filter', usage: 'Filter output based on conditions provided' },
    { name: 'format', kind: 'string', valueName: 'string', usage: FORMAT_USAGE },
    { name: 'no-resolve', kind: 'bool', usage: 'Do not map IDs to Names' },
    { name: 'no-trunc', kind: 'bool', usage: 'Do not truncate output' },
    { name: 'quiet', short: 'q', kind: 'bool', usage: 'Only display task IDs' },
  ],
  run: async (ctx) => {
    const filters = parseFilters(ctx.flags.list('filter'));
    checkTaskFilters(filters);
    const noResolve = ctx.flags.bool('no-resolve');
    const quiet = ctx.flags.bool('quiet');
    const format = ctx.flags.string('format') ?? '';
    const client = ctx.global.client();
    const refs = ctx.args.length > 0 ? ctx.args : ['self'];
    const errors: string[] = [];
    const nodes = new Map<string, Node>();
    const tasks = new Map<string, Task>();
    for (const ref of refs) {
      try {
        const node = await client.call(ControlContract, 'getNode', { ref: await nodeReference(client, ref) });
        nodes.set(node.ID, node);
        const listed = await client.call(ControlContract, 'listTasks', { nodeIds: [node.ID] });
        for (const t of listed.tasks) tasks.set(t.ID, t);
      } catch (err) {
        errors.push(errorLine(err, ctx.global.host));
      }
    }
    // idresolver: names when they can be found, ids otherwise.
    const serviceNames = new Map<string, string>();
    if (tasks.size > 0 && !noResolve) {
      const listed = await client.call(ControlContract, 'listServices', {}).catch(() => ({ services: [] }));
      for (const s of listed.services) serviceNames.set(s.ID, s.Spec.Name);
    }
    const serviceName = (id: string) => serviceNames.get(id) ?? id;
    const nodeName = (id: string): string => {
      const n = nodes.get(id);
      if (noResolve || n === undefined) return id;
      if (n.Spec.Name !== undefined && n.Spec.Name !== '') return n.Spec.Name;
      return n.Description.Hostname !== '' ? n.Description.Hostname : id;
    };
    const shown = filterTasks([...tasks.values()], filters, serviceName);
    if (errors.length === 0 || shown.length > 0) {
      // Earlier tasks of a slot are indented only in tables (formatter.Format.IsTable).
      const table = format === '' || format === 'table' ? !quiet : format.startsWith('table');
      const rows = taskRows(shown, { serviceName, nodeName, trunc: !ctx.flags.bool('no-trunc'), indent: table, nowMs: Date.now() });
      ctx.io.out.write(writeList(rows, format, quiet, TASK_LIST_LAYOUT));
    }
    failWithLines(errors);
  },
};
