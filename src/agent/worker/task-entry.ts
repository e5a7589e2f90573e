// What the worker knows of one task: the latest assignment (kept after the
// task is unassigned, for its stop grace period), the agent's own latest
// report, and what the runtime last showed. `factsOf` turns it into the
// decider's input.
import type { Task } from '../../api/task.js';
import { compareTaskStates } from '../../api/task-state.js';
import type { ObservedTask } from '../runtime/types.js';
import type { Observation, ReportedStatus, TaskFacts } from './decide.js';
import { DEFAULT_STOP_GRACE_MS, stopGraceMs } from './runtime-spec.js';

export interface TaskEntry {
  readonly taskId: string;
  task: Task | undefined;
  serviceName: string | undefined;
  /** In the latest assignment set. */
  assigned: boolean;
  /** The agent's latest status for the task (reported, or queued to be). */
  local: ReportedStatus | undefined;
  observed: Observation;
  /** The runtime may show something else now: inspect before deciding. */
  stale: boolean;
  stoppedUnhealthy: boolean;
  /** Consecutive temporary failures, for the retry backoff. */
  failures: number;
  retryTimer: NodeJS.Timeout | null;
}

export function newEntry(taskId: string, observed: Observation): TaskEntry {
  return { taskId, task: undefined, serviceName: undefined, assigned: false, local: undefined, observed, stale: false, stoppedUnhealthy: false, failures: 0, retryTimer: null };
}

export function present(task: ObservedTask): Observation {
  return { kind: 'present', runtimeId: task.runtimeId, state: task.observed };
}

/** Whether two observations say the same (a resync only refreshes tasks that changed). */
export function sameObservation(a: Observation, b: Observation): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The agent's view of the task's state: the later of the store's and the agent's own. */
export function currentStatus(entry: TaskEntry): { state: TaskFacts['state']; message: string } {
  const store = entry.task?.Status;
  const local = entry.local;
  if (local !== undefined && (store === undefined || compareTaskStates(local.State, store.State) >= 0)) return { state: local.State, message: local.Message };
  if (store !== undefined) return { state: store.State, message: store.Message };
  return { state: undefined, message: '' };
}

export function factsOf(entry: TaskEntry, assignmentsKnown: boolean, defaultGraceMs = DEFAULT_STOP_GRACE_MS): TaskFacts {
  const { state, message } = currentStatus(entry);
  return {
    taskId: entry.taskId,
    desired: entry.assigned ? entry.task?.DesiredState : undefined,
    state,
    message,
    graceMs: entry.task === undefined ? defaultGraceMs : stopGraceMs(entry.task),
    observed: entry.observed,
    stoppedUnhealthy: entry.stoppedUnhealthy,
    assignmentsKnown,
  };
}
