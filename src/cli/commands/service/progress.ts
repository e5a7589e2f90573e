// Convergence of a service after create/update/scale/rollback, as docker/cli
// follows it (cli/command/service/progress/progress.go ServiceProgress):
// the update status decides early exits and rollback texts, the mode's
// updater draws the lines, and once every task runs the display waits the
// update monitor period ("verify: Waiting 5 seconds to verify that tasks
// are stable...") before "verify: Service converged".
//
// `ConvergenceTracker.step(view)` is one round of docker's loop, with the
// clock passed in; it does no IO. Docker polls every 200 ms; shoal calls
// `step` when the watch stream brings a change, or at `wakeAtMs`.
//
// Shoal adds one exit docker lacks: when no update is running and a slot's
// last task has stopped for good (its restart policy starts no
// replacement), the service cannot converge and waiting would never end.
import { shortId } from '../../../api/format.js';
import type { Service } from '../../../api/service.js';
import { isJobMode } from '../../../api/service-spec.js';
import type { Task } from '../../../api/task.js';
import { taskName } from '../../../api/task.js';
import { parseTimestamp } from '../../../api/object-meta.js';
import type { ProgressMessage, ProgressUpdater } from './progress-updaters.js';
import { updaterFor } from './progress-updaters.js';
import { isUpToDate, taskError } from './task-view.js';

export type { ProgressMessage } from './progress-updaters.js';

export interface ProgressView {
  readonly service: Service;
  /** Every task of the service (the tracker keeps the up-to-date ones). */
  readonly tasks: readonly Task[];
  /** Ids of the nodes that are not down. */
  readonly activeNodes: ReadonlySet<string>;
  readonly nowMs: number;
}

export type StepOutcome =
  /** Call `step` again on the next change, or at `wakeAtMs` if nothing changes before. */
  | { readonly kind: 'waiting'; readonly wakeAtMs?: number }
  /** Done; `rolledBack` holds the reason when the service was rolled back on the way. */
  | { readonly kind: 'converged'; readonly rolledBack?: string }
  | { readonly kind: 'failed'; readonly message: string };

export interface StepResult {
  readonly messages: readonly ProgressMessage[];
  readonly outcome: StepOutcome;
}

const DEFAULT_MONITOR_MS = 5000;

export class ConvergenceTracker {
  private updater: ProgressUpdater | undefined;
  private converged = false;
  private convergedAtMs: number | undefined;
  private rollback = false;
  private rolledBack: string | undefined;
  private finalMessage: ProgressMessage | undefined;

  step(view: ProgressView): StepResult {
    const out: ProgressMessage[] = [];
    const { service, nowMs } = view;
    const monitorNs = service.Spec.UpdateConfig?.Monitor ?? 0;
    const monitorMs = monitorNs !== 0 ? monitorNs / 1e6 : DEFAULT_MONITOR_MS;
    this.updater ??= updaterFor(service);

    const status = service.UpdateStatus;
    if (status !== undefined) {
      switch (status.State) {
        case 'updating':
          this.rollback = false;
          break;
        case 'completed':
          if (!this.converged) return this.done(out);
          break;
        case 'paused':
          return { messages: out, outcome: { kind: 'failed', message: `service update paused: ${status.Message}` } };
        case 'rollback_started':
          if (!this.rollback && status.Message !== '') {
            out.push({ kind: 'progress', id: 'rollback', action: status.Message });
            this.rolledBack = status.Message;
          }
          this.rollback = true;
          break;
        case 'rollback_paused':
          return { messages: out, outcome: { kind: 'failed', message: `service rollback paused: ${status.Message}` } };
        case 'rollback_completed':
          if (!this.converged) this.finalMessage = { kind: 'message', id: 'rollback', text: status.Message };
          this.rolledBack ??= status.Message;
          this.rollback = true;
          break;
      }
    }
    if (this.converged && this.convergedAtMs !== undefined && nowMs - this.convergedAtMs >= monitorMs) {
      out.push({ kind: 'progress', id: 'verify', action: 'Service converged' });
      if (this.finalMessage !== undefined) out.push(this.finalMessage);
      return this.done(out);
    }

    const tasks = view.tasks.filter((t) => isUpToDate(service, t));
    this.converged = this.updater.update(service, tasks, view.activeNodes, this.rollback, out);
    if (this.converged) {
      if (isJobMode(service.Spec.Mode)) {
        out.push({ kind: 'message', id: '', text: 'job complete' });
        return this.done(out);
      }
      this.convergedAtMs ??= nowMs;
      const wait = monitorMs - (nowMs - this.convergedAtMs);
      // Docker computes this a moment after convergence (wait just under the
      // monitor period: "Waiting 5 seconds"), so whole seconds round up.
      if (wait >= 0) out.push({ kind: 'progress', id: 'verify', action: `Waiting ${Math.max(1, Math.ceil(wait / 1000))} seconds to verify that tasks are stable...` });
      // Wake when the countdown's text changes, or when the wait is over.
      const wakeAtMs = wait > 0 ? nowMs + ((Math.ceil(wait) - 1) % 1000) + 1 : nowMs;
      return { messages: out, outcome: { kind: 'waiting', wakeAtMs } };
    }
    if (this.convergedAtMs !== undefined) out.push({ kind: 'progress', id: 'verify', action: 'Detected task failure' });
    this.convergedAtMs = undefined;
    const stuck = updateRunning(service) ? undefined : stuckReason(service, tasks);
    if (stuck !== undefined) return { messages: out, outcome: { kind: 'failed', message: stuck } };
    return { messages: out, outcome: { kind: 'waiting' } };
  }

