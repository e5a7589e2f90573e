// The worker's decider: one task's facts (what the managers want, the state
// the agent has reached, what the runtime shows) -> the next step, as
// swarmkit's agent/exec/controller.go `Do`. Pure and synchronous; the runner
// (worker.ts) applies a step, refreshes what the runtime shows, and asks
// again until the answer is "nothing".
//
//   accepted -> preparing -> (prepare) ready -> starting -> (start) running
//     -> complete (exit 0) | failed (non-zero) | shutdown (desired shutdown)
//
// Invariants: a report only ever moves the task's state forward (so a task
// takes at most a dozen reports); an unknown observation decides nothing;
// unassigned tasks are left alone until the first assignment set arrives.
import { assertNever } from '../../api/errors.js';
import type { DesiredState, TaskState } from '../../api/task-state.js';
import { compareTaskStates, isTerminal } from '../../api/task-state.js';
import type { ObservedState } from '../runtime/types.js';

export type Observation =
  | { readonly kind: 'unknown' }
  | { readonly kind: 'absent' }
  | { readonly kind: 'present'; readonly runtimeId: string; readonly state: ObservedState };

export interface TaskFacts {
  readonly taskId: string;
  /** What the managers want; undefined once the task is no longer assigned to this node. */
  readonly desired: DesiredState | undefined;
  /** The later of the store's state and the agent's own latest report; undefined for a task the agent never saw assigned. */
  readonly state: TaskState | undefined;
  /** The message that goes with `state` (a failure keeps it, as swarmkit does). */
  readonly message: string;
  readonly graceMs: number;
  readonly observed: Observation;
  /** The agent stopped the task because its health check failed. */
  readonly stoppedUnhealthy: boolean;
  /** Whether an assignment set arrived since the agent started. */
  readonly assignmentsKnown: boolean;
}

/** A status the agent reports (the dispatcher adds nothing but the timestamp). */
export interface ReportedStatus {
  readonly State: TaskState;
  readonly Message: string;
  readonly Err?: string;
  readonly ExitCode?: number;
  readonly ContainerID?: string;
  readonly PID?: number;
}

export type StopReason = 'shutdown' | 'unhealthy' | 'ended' | 'unassigned';

export type WorkerAction =
  | { readonly kind: 'report'; readonly taskId: string; readonly status: ReportedStatus }
  | { readonly kind: 'prepare'; readonly taskId: string }
  | { readonly kind: 'start'; readonly taskId: string }
  | { readonly kind: 'stop'; readonly taskId: string; readonly graceMs: number; readonly reason: StopReason }
  | { readonly kind: 'remove'; readonly taskId: string }
  /** Nothing left to do for a task that is no longer assigned: drop it from the agent's table. */
  | { readonly kind: 'forget'; readonly taskId: string };

export type RuntimeOp = Extract<WorkerAction, { kind: 'prepare' | 'start' | 'stop' | 'remove' }>['kind'];

/** The messages the agent writes (swarmkit's words). */
export const MESSAGES = {
  accepted: 'accepted',
  preparing: 'preparing',
  ready: 'prepared',
  starting: 'starting',
  running: 'started',
  complete: 'finished',
  shutdown: 'shutdown',
} as const;

export const ERR_UNHEALTHY = 'unhealthy container';
export const ERR_CONTAINER_GONE = "the task's container was removed behind the agent's back";
export const ERR_NOT_STARTED = "the task's container is not running (it was re-created behind the agent's back)";

function isUp(o: Observation): o is Extract<Observation, { kind: 'present' }> & { state: { state: 'starting' | 'running' } } {
  return o.kind === 'present' && (o.state.state === 'starting' || o.state.state === 'running');
}

/** ContainerID (and PID while up) as the runtime shows them. */
function containerFields(o: Observation): Pick<ReportedStatus, 'ContainerID' | 'PID'> {
  if (o.kind !== 'present') return {};
  const s = o.state;
  return { ContainerID: o.runtimeId, ...(s.state === 'starting' || s.state === 'running' ? { PID: s.pid } : {}) };
}

/** Docker's exit error (moby executor exitError): "task: non-zero exit (137): unhealthy container". */
export function exitError(code: number, cause?: string): string {
  const base = `task: non-zero exit (${code})`;
  return cause === undefined || cause === '' ? base : `${base}: ${cause}`;
}

/** The status of a task whose process exited while the agent meant it to run. */
export function exitStatus(f: TaskFacts, exit: Extract<ObservedState, { state: 'exited' }>): ReportedStatus {
  const fields = { ...containerFields(f.observed), ExitCode: exit.exitCode };
  if (f.stoppedUnhealthy) {
    return { State: 'failed', Message: f.message, Err: exit.exitCode === 0 ? ERR_UNHEALTHY : exitError(exit.exitCode, ERR_UNHEALTHY), ...fields };
  }
  if (exit.exitCode === 0 && exit.error === undefined) return { State: 'complete', Message: MESSAGES.complete, ...fields };
  const causes = [exit.oomKilled === true ? 'out of memory (OOM killed)' : undefined, exit.error].filter((c): c is string => c !== undefined && c !== '');
  return { State: 'failed', Message: f.message, Err: exitError(exit.exitCode, causes.join('; ')), ...fields };
}

