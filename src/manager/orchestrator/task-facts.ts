// Small facts about tasks and nodes that every orchestrator asks, in one
// place so they agree (swarmkit orchestrator/task.go, InvalidNode).
import { DEFAULT_TASK_HISTORY_RETENTION_LIMIT } from '../../api/cluster.js';
import type { NodeId, TaskId } from '../../api/ids.js';
import type { Node } from '../../api/node.js';
import type { Version } from '../../api/object-meta.js';
import { parseTimestamp } from '../../api/object-meta.js';
import type { Service } from '../../api/service.js';
import { isJobMode } from '../../api/service-spec.js';
import type { DelayedStart, RestartHistory, Task } from '../../api/task.js';
import { newTask, pendingTask } from '../../api/task.js';
import type { DesiredState, TaskState } from '../../api/task-state.js';
import { compareTaskStates, isTerminal, TASK_STATE_NUMBER } from '../../api/task-state.js';
import type { ReadTx } from '../store/read-tx.js';
import { theCluster } from '../store/typed.js';

/** Desired to run (or, for a job, to run to completion): not yet told to stop. */
export function wantsToRun(task: Pick<Task, 'DesiredState'>): boolean {
  return TASK_STATE_NUMBER[task.DesiredState] <= TASK_STATE_NUMBER.complete;
}

/** A job task that finished its work: what a job counts. */
export function hasCompleted(task: Pick<Task, 'DesiredState' | 'Status'>): boolean {
  return task.DesiredState === 'complete' && task.Status.State === 'complete';
}

/**
 * Whether tasks may stay on the node (swarmkit !InvalidNode): it exists, is
 * not down and not drained. Paused and disconnected nodes keep their tasks.
 */
export function nodeUsable(node: Node | undefined): boolean {
  return node !== undefined && node.Status.State !== 'down' && node.Spec.Availability !== 'drain';
}

/** Whether new tasks may be placed on the node: ready and active. */
export function nodeTakesNewTasks(node: Node | undefined): boolean {
  return node !== undefined && node.Status.State === 'ready' && node.Spec.Availability === 'active';
}

/**
 * Safe to delete: finished (observed past running), or told to stop before
 * any node took it (observed before `assigned`). A task a node may still be
 * running is never deleted.
 */
export function isReapable(task: Pick<Task, 'DesiredState' | 'Status'>): boolean {
  if (isTerminal(task.Status.State)) return true;
  return compareTaskStates(task.Status.State, 'assigned') < 0 && TASK_STATE_NUMBER[task.DesiredState] > TASK_STATE_NUMBER.complete;
}

/** Has stopped for the purpose of starting its successor: gone from the node or never on one. */
export function hasStopped(task: Task | undefined): boolean {
  if (task === undefined) return true;
  return isTerminal(task.Status.State) || compareTaskStates(task.Status.State, 'assigned') < 0;
}

export function createdMs(task: Pick<Task, 'CreatedAt'>): number {
  const ms = parseTimestamp(task.CreatedAt);
  return Number.isNaN(ms) ? 0 : ms;
}

/** Oldest first by creation, ties by id: the order a slot's history is told in. */
export function byCreation(a: Task, b: Task): number {
  return createdMs(a) - createdMs(b) || (a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : 0);
}

/** Oldest first by last status change (swarmkit's reaper order), then by creation. */
export function byStatusTime(a: Task, b: Task): number {
  const ta = parseTimestamp(a.Status.Timestamp);
  const tb = parseTimestamp(b.Status.Timestamp);
  return (Number.isNaN(ta) ? 0 : ta) - (Number.isNaN(tb) ? 0 : tb) || byCreation(a, b);
}

/** Whether moving the desired state from `from` to `to` is forward (desired state only moves forward). */
export function isForward(from: DesiredState, to: DesiredState): boolean {
  return TASK_STATE_NUMBER[to] > TASK_STATE_NUMBER[from];
}

export function isRunning(state: TaskState): boolean {
  return state === 'running';
}

/** Cluster.Spec.Orchestration.TaskHistoryRetentionLimit; negative keeps everything. */
export function retentionLimit(view: ReadTx): number {
  return theCluster(view)?.Spec.Orchestration.TaskHistoryRetentionLimit ?? DEFAULT_TASK_HISTORY_RETENTION_LIMIT;
}

export interface Placement {
  readonly slot?: number;
  readonly nodeId?: NodeId;
}

export interface OrchestratedTaskOptions {
  readonly id: TaskId;
  readonly service: Service;
  readonly place: Placement;
  readonly nowMs: number;
  readonly desiredState: DesiredState;
  readonly restartHistory?: RestartHistory;
  readonly delayedStart?: DelayedStart;
}

/** A task for the service's current spec, handed to the scheduler (`pendingTask`). */
export function orchestratedTask(o: OrchestratedTaskOptions): Task {
  const jobIteration: Version | undefined = isJobMode(o.service.Spec.Mode) ? (o.service.JobStatus?.JobIteration ?? { Index: 0 }) : undefined;
  const base = newTask({
    id: o.id,
    serviceId: o.service.ID,
    spec: o.service.Spec,
    serviceVersion: o.service.SpecVersion,
    nowMs: o.nowMs,
    ...(o.place.slot !== undefined ? { slot: o.place.slot } : {}),
    ...(o.place.nodeId !== undefined ? { nodeId: o.place.nodeId } : {}),
    desiredState: o.desiredState,
    ...(o.restartHistory !== undefined ? { restartHistory: o.restartHistory } : {}),
    ...(jobIteration !== undefined ? { jobIteration } : {}),
  });
  const task = pendingTask(base, o.nowMs);
  return o.delayedStart !== undefined ? { ...task, DelayedStart: o.delayedStart } : task;
}
