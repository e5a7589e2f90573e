// Which tasks a `service logs` request reads, and on which nodes: a service
// (id, unique prefix or name) means all its tasks that a node has taken
// (running or finished: their containers keep their logs until removed); a
// task id means that task alone. Pure over a store read.
import { isShoalError, ShoalError } from '../../api/errors.js';
import type { Task } from '../../api/task.js';
import { resolveService, resolveTask } from '../controlapi/resolve.js';
import type { ReadTx } from '../store/read-tx.js';

export interface LogTarget {
  readonly serviceId: string;
  /** Set when the request named one task. */
  readonly taskId?: string;
}

/** docker/cli's words when neither a service nor a task has the name. */
export function resolveLogTarget(tx: ReadTx, ref: string): LogTarget {
  try {
    return { serviceId: resolveService(tx, ref).ID };
  } catch (error) {
    if (!isShoalError(error) || error.code !== 'NotFound') throw error;
  }
  try {
    const task = resolveTask(tx, ref);
    return { serviceId: task.ServiceID, taskId: task.ID };
  } catch (error) {
    if (isShoalError(error) && error.code === 'NotFound') throw new ShoalError('NotFound', `no such task or service: ${ref}`);
    throw error;
  }
}

/** A task a node has taken (the scheduler assigned it, or it is a global task past pending). */
export function onNode(task: Task): task is Task & { NodeID: string } {
  return task.NodeID !== undefined && task.NodeID !== '' && task.Status.State !== 'new' && task.Status.State !== 'pending';
}

/** The target's tasks grouped by node, in a stable order. */
export function tasksByNode(tasks: readonly Task[], target: LogTarget): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const chosen = tasks.filter((t) => t.ServiceID === target.serviceId && (target.taskId === undefined || t.ID === target.taskId)).filter(onNode);
  for (const t of [...chosen].sort((a, b) => (a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : 0))) {
    const list = out.get(t.NodeID);
    if (list === undefined) out.set(t.NodeID, [t.ID]);
    else list.push(t.ID);
  }
  return out;
}
