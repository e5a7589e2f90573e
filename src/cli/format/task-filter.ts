// `-f/--filter` for task lists (`node ps`), as docker's daemon and
// swarmkit's ListTasks apply them (moby daemon/cluster/filters.go
// newListTasksFilters): id (prefix), name (prefix of the task's container
// name `<service>.<slot>.<id>`), label (task labels), service (id, id
// prefix or name), node, desired-state, runtime.
import { ShoalError } from '../../api/errors.js';
import { containerName, type Task } from '../../api/task.js';
import { TASK_STATES } from '../../api/task-state.js';
import { checkFilterKeys, kvMap, matchLabels, type FilterArgs } from './node-filter.js';

export const TASK_FILTER_KEYS = ['name', 'id', 'label', 'service', 'node', 'desired-state', '_up-to-date', 'runtime'] as const;

/** Checks keys and values first, so a bad filter fails before any output. */
export function checkTaskFilters(filters: FilterArgs): void {
  checkFilterKeys(filters, TASK_FILTER_KEYS);
  for (const v of filters.get('desired-state') ?? []) {
    if (v !== '' && !(TASK_STATES as readonly string[]).includes(v.toLowerCase())) {
      throw new ShoalError('InvalidArgument', `Invalid desired-state filter: '${v}'`);
    }
  }
}

function anyOrNone(values: readonly string[] | undefined, test: (v: string) => boolean): boolean {
  return values === undefined || values.length === 0 || values.some(test);
}

/** The tasks that pass every filter; `serviceName` resolves a service id to its name. */
export function filterTasks(tasks: readonly Task[], filters: FilterArgs, serviceName: (id: string) => string): Task[] {
  checkTaskFilters(filters);
  const desired = (filters.get('desired-state') ?? []).filter((v) => v !== '').map((v) => v.toLowerCase());
  const labels = kvMap(filters.get('label') ?? []);
  return tasks.filter(
    (t) =>
      anyOrNone(filters.get('id'), (p) => t.ID.startsWith(p)) &&
      anyOrNone(filters.get('name'), (p) => containerName(serviceName(t.ServiceID), t).startsWith(p)) &&
      matchLabels(t.Labels ?? {}, labels) &&
      anyOrNone(filters.get('service'), (s) => t.ServiceID === s || t.ServiceID.startsWith(s) || serviceName(t.ServiceID) === s) &&
      (desired.length === 0 || desired.includes(t.DesiredState)) &&
      anyOrNone(filters.get('runtime'), (r) => r === 'container'),
  );
}
