// The UpdateStatus messages `docker service inspect` and `service ps` show.
// Docker's own words come from swarmkit manager/orchestrator/update/updater.go
// (startUpdate, pauseUpdate, rollbackUpdate, completeUpdate) and
// controlapi/service.go (manual rollback); the rest are shoal's, worded alike.
import { formatGoDuration } from '../../api/format.js';
import type { TaskId } from '../../api/ids.js';

/** swarmkit startUpdate. */
export const UPDATE_IN_PROGRESS = 'update in progress';
/** swarmkit completeUpdate. */
export const UPDATE_COMPLETED = 'update completed';
/** swarmkit completeUpdate, after a rollback. */
export const ROLLBACK_COMPLETED = 'rollback completed';

/**
 * What the failure action did: swarmkit's pauseUpdate message says "update
 * paused" even while a rollback is paused (the state says rollback_paused);
 * "rollback paused" is its word for a rollback whose action is rollback
 * ("never roll back a rollback").
 */
export type ActionWords = 'update paused' | 'rollback paused' | 'update rolled back';

/** Why a task counted as a failure. */
export type FailureCause =
  /** It stopped (failed, rejected, completed, shut down by its node) before running or within the monitor window. */
  | { readonly kind: 'terminated' }
  /** shoal: told to run, it did not reach running within the start timeout (Swarm waits forever). */
  | { readonly kind: 'start-timeout'; readonly timeoutMs: number };

/** swarmkit: "update paused due to failure or early termination of task <id>"; shoal's timeout wording alongside. */
export function failureMessage(words: ActionWords, taskId: TaskId, cause: FailureCause): string {
  switch (cause.kind) {
    case 'terminated':
      return `${words} due to failure or early termination of task ${taskId}`;
    case 'start-timeout':
      return `${words} due to task ${taskId} not reaching running within ${formatGoDuration(cause.timeoutMs * 1_000_000)}`;
  }
}

/** shoal: a rollback was called for but the service has no previous spec (swarmkit only logs this). */
export function noPreviousSpecMessage(taskId: TaskId, cause: FailureCause): string {
  return `${failureMessage('update paused', taskId, cause)}; cannot roll back because no previous spec is available`;
}

/** swarmkit controlapi, `service update --rollback`. */
export const MANUAL_ROLLBACK = 'manually requested rollback';

/** shoal's `service rollback --to-version N`. */
export function manualRollbackToVersion(version: number): string {
  return `manually requested rollback to version ${version}`;
}
