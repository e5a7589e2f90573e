// `-f key=value` filters of `service ls` and `service ps`, applied by the
// CLI with the daemon's rules and words (moby daemon/cluster/filters.go):
// services by id prefix, name prefix, label and mode; tasks by id prefix,
// name prefix, node and desired state.
import type { Node } from '../../../api/node.js';
import type { Service } from '../../../api/service.js';
import type { Task } from '../../../api/task.js';
import { UsageError } from '../../framework/flags.js';
import { ExitError } from '../../framework/command.js';
import { flagArgumentError } from '../../../api/units.js';
import { cutKeyValue } from './option-values.js';
import { modeText } from './ls-table.js';

export type Filters = ReadonlyMap<string, readonly string[]>;

/** opts.FilterOpt: each value is `key=value`; keys are lower-cased and trimmed. */
export function parseFilters(values: readonly string[]): Filters {
  const out = new Map<string, string[]>();
  for (const v of values) {
    const { key, value, hasValue } = cutKeyValue(v);
    if (!hasValue) throw new UsageError(flagArgumentError('-f, --filter', v, 'bad format of filter (expected name=value)'));
    const k = key.trim().toLowerCase();
    out.set(k, [...(out.get(k) ?? []), value.trim()]);
  }
  return out;
}

function checkKeys(filters: Filters, allowed: readonly string[]): void {
  for (const key of filters.keys()) {
    if (!allowed.includes(key)) throw new ExitError(1, `Error response from daemon: invalid filter '${key}'`);
  }
}

function anyOf(values: readonly string[] | undefined, test: (v: string) => boolean): boolean {
  return values === undefined || values.some(test);
}

/** `service ls -f id=|name=|label=|mode=`. */
export function filterServices(services: readonly Service[], filters: Filters): Service[] {
  checkKeys(filters, ['id', 'name', 'label', 'mode']);
  for (const m of filters.get('mode') ?? []) {
    if (m !== 'replicated' && m !== 'global' && m !== 'replicated-job' && m !== 'global-job') throw new ExitError(1, `Error response from daemon: invalid filter 'mode=${m}'`);
  }
  return services.filter(
    (s) =>
      anyOf(filters.get('id'), (v) => s.ID.startsWith(v)) &&
      anyOf(filters.get('name'), (v) => s.Spec.Name.startsWith(v)) &&
      (filters.get('label') ?? []).every((l) => {
        const { key, value, hasValue } = cutKeyValue(l);
        return key in s.Spec.Labels && (!hasValue || s.Spec.Labels[key] === value);
      }) &&
      anyOf(filters.get('mode'), (v) => modeText(s).replace(' ', '-') === v),
  );
}

/** `service ps -f id=|name=|node=|desired-state=`. */
export function filterTasks(tasks: readonly Task[], filters: Filters, names: (t: Task) => string, nodes: readonly Node[]): Task[] {
  checkKeys(filters, ['id', 'name', 'node', 'desired-state', 'service']);
  for (const d of filters.get('desired-state') ?? []) {
    if (!['running', 'shutdown', 'accepted', 'ready', 'complete', 'remove'].includes(d)) throw new ExitError(1, `Error response from daemon: invalid filter 'desired-state=${d}'`);
  }
  const nodeIds = (ref: string) => nodes.filter((n) => n.ID === ref || n.Description.Hostname === ref || n.ID.startsWith(ref)).map((n) => n.ID);
  return tasks.filter(
    (t) =>
      anyOf(filters.get('id'), (v) => t.ID.startsWith(v)) &&
      anyOf(filters.get('name'), (v) => names(t).startsWith(v)) &&
      anyOf(filters.get('node'), (v) => t.NodeID !== undefined && nodeIds(v).includes(t.NodeID)) &&
      anyOf(filters.get('desired-state'), (v) => t.DesiredState === v || (v === 'shutdown' && t.DesiredState === 'remove') || (v === 'accepted' && t.DesiredState === 'ready')),
  );
}
