// `shoal service ls` and `shoal service ps` (docker/cli list.go, ps.go).
import { ControlContract } from '../../../api/contracts/control.js';
import type { Service } from '../../../api/service.js';
import type { Command } from '../../framework/command.js';
import { ExitError } from '../../framework/command.js';
import type { FlagDef } from '../../framework/flags.js';
import type { Global } from '../../global.js';
import { taskName } from '../../../api/task.js';
import { filterServices, filterTasks, parseFilters } from './list-filters.js';
import type { ListFormat } from './ls-table.js';
import { renderServiceList } from './ls-table.js';
import { renderTaskList } from './ps-table.js';
import type { Ctx } from './service-rpc.js';
import { control } from './service-rpc.js';
import { activeNodeIds, nodeNames } from './task-view.js';

/** `--format`: docker's table and json; Go templates are not supported. */
export function listFormat(text: string | undefined): ListFormat {
  if (text === undefined || text === '' || text === 'table') return 'table';
  if (text === 'json' || text === '{{json .}}') return 'json';
  throw new ExitError(1, `unsupported format ${JSON.stringify(text)}: shoal prints "table" and "json"`);
}

const FILTER: FlagDef = { name: 'filter', short: 'f', kind: 'list', usage: 'Filter output based on conditions provided', valueName: 'filter' };
const FORMAT: FlagDef = { name: 'format', kind: 'string', usage: "Format output: 'table' (the default, with column headers) or 'json' (one object per line)", valueName: 'string' };

async function runList(ctx: Ctx): Promise<number> {
  const format = listFormat(ctx.flags.string('format'));
  const quiet = ctx.flags.bool('quiet');
  const filters = parseFilters(ctx.flags.list('filter'));
  const client = control(ctx);
  const { services } = await client.call(ControlContract, 'listServices', {});
  const shown = filterServices(services, filters);
  const [tasks, nodes] = quiet || shown.length === 0 ? [[], []] : await Promise.all([client.call(ControlContract, 'listTasks', { serviceIds: shown.map((s) => s.ID) }).then((r) => r.tasks), client.call(ControlContract, 'listNodes', {}).then((r) => r.nodes)]);
  ctx.io.out.write(renderServiceList({ services: shown, tasks, activeNodes: activeNodeIds(nodes), quiet, format }));
  return 0;
}

export const listCommand: Command<Global> = {
  name: 'ls',
  aliases: ['list'],
  usage: '[OPTIONS]',
  short: 'List services',
  args: { kind: 'none' },
  flags: [FILTER, FORMAT, { name: 'quiet', short: 'q', kind: 'bool', usage: 'Only display IDs' }],
  run: runList,
};

/** createFilter: each argument matches a full id, then a full name, then a unique id prefix. */
export function matchServices(services: readonly Service[], refs: readonly string[]): { found: Service[]; notFound: string[] } {
  const found: Service[] = [];
  const notFound: string[] = [];
  for (const ref of refs) {
    const exact = services.find((s) => s.ID === ref) ?? services.find((s) => s.Spec.Name === ref);
    if (exact !== undefined) {
      found.push(exact);
      continue;
    }
    const prefixed = services.filter((s) => s.ID.startsWith(ref));
    if (prefixed.length > 1) throw new ExitError(1, `multiple services found with provided prefix: ${ref}`);
    const [one] = prefixed;
    if (one === undefined) notFound.push(`no such service: ${ref}`);
    else found.push(one);
  }
  if (found.length === 0) throw new ExitError(1, notFound.join('\n'));
  return { found, notFound };
}

async function runPs(ctx: Ctx): Promise<number> {
  const format = listFormat(ctx.flags.string('format'));
  const quiet = ctx.flags.bool('quiet');
  const noResolve = ctx.flags.bool('no-resolve');
  const filters = parseFilters(ctx.flags.list('filter'));
  const client = control(ctx);
  const { services } = await client.call(ControlContract, 'listServices', {});
  const { found, notFound } = matchServices(services, ctx.args);
  const [{ tasks }, { nodes }] = await Promise.all([client.call(ControlContract, 'listTasks', { serviceIds: found.map((s) => s.ID) }), client.call(ControlContract, 'listNodes', {})]);
  const serviceNames = new Map(services.map((s) => [s.ID, noResolve ? s.ID : s.Spec.Name]));
  const names = (t: (typeof tasks)[number]) => taskName(serviceNames.get(t.ServiceID) ?? t.ServiceID, { Slot: t.Slot, NodeID: t.NodeID });
  const shown = filterTasks(tasks, filters, names, nodes);
  ctx.io.out.write(
    renderTaskList({
      tasks: shown,
      serviceNames,
      nodeNames: noResolve ? new Map() : nodeNames(nodes),
      nowMs: Date.now(),
      trunc: !ctx.flags.bool('no-trunc') && !quiet,
      quiet,
      format,
    }),
  );
  if (notFound.length > 0) throw new ExitError(1, notFound.join('\n'));
  return 0;
}

export const psCommand: Command<Global> = {
  name: 'ps',
  usage: '[OPTIONS] SERVICE [SERVICE...]',
  short: 'List the tasks of one or more services',
  args: { kind: 'min', n: 1 },
  flags: [
    FILTER,
    FORMAT,
    { name: 'no-resolve', kind: 'bool', usage: 'Do not map IDs to Names' },
    { name: 'no-trunc', kind: 'bool', usage: 'Do not truncate output' },
    { name: 'quiet', short: 'q', kind: 'bool', usage: 'Only display task IDs' },
  ],
  run: runPs,
};
