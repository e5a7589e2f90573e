// The updater's decider: (service, its tasks by slot, now, updater state)
// -> plan. Pure: time and new task ids are inputs, nothing is read or
// written outside the arguments. The rules are swarmkit's updater.go,
// written as one decision per store change or wake-up instead of a loop.
import type { TaskId } from '../../api/ids.js';
import { timestampOf } from '../../api/object-meta.js';
import type { Service, UpdateStatus } from '../../api/service.js';
import { isJobMode, replicaCount } from '../../api/service-spec.js';
import { newTask, pendingTask, type Task } from '../../api/task.js';
import { isTerminal } from '../../api/task-state.js';
import { Draft } from './draft.js';
import { exceedsFailureRatio } from './failure-ratio.js';
import type { ActionWords } from './messages.js';
import { failureMessage, noPreviousSpecMessage, ROLLBACK_COMPLETED, UPDATE_COMPLETED, UPDATE_IN_PROGRESS } from './messages.js';
import type { ServiceChange, UpdatePlan } from './plan.js';
import { advance } from './replacement-step.js';
import { autoRollback } from './rollback-spec.js';
import type { UpdaterSettings } from './settings.js';
import { configFor } from './settings.js';
import type { Slot, SlotWork } from './slots.js';
import { hasStopped, slotWork } from './slots.js';
import type { Direction, Failure, Progress, Replacement, Target, UpdaterState, Watched } from './updater-state.js';
import { IDLE, newProgress, sameTarget, transition } from './updater-state.js';

export interface DecideInput {
  /** Undefined once the service is deleted. */
  readonly service: Service | undefined;
  /** The service's tasks by slot (`groupBySlot`), in slot order. */
  readonly slots: readonly Slot[];
  /** Milliseconds on the injected clock. */
  readonly now: number;
  readonly state: UpdaterState;
  readonly settings: UpdaterSettings;
  /** Ids for replacement tasks (random in production, a counter in tests). */
  readonly newTaskId: () => TaskId;
}

/** The status an update runs under: updating and rollback_started are active; the others wait for a spec change. */
function isActive(status: UpdateStatus | undefined): boolean {
  return status === undefined || status.State === 'updating' || status.State === 'rollback_started';
}

function plan(from: UpdaterState, next: UpdaterState, parts: Partial<Omit<UpdatePlan, 'next'>> = {}): UpdatePlan {
  return { create: [], desired: [], ...parts, next: transition(from, next) };
}

