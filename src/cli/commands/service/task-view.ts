// What the CLI reads off tasks and nodes, shared by `service ps`, `ls`
// and the progress display.
import type { Node } from '../../../api/node.js';
import type { Service } from '../../../api/service.js';
import type { Task } from '../../../api/task.js';
import { compareTaskStates } from '../../../api/task-state.js';

/**
 * The ERROR column: the task's error, or, for a task the scheduler could
 * not place, its explanation ("no suitable node (1 node not available for
 * new tasks)"), which swarmkit writes into the error and shoal keeps apart.
 */
export function taskError(task: Task): string {
  const err = task.Status.Err ?? '';
  if (err !== '') return err;
  if (compareTaskStates(task.Status.State, 'pending') <= 0) return task.PendingExplanation?.Summary ?? '';
  return '';
}

/** Nodes not down: their tasks count (docker/cli getActiveNodes). */
export function activeNodeIds(nodes: readonly Node[]): Set<string> {
  return new Set(nodes.filter((n) => n.Status.State !== 'down').map((n) => n.ID));
}

/** Node id -> hostname, for the NODE column and log prefixes. */
export function nodeNames(nodes: readonly Node[]): Map<string, string> {
  return new Map(nodes.map((n) => [n.ID, n.Description.Hostname]));
}

/** A stable JSON text of a value, keys sorted, to compare specs by content. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const rec = value as Record<string, unknown>;
    const keys = Object.keys(rec)
      .filter((k) => rec[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(rec[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A task that runs the service's current spec (the `_up-to-date` task
 * filter docker/cli's progress uses): made for the current spec version,
 * or with the same task template. Job tasks count for the current job
 * iteration only.
 */
export function isUpToDate(service: Service, task: Task): boolean {
  if (service.JobStatus !== undefined) return task.JobIteration?.Index === service.JobStatus.JobIteration.Index;
  if (task.ServiceVersion !== undefined && task.ServiceVersion.Index === service.SpecVersion.Index) return true;
  return canonical(task.Spec) === canonical(service.Spec.TaskTemplate);
}
