// How one slot's replacement moves on, given the tasks as they are now:
// the per-slot half of the decider (swarmkit updater worker, updateTask,
// useExistingTask, and restart.Supervisor.DelayStart's wait for the old task).
import type { TaskId } from '../../api/ids.js';
import type { Task } from '../../api/task.js';
import { isTerminal } from '../../api/task-state.js';
import { assertNever } from '../../api/errors.js';
import type { Draft } from './draft.js';
import { hasStopped } from './slots.js';
import type { Failure, Replacement } from './updater-state.js';
import { movePhase } from './updater-state.js';

type Step = { readonly kind: 'stay'; readonly wakeAt?: number } | { readonly kind: 'move'; readonly to: Replacement } | { readonly kind: 'release' };

/** Run a replacement forward as far as the tasks allow now; undefined once it frees its lane. */
export function advance(d: Draft, r: Replacement, fail: (f: Failure) => void): Replacement | undefined {
  let cur = r;
  for (;;) {
    const step = stepOnce(d, cur, fail);
    switch (step.kind) {
      case 'stay':
        if (step.wakeAt !== undefined) d.wakeAt(step.wakeAt);
        return cur;
      case 'release':
        return undefined;
      case 'move':
        cur = movePhase(cur, step.to);
        break;
      default:
        return assertNever(step, 'replacement step');
    }
  }
}

function askedToRun(task: Task): boolean {
  return task.DesiredState === 'ready' || task.DesiredState === 'running';
}

function allStopped(d: Draft, ids: readonly TaskId[]): boolean {
  return ids.every((id) => hasStopped(d.task(id)));
}

function stepOnce(d: Draft, r: Replacement, fail: (f: Failure) => void): Step {
  const { now } = d;
  const oldTimeout = d.settings.oldTaskTimeoutMs;
  const task = d.task(r.taskId);
  switch (r.phase) {
    case 'awaiting-stop': {
      // Someone else took the new task over (scale-down, service removal), or it already ended: not ours to wait on.
      if (task === undefined || !askedToRun(task) || isTerminal(task.Status.State)) return { kind: 'release' };
      if (!allStopped(d, r.waitFor) && now < r.since + oldTimeout) return { kind: 'stay', wakeAt: r.since + oldTimeout };
      d.setDesired(r.taskId, 'running');
      return { kind: 'move', to: { phase: 'starting', slotId: r.slotId, taskId: r.taskId, keep: [], since: now } };
    }
    case 'starting': {
      if (task === undefined || !askedToRun(task)) return { kind: 'release' };
      const cooldown: Step = { kind: 'move', to: { phase: 'cooldown', slotId: r.slotId, taskId: r.taskId, until: now + d.delayMs } };
      if (task.Status.State === 'running') {
        const keep = r.keep.filter((id) => {
          const old = d.task(id);
          return old !== undefined && askedToRun(old);
        });
        for (const id of keep) d.setDesired(id, 'shutdown');
        if (keep.length === 0) return cooldown;
        return { kind: 'move', to: { phase: 'retiring', slotId: r.slotId, taskId: r.taskId, waitFor: keep, since: now } };
      }
      // Failed before running: counted by the watch; start-first keeps its old tasks (swarmkit removes them only on running).
      if (isTerminal(task.Status.State)) return cooldown;
      const timeout = d.settings.startTimeoutMs;
      if (timeout <= 0) return { kind: 'stay' };
      if (now >= r.since + timeout) {
        fail({ taskId: r.taskId, cause: { kind: 'start-timeout', timeoutMs: timeout } });
        return cooldown;
      }
      return { kind: 'stay', wakeAt: r.since + timeout };
    }
    case 'retiring': {
      if (!allStopped(d, r.waitFor) && now < r.since + oldTimeout) return { kind: 'stay', wakeAt: r.since + oldTimeout };
      return { kind: 'move', to: { phase: 'cooldown', slotId: r.slotId, taskId: r.taskId, until: now + d.delayMs } };
    }
    case 'cooldown':
      return now >= r.until ? { kind: 'release' } : { kind: 'stay', wakeAt: r.until };
    default:
      return assertNever(r, 'replacement');
  }
}