export function decide(input: DecideInput): UpdatePlan {
  const { service, state, now } = input;
  // Jobs have no update config ("Jobs may not have an update config"): their orchestrator reruns them.
  if (service === undefined || isJobMode(service.Spec.Mode)) return plan(state, IDLE);
  const status = service.UpdateStatus;
  // Paused, completed: nothing until the spec changes (updateServiceSpec clears the status).
  if (!isActive(status)) return plan(state, IDLE);
  const direction: Direction = status?.State === 'rollback_started' ? 'rollback' : 'update';
  const target: Target = { specVersion: service.SpecVersion.Index, direction };
  // Slots above Replicas are being scaled away by the orchestrator: not worth replacing.
  const replicas = replicaCount(service.Spec.Mode);
  const slots = input.slots.filter((s) => replicas === undefined || s.key.kind !== 'slot' || s.key.slot <= replicas);
  const work = new Map(slots.map((s) => [s.id, slotWork(service, s)]));
  const needsWork = (w: SlotWork | undefined): boolean => w?.kind === 'replace' || w?.kind === 'adopt' || w?.kind === 'wait';

  // A different target supersedes whatever was in progress: start again from the slots.
  const current = state.kind !== 'idle' && sameTarget(state.progress.target, target) ? state : undefined;
  let progress: Progress;
  let started: ServiceChange | undefined;
  if (current === undefined) {
    const dirty = [...work.values()].filter(needsWork).length;
    if (dirty === 0) {
      // swarmkit: "Abort immediately if all tasks are clean", completing a started update.
      if (status === undefined) return plan(state, IDLE);
      return plan(state, IDLE, { service: complete(service, status, direction, now) });
    }
    progress = newProgress(target, dirty);
    if (status === undefined) {
      started = { kind: 'start', service: { ...service, UpdateStatus: { State: 'updating', StartedAt: timestampOf(now), Message: UPDATE_IN_PROGRESS } } };
    }
  } else {
    progress = current.progress;
  }
  const effective = started?.service.UpdateStatus ?? status;
  if (effective === undefined) throw new Error('invariant violated: an active update has a status');

  const d = new Draft(service, configFor(service, direction), input.settings, now, input.slots.flatMap((s) => s.tasks));
  const watched = new Map(progress.watched);
  const failed = [...progress.failed];
  const visited = new Set(progress.visited);
  const unvisited = slots.filter((s) => !visited.has(s.id) && needsWork(work.get(s.id))).length;
  const total = Math.max(progress.total, visited.size + unvisited);

  // 1. Failures of the tasks this update started, and timeouts of those not yet running.
  const fresh: Failure[] = [];
  const fail = (f: Failure): void => {
    if (!failed.includes(f.taskId) && !fresh.some((x) => x.taskId === f.taskId)) fresh.push(f);
  };
  observe(d, watched, fail);
  let replacements = advanceAll(d, progress.replacements, fail);

  // 2. The failure action, for the failure that crosses MaxFailureRatio.
  for (const f of fresh) {
    failed.push(f.taskId);
    watched.delete(f.taskId);
    if (d.config.FailureAction !== 'continue' && exceedsFailureRatio(failed.length, total, d.config.MaxFailureRatio)) {
      return plan(state, IDLE, { service: failureAction(service, effective, direction, d.config.FailureAction, f, now) });
    }
  }

  // 3. Hand free lanes to the next dirty slots, in slot order.
  const lanes = d.config.Parallelism === 0 ? Number.POSITIVE_INFINITY : d.config.Parallelism;
  for (const slot of slots) {
    if (replacements.length >= lanes) break;
    const w = work.get(slot.id);
    if (visited.has(slot.id) || w === undefined || (w.kind !== 'replace' && w.kind !== 'adopt')) continue;
    visited.add(slot.id);
    const r = begin(d, slot, w, watched, input.newTaskId);
    // A reused task may already be running: let it move on (and free its lane) at once.
    if (r !== undefined) replacements = [...replacements, ...advanceAll(d, [r], fail)];
  }

  const next: Progress = { target, total, visited, replacements, watched, failed };
  const writes = { create: d.created, desired: d.desired, ...(started !== undefined ? { service: started } : {}) };
  if (replacements.length > 0 || slots.some((s) => !visited.has(s.id) && needsWork(work.get(s.id)))) {
    return plan(state, { kind: 'rolling', progress: next }, { ...writes, ...wake(d.wakeTime) });
  }
  // 4. Every slot done: watch one more Monitor period, then complete.
  const until = current?.kind === 'monitoring' ? current.until : now + d.monitorMs;
  if (now >= until) return plan(state, IDLE, { ...writes, service: complete(started?.service ?? service, effective, direction, now) });
  return plan(state, { kind: 'monitoring', progress: next, until }, { ...writes, wakeAt: until });
}

function wake(at: number | undefined): { wakeAt?: number } {
  return at === undefined ? {} : { wakeAt: at };
}

/**
 * swarmkit failureTriggersAction: a task this update created counts as a
 * failure when it stops on its own (any state past running while still
 * asked to run: failed, rejected, or an early `complete`) before it was
 * seen running or within Monitor of it. Past Monitor it is no longer watched.
 */
function observe(d: Draft, watched: Map<TaskId, Watched>, fail: (f: Failure) => void): void {
  for (const [id, w] of watched) {
    const task = d.task(id);
    if (task === undefined) {
      watched.delete(id);
      continue;
    }
    let runningAt = w.runningAt;
    if (runningAt === undefined && task.Status.State === 'running') {
      runningAt = d.now;
      watched.set(id, { runningAt });
    }
    const asked = task.DesiredState === 'ready' || task.DesiredState === 'running';
    if (isTerminal(task.Status.State)) {
      watched.delete(id);
      if (asked && (runningAt === undefined || d.now - runningAt <= d.monitorMs)) fail({ taskId: id, cause: { kind: 'terminated' } });
    } else if (!asked || (runningAt !== undefined && d.now - runningAt > d.monitorMs)) {
      watched.delete(id);
    }
  }
}