  private done(out: ProgressMessage[]): StepResult {
    return { messages: out, outcome: { kind: 'converged', ...(this.rolledBack !== undefined ? { rolledBack: this.rolledBack } : {}) } };
  }
}

function updateRunning(service: Service): boolean {
  const state = service.UpdateStatus?.State;
  return state === 'updating' || state === 'rollback_started';
}

/** The newest task of each numbered slot 1..n. */
function newestBySlot(tasks: readonly Task[], n: number): Map<number, Task> {
  const out = new Map<number, Task>();
  for (const task of tasks) {
    const slot = task.Slot ?? 0;
    if (slot < 1 || slot > n) continue;
    const seen = out.get(slot);
    if (seen === undefined || parseTimestamp(task.CreatedAt) > parseTimestamp(seen.CreatedAt)) out.set(slot, task);
  }
  return out;
}

/**
 * Why a replicated service (or job) cannot converge: a slot's newest task
 * has stopped, the orchestrator has retired it (desired shutdown) and its
 * restart policy starts no replacement: condition none; on-failure after a
 * clean exit of a service task; or MaxAttempts used up (without a window,
 * the count never resets). Global modes are left alone: a node's slot may
 * simply go away.
 */
export function stuckReason(service: Service, upToDate: readonly Task[]): string | undefined {
  const mode = service.Spec.Mode;
  const slots = mode.Replicated?.Replicas ?? mode.ReplicatedJob?.TotalCompletions;
  if (slots === undefined) return undefined;
  const policy = service.Spec.TaskTemplate.RestartPolicy;
  const job = isJobMode(mode);
  for (const task of [...newestBySlot(upToDate, slots).values()].sort((a, b) => (a.Slot ?? 0) - (b.Slot ?? 0))) {
    const state = task.Status.State;
    if (task.DesiredState !== 'shutdown') continue;
    const failed = state === 'failed' || state === 'rejected' || state === 'shutdown' || state === 'orphaned';
    const exited = state === 'complete' && !job;
    if (!failed && !exited) continue;
    const history = task.RestartHistory;
    const usedUp =
      policy.MaxAttempts > 0 && policy.Window === 0 && history !== undefined && history.SpecVersion.Index === service.SpecVersion.Index && history.TotalRestarts >= policy.MaxAttempts;
    let why: string | undefined;
    if (policy.Condition === 'none') why = 'its restart policy (condition none) starts no replacement';
    else if (exited && policy.Condition === 'on-failure') why = 'its restart policy (condition on-failure) does not restart a task that exited cleanly';
    else if (usedUp) why = `its restart policy allows ${policy.MaxAttempts} restart${policy.MaxAttempts === 1 ? '' : 's'} and all were used`;
    if (why === undefined) continue;
    const err = taskError(task);
    return `service ${service.Spec.Name} cannot converge: task ${taskName(service.Spec.Name, task)} (${shortId(task.ID)}) is ${state}${err !== '' ? `: ${err}` : ''}; ${why}`;
  }
  return undefined;
}
