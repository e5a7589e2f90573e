// The task lifecycle, as swarmkit's api TaskState and design/task_model.md:
// states are ordered (the numbers are swarmkit's), a task only ever moves
// forward, and each band of states has exactly one writer.
//
//   new -> pending -> assigned -> accepted -> preparing -> ready -> starting
//       -> running -> complete | shutdown | failed | rejected | remove | orphaned
//
// Invariant: for any task, successive observed states s1, s2, ... satisfy
// rank(s1) <= rank(s2). The same holds for the desired state (running ->
// shutdown -> remove). `transition` is the only place that decides it.
import { assertNever } from './errors.js';

export const TASK_STATES = [
  'new',
  'pending',
  'assigned',
  'accepted',
  'preparing',
  'ready',
  'starting',
  'running',
  'complete',
  'shutdown',
  'failed',
  'rejected',
  'remove',
  'orphaned',
] as const;

export type TaskState = (typeof TASK_STATES)[number];

/** swarmkit's enum values (api/types.proto TaskState); gaps leave room as in swarmkit. */
export const TASK_STATE_NUMBER: Readonly<Record<TaskState, number>> = {
  new: 0,
  pending: 64,
  assigned: 192,
  accepted: 256,
  preparing: 320,
  ready: 384,
  starting: 448,
  running: 512,
  complete: 576,
  shutdown: 640,
  failed: 704,
  rejected: 768,
  remove: 800,
  orphaned: 832,
};

/**
 * The states the orchestrator may ask for. `ready` lets a start-first update
 * prepare a task without starting it; `complete` is a job task's goal;
 * `remove` asks for shutdown and then deletion (scale-down, service removal).
 */
export const DESIRED_STATES = ['ready', 'running', 'complete', 'shutdown', 'remove'] as const;
export type DesiredState = (typeof DESIRED_STATES)[number];

export function isTaskState(value: unknown): value is TaskState {
  return typeof value === 'string' && (TASK_STATES as readonly string[]).includes(value);
}

export function isDesiredState(value: unknown): value is DesiredState {
  return typeof value === 'string' && (DESIRED_STATES as readonly string[]).includes(value);
}

export function compareTaskStates(a: TaskState, b: TaskState): number {
  return TASK_STATE_NUMBER[a] - TASK_STATE_NUMBER[b];
}

/** Past `running`: the task has stopped, or will never run. swarmkit: `state > TaskStateRunning`. */
export function isTerminal(state: TaskState): boolean {
  return TASK_STATE_NUMBER[state] > TASK_STATE_NUMBER.running;
}

/** Still on its way to running, or running. */
export function isRunningOrBefore(state: TaskState): boolean {
  return TASK_STATE_NUMBER[state] <= TASK_STATE_NUMBER.running;
}

/** Ended without success: what the restart policy's `on-failure` and the updater count as a failure. */
export function isFailure(state: TaskState): boolean {
  return state === 'failed' || state === 'rejected';
}

// ---- bands: who writes which states ----

/**
 * The writer of each band (task_model.md "Task lifecycle"):
 * - orchestrator: creates tasks in `new`; desired-state marker `remove`;
 * - allocator: `pending` once networks/VIPs are allocated;
 * - scheduler: `assigned` once a node is chosen (or a global task's node checked);
 * - dispatcher: everything an agent reports (accepted .. running, complete,
 *   shutdown, failed, rejected), reaching the store only through the
 *   dispatcher's batches, plus `orphaned` for tasks on a node gone too long.
 */
export type TaskStateOwner = 'orchestrator' | 'allocator' | 'scheduler' | 'dispatcher';

export function stateOwner(state: TaskState): TaskStateOwner {
  switch (state) {
    case 'new':
    case 'remove':
      return 'orchestrator';
    case 'pending':
      return 'allocator';
    case 'assigned':
      return 'scheduler';
    case 'accepted':
    case 'preparing':
    case 'ready':
    case 'starting':
    case 'running':
    case 'complete':
    case 'shutdown':
    case 'failed':
    case 'rejected':
    case 'orphaned':
      return 'dispatcher';
    default:
      return assertNever(state, 'task state');
  }
}

// ---- the one transition function ----

export type Transition =
  | { readonly ok: true; readonly state: TaskState; readonly changed: boolean }
  | { readonly ok: false; readonly reason: string };

/**
 * Decide whether a task may go from `current` to `next`. Forward moves and
 * re-reports of the same state (a status update delivered twice) are allowed;
 * a backward move is refused with a message naming both states.
 * `by`, when given, must be the owner of `next`'s band.
 */
export function transition(current: TaskState, next: TaskState, by?: TaskStateOwner): Transition {
  if (compareTaskStates(next, current) < 0) {
    return { ok: false, reason: `task state cannot move backwards from ${current} to ${next}` };
  }
  if (by !== undefined && next !== current && stateOwner(next) !== by) {
    return { ok: false, reason: `the ${by} may not move a task to ${next} (written by the ${stateOwner(next)})` };
  }
  return { ok: true, state: next, changed: next !== current };
}

/** The later of two states: what a store keeps when reports arrive out of order. */
export function laterState(a: TaskState, b: TaskState): TaskState {
  return compareTaskStates(a, b) >= 0 ? a : b;
}