function advanceAll(d: Draft, rs: readonly Replacement[], fail: (f: Failure) => void): Replacement[] {
  const out: Replacement[] = [];
  for (const r of rs) {
    const next = advance(d, r, fail);
    if (next !== undefined) out.push(next);
  }
  return out;
}

/** Start replacing one dirty slot (swarmkit worker: reuse a clean task if the slot has one, else create one). */
function begin(d: Draft, slot: Slot, work: SlotWork, watched: Map<TaskId, Watched>, newTaskId: () => TaskId): Replacement | undefined {
  const { now } = d;
  const stopFirst = d.config.Order === 'stop-first';
  if (work.kind === 'replace') {
    const id = newTaskId();
    const task: Task = pendingTask(newTask({
      id,
      serviceId: d.service.ID,
      spec: d.service.Spec,
      serviceVersion: d.service.SpecVersion,
      nowMs: now,
      ...(slot.key.kind === 'slot' ? { slot: slot.key.slot } : { nodeId: slot.key.nodeId }),
      // stop-first: prepared but not started until the old task has stopped (swarmkit: TaskStateReady + DelayStart).
      desiredState: stopFirst ? 'ready' : 'running',
    }), now);
    d.create(task);
    watched.set(id, {});
    if (!stopFirst) return { phase: 'starting', slotId: slot.id, taskId: id, keep: work.old, since: now };
    for (const old of work.old) d.setDesired(old, 'shutdown');
    return { phase: 'awaiting-stop', slotId: slot.id, taskId: id, waitFor: work.old, since: now };
  }
  if (work.kind !== 'adopt') return undefined;
  // A clean task left in the slot (by a superseded update, or before a leader change): finish with it.
  const { task, others } = work;
  watched.set(task.ID, watched.get(task.ID) ?? (task.Status.State === 'running' ? { runningAt: now } : {}));
  if (stopFirst) {
    for (const old of others) d.setDesired(old, 'shutdown');
    if (task.DesiredState === 'ready' && !others.every((o) => hasStopped(d.task(o)))) {
      return { phase: 'awaiting-stop', slotId: slot.id, taskId: task.ID, waitFor: others, since: now };
    }
    d.setDesired(task.ID, 'running');
    return { phase: 'starting', slotId: slot.id, taskId: task.ID, keep: [], since: now };
  }
  d.setDesired(task.ID, 'running');
  return { phase: 'starting', slotId: slot.id, taskId: task.ID, keep: others, since: now };
}

/** swarmkit completeUpdate: "update completed" or, after a rollback, "rollback completed". */
function complete(service: Service, status: UpdateStatus, direction: Direction, now: number): ServiceChange {
  const done: UpdateStatus =
    direction === 'rollback'
      ? { ...status, State: 'rollback_completed', Message: ROLLBACK_COMPLETED, CompletedAt: timestampOf(now) }
      : { ...status, State: 'completed', Message: UPDATE_COMPLETED, CompletedAt: timestampOf(now) };
  return { kind: 'complete', service: { ...service, UpdateStatus: done } };
}

/** swarmkit pauseUpdate / rollbackUpdate. */
function failureAction(
  service: Service,
  status: UpdateStatus,
  direction: Direction,
  action: 'pause' | 'rollback',
  f: Failure,
  now: number,
): ServiceChange {
  const pause = (words: ActionWords, message = failureMessage(words, f.taskId, f.cause)): ServiceChange => ({
    kind: 'pause',
    service: { ...service, UpdateStatus: { ...status, State: direction === 'rollback' ? 'rollback_paused' : 'paused', Message: message } },
  });
  if (action === 'pause') return pause('update paused');
  // "Never roll back a rollback."
  if (direction === 'rollback') return pause('rollback paused');
  const rolled = autoRollback(service, status, failureMessage('update rolled back', f.taskId, f.cause), now);
  if (rolled === undefined) return pause('update paused', noPreviousSpecMessage(f.taskId, f.cause));
  return { kind: 'rollback', service: rolled };
}
