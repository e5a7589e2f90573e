// The restart policy as pure functions (swarmkit restart.Supervisor
// shouldRestart and RecordRestartHistory). swarmkit keeps the history in the
// leader's memory, so a new leader forgets it; shoal keeps it on the tasks
// (Task.RestartHistory), each replacement carrying its predecessor's, so the
// count survives a leader change.
//
// Invariant: a task's RestartHistory counts the restarts of its slot up to
// and including the one that created it, for the spec version it names.
import type { Nanoseconds, Version } from '../../api/object-meta.js';
import { parseTimestamp, timestampOf } from '../../api/object-meta.js';
import type { RestartHistory, Task } from '../../api/task.js';
import type { RestartPolicy } from '../../api/task-spec.js';

export interface RestartVerdict {
  readonly restart: boolean;
  /** In words, for the plan step: "on-failure: exited successfully". */
  readonly why: string;
}

export function nanosToMs(ns: Nanoseconds): number {
  return Math.max(0, Math.round(ns / 1_000_000));
}

/**
 * Whether a task that stopped while still wanted should be replaced, judged
 * by its own restart policy and the history it carries.
 * - none: never;
 * - on-failure: unless it completed (exit 0); swarmkit also restarts an
 *   unexpected `shutdown` or `orphaned` under on-failure;
 * - any: always, except that a job treats `any` as on-failure (a completed
 *   job task must stay completed);
 * - then MaxAttempts (0 = unlimited) restarts, counted ever, or only within
 *   Window before the task stopped when Window is set.
 */
export function shouldRestart(task: Task, isJob: boolean): RestartVerdict {
  const policy = task.Spec.RestartPolicy;
  const state = task.Status.State;
  switch (policy.Condition) {
    case 'none':
      return { restart: false, why: 'restart condition none' };
    case 'on-failure':
      if (state === 'complete') return { restart: false, why: 'on-failure: exited successfully' };
      break;
    case 'any':
      if (isJob && state === 'complete') return { restart: false, why: 'job task completed' };
      break;
  }
  if (policy.MaxAttempts === 0) return { restart: true, why: `${policy.Condition}: ${state}` };
  const used = restartsCounted(task, policy);
  if (used < policy.MaxAttempts) {
    return { restart: true, why: `${policy.Condition}: ${state}, restart ${used + 1} of ${policy.MaxAttempts}${windowWords(policy)}` };
  }
  return { restart: false, why: `${policy.Condition}: ${state}, ${policy.MaxAttempts} restarts used${windowWords(policy)}` };
}

function windowWords(policy: RestartPolicy): string {
  return policy.Window > 0 ? ` within ${nanosToMs(policy.Window) / 1000}s` : '';
}

/** Restarts that count against MaxAttempts when `task` stopped. */
function restartsCounted(task: Task, policy: RestartPolicy): number {
  const h = task.RestartHistory;
  // No history, or history of another spec version: past failures do not
  // count against a new service definition.
  if (h === undefined || task.ServiceVersion === undefined || h.SpecVersion.Index !== task.ServiceVersion.Index) return 0;
  if (policy.Window <= 0) return h.TotalRestarts;
  const stoppedAt = parseTimestamp(task.Status.Timestamp);
  if (Number.isNaN(stoppedAt)) return h.TotalRestarts;
  const lookback = stoppedAt - nanosToMs(policy.Window);
  // swarmkit: restarts after the lookback and before the task stopped.
  return h.RecentRestarts.map(parseTimestamp).filter((at) => at > lookback && at < stoppedAt).length;
}

/**
 * The history a replacement carries: its predecessor's plus this restart.
 * A different spec version starts the count afresh. Only restarts inside
 * the window are kept, and no more than MaxAttempts of them, so the record
 * stays small.
 */
export function recordRestart(previous: RestartHistory | undefined, specVersion: Version, policy: RestartPolicy, nowMs: number): RestartHistory {
  const base = previous !== undefined && previous.SpecVersion.Index === specVersion.Index ? previous : undefined;
  const total = (base?.TotalRestarts ?? 0) + 1;
  if (policy.Window <= 0 || policy.MaxAttempts === 0) return { SpecVersion: specVersion, TotalRestarts: total, RecentRestarts: [] };
  const lookback = nowMs - nanosToMs(policy.Window);
  const recent = [...(base?.RecentRestarts ?? []).filter((at) => parseTimestamp(at) > lookback), timestampOf(nowMs)];
  return { SpecVersion: specVersion, TotalRestarts: total, RecentRestarts: recent.slice(Math.max(0, recent.length - policy.MaxAttempts)) };
}
