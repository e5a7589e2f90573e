// The updater's memory of one service's update, between two decisions.
// It lives on the leader only (as swarmkit's Updater goroutine state does):
// a new leader starts from what the store says (UpdateStatus and the tasks'
// ServiceVersion), which is enough to finish the update; only the failure
// count starts again.
//
// Two state machines, each with one transition function that refuses an
// illegal move:
//
//   service:      idle -> rolling -> monitoring -> idle
//                         ^   |        |
//                         +---+--------+   (new dirty slots, or a superseding spec)
//
//   replacement:  awaiting-stop -> starting -> retiring -> cooldown -> (released)
//                 (stop-first)      |  ^ start-first enters here
//                                   +-> cooldown (running, stop-first; failed; timed out)
import type { TaskId } from '../../api/ids.js';
import type { FailureCause } from './messages.js';

export type Direction = 'update' | 'rollback';

/** What an update works towards: a spec version, rolled forward or back. */
export interface Target {
  readonly specVersion: number;
  readonly direction: Direction;
}

export function sameTarget(a: Target, b: Target): boolean {
  return a.specVersion === b.specVersion && a.direction === b.direction;
}

/**
 * One slot being replaced; it holds one of the Parallelism lanes from the
 * moment its old task is told to stop (or its new task is created) until
 * Delay after the new task runs. Times are milliseconds on the injected clock.
 */
export type Replacement =
  /** stop-first: the old tasks were told to shut down; the new one waits at desired `ready`. */
  | { readonly phase: 'awaiting-stop'; readonly slotId: string; readonly taskId: TaskId; readonly waitFor: readonly TaskId[]; readonly since: number }
  /** The new task was told to run; `keep` are old tasks still running (start-first) until it does. */
  | { readonly phase: 'starting'; readonly slotId: string; readonly taskId: TaskId; readonly keep: readonly TaskId[]; readonly since: number }
  /** start-first: the new task runs; the old ones were told to shut down. */
  | { readonly phase: 'retiring'; readonly slotId: string; readonly taskId: TaskId; readonly waitFor: readonly TaskId[]; readonly since: number }
  /** Done with the slot; the lane stays taken until Delay has passed. */
  | { readonly phase: 'cooldown'; readonly slotId: string; readonly taskId: TaskId; readonly until: number };

export type ReplacementPhase = Replacement['phase'];

const NEXT_PHASES: Readonly<Record<ReplacementPhase, readonly ReplacementPhase[]>> = {
  'awaiting-stop': ['starting'],
  starting: ['retiring', 'cooldown'],
  retiring: ['cooldown'],
  cooldown: [],
};

/** The one way a replacement changes phase; an illegal move is a bug and throws. */
export function movePhase(from: Replacement, to: Replacement): Replacement {
  if (from.slotId !== to.slotId || from.taskId !== to.taskId || !NEXT_PHASES[from.phase].includes(to.phase)) {
    throw new Error(`invariant violated: replacement of slot ${from.slotId} cannot move from ${from.phase} to ${to.phase}`);
  }
  return to;
}

/** A task this update created or adopted; `runningAt` once it was seen running. */
export interface Watched {
  readonly runningAt?: number;
}

export interface Failure {
  readonly taskId: TaskId;
  readonly cause: FailureCause;
}

export interface Progress {
  readonly target: Target;
  /**
   * The denominator of the failure ratio: the dirty slots when the update
   * started (swarmkit `len(dirtySlots)`), grown if more turn up later.
   */
  readonly total: number;
  /** Slots handed a replacement in this update; each is visited once (swarmkit's slot queue). */
  readonly visited: ReadonlySet<string>;
  /** Invariant: at most Parallelism entries (all slots when it is 0), one per slot. */
  readonly replacements: readonly Replacement[];
  readonly watched: ReadonlyMap<TaskId, Watched>;
  /** Tasks counted as failures, in order; each counts once. */
  readonly failed: readonly TaskId[];
}

export type UpdaterState =
  | { readonly kind: 'idle' }
  /** Slots are being replaced. */
  | { readonly kind: 'rolling'; readonly progress: Progress }
  /** Every slot is done; failures still count until `until` (one Monitor period), then the update completes. */
  | { readonly kind: 'monitoring'; readonly progress: Progress; readonly until: number };

export const IDLE: UpdaterState = { kind: 'idle' };

const NEXT_KINDS: Readonly<Record<UpdaterState['kind'], readonly UpdaterState['kind'][]>> = {
  idle: ['idle', 'rolling'],
  rolling: ['rolling', 'monitoring', 'idle'],
  monitoring: ['monitoring', 'rolling', 'idle'],
};

/** The one way the updater's state changes; idle -> monitoring (nothing was replaced) is refused. */
export function transition(from: UpdaterState, to: UpdaterState): UpdaterState {
  if (!NEXT_KINDS[from.kind].includes(to.kind)) {
    throw new Error(`invariant violated: updater cannot move from ${from.kind} to ${to.kind}`);
  }
  return to;
}

export function newProgress(target: Target, total: number): Progress {
  return { target, total, visited: new Set(), replacements: [], watched: new Map(), failed: [] };
}