/**
 * A runtime operation failed for good: before starting, the task is
 * rejected; from starting on, it failed (swarmkit `fatal`). The message of
 * the state it was in stays; Err says why.
 */
export function opFailure(f: TaskFacts, op: RuntimeOp, error: string): ReportedStatus {
  const before = f.state === undefined || compareTaskStates(f.state, 'starting') < 0;
  const state: TaskState = op === 'prepare' || before ? 'rejected' : 'failed';
  return { State: state, Message: f.message, Err: error, ...containerFields(f.observed) };
}

function report(f: TaskFacts, State: TaskState, Message: string, extra: Omit<ReportedStatus, 'State' | 'Message'> = {}): WorkerAction {
  return { kind: 'report', taskId: f.taskId, status: { State, Message, ...containerFields(f.observed), ...extra } };
}

function shutdownStatus(f: TaskFacts): WorkerAction {
  const exit = f.observed.kind === 'present' && f.observed.state.state === 'exited' ? { ExitCode: f.observed.state.exitCode } : {};
  return report(f, 'shutdown', MESSAGES.shutdown, exit);
}

/** No longer assigned: stop it, say it shut down (the reaper waits for that), remove it, forget it. */
function decideUnassigned(f: TaskFacts): WorkerAction | undefined {
  if (!f.assignmentsKnown) return undefined;
  if (isUp(f.observed)) return { kind: 'stop', taskId: f.taskId, graceMs: f.graceMs, reason: 'unassigned' };
  if (f.state !== undefined && !isTerminal(f.state)) return shutdownStatus(f);
  if (f.observed.kind === 'present') return { kind: 'remove', taskId: f.taskId };
  return { kind: 'forget', taskId: f.taskId };
}

/** The task is (or should be) starting or running: follow what the runtime shows. */
function decideLive(f: TaskFacts, state: 'starting' | 'running'): WorkerAction | undefined {
  const o = f.observed;
  if (o.kind !== 'present') return { kind: 'report', taskId: f.taskId, status: opFailure(f, 'start', ERR_CONTAINER_GONE) };
  const s = o.state;
  switch (s.state) {
    case 'created':
      return state === 'starting' ? { kind: 'start', taskId: f.taskId } : { kind: 'report', taskId: f.taskId, status: opFailure(f, 'start', ERR_NOT_STARTED) };
    case 'exited':
      return { kind: 'report', taskId: f.taskId, status: exitStatus(f, s) };
    case 'starting':
      return undefined; // health check not passed yet: stays `starting`
    case 'running':
      if (s.health === 'unhealthy') return { kind: 'stop', taskId: f.taskId, graceMs: f.graceMs, reason: 'unhealthy' };
      return state === 'starting' ? report(f, 'running', MESSAGES.running) : undefined;
    default:
      return assertNever(s, 'observed state');
  }
}

export function decideTask(f: TaskFacts): WorkerAction | undefined {
  if (f.observed.kind === 'unknown') return undefined;
  if (f.desired === undefined) return decideUnassigned(f);
  const up = isUp(f.observed);
  const state = f.state ?? 'assigned';
  if (isTerminal(state)) {
    if (up) return { kind: 'stop', taskId: f.taskId, graceMs: f.graceMs, reason: 'ended' };
    if (f.desired === 'remove' && f.observed.kind === 'present') return { kind: 'remove', taskId: f.taskId };
    return undefined;
  }
  if (f.desired === 'shutdown' || f.desired === 'remove') {
    return up ? { kind: 'stop', taskId: f.taskId, graceMs: f.graceMs, reason: 'shutdown' } : shutdownStatus(f);
  }
  switch (state) {
    case 'new':
    case 'pending':
    case 'assigned':
      return report(f, 'accepted', MESSAGES.accepted);
    case 'accepted':
      return report(f, 'preparing', MESSAGES.preparing);
    case 'preparing':
      return f.observed.kind === 'absent' ? { kind: 'prepare', taskId: f.taskId } : report(f, 'ready', MESSAGES.ready);
    case 'ready':
      return f.desired === 'ready' ? undefined : report(f, 'starting', MESSAGES.starting);
    case 'starting':
    case 'running':
      return decideLive(f, state);
    default:
      // Terminal states were handled above.
      return undefined;
  }
}

/** Every task's next step (at most one each). */
export function decide(tasks: readonly TaskFacts[]): WorkerAction[] {
  const out: WorkerAction[] = [];
  for (const f of tasks) {
    const a = decideTask(f);
    if (a !== undefined) out.push(a);
  }
  return out;
}
