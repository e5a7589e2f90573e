// The restart supervisor (swarmkit orchestrator/restart/restart.go) as pure
// step builders. When a wanted task stops, its desired state becomes
// `shutdown` and, if the policy allows, a replacement is created in the same
// slot at desired `ready`. swarmkit then flips it to running from a timer
// after the restart delay (and after the old task stopped); shoal writes
// that condition on the replacement (Task.DelayedStart) and releases it with
// a `start` step once it holds, so the delay survives a leader change.
import type { TaskId } from '../../api/ids.js';
import type { Node } from '../../api/node.js';
import { parseTimestamp, timestampOf } from '../../api/object-meta.js';
import type { Service } from '../../api/service.js';
import { isJobMode } from '../../api/service-spec.js';
import type { DelayedStart, Task } from '../../api/task.js';
import { isTerminal } from '../../api/task-state.js';
import type { ReadTx } from '../store/read-tx.js';
import { getObject } from '../store/typed.js';
import type { PlanStep } from './plan.js';
import { earliest, step } from './plan.js';
import { nanosToMs, recordRestart, shouldRestart } from './restart-policy.js';
import { hasStopped, orchestratedTask } from './task-facts.js';

/** How long a replacement waits for the task it replaces to stop before starting anyway (swarmkit defaultOldTaskTimeout). */
export const OLD_TASK_TIMEOUT_MS = 60_000;

export interface DecideContext {
  readonly now: number;
  readonly newTaskId: () => TaskId;
}

export interface Replacement {
  readonly step: PlanStep;
  /** The new task, when one is created. */
  readonly replacement?: Task;
}

/** Where a replacement goes: the same slot number, or the same node for global modes. */
function placeOf(task: Task, service: Service): { slot?: number; nodeId?: Task['NodeID'] } {
  const mode = service.Spec.Mode;
  if (mode.Global !== undefined || mode.GlobalJob !== undefined) return task.NodeID !== undefined ? { nodeId: task.NodeID } : {};
  return task.Slot !== undefined ? { slot: task.Slot } : {};
}

function delayedStart(old: Task, node: Node | undefined, delayMs: number, ctx: DecideContext): DelayedStart {
  // swarmkit: wait for the old task to stop unless it already has or its node is down (or gone).
  const waitStop = !isTerminal(old.Status.State) && node !== undefined && node.Status.State !== 'down';
  return {
    NotBefore: timestampOf(ctx.now + delayMs),
    ...(waitStop ? { Replaces: old.ID, StopDeadline: timestampOf(ctx.now + OLD_TASK_TIMEOUT_MS) } : {}),
  };
}

/** The restart delay, which swarmkit does not apply to tasks leaving a drained node. */
function restartDelayMs(old: Task, node: Node | undefined): number {
  if (node !== undefined && node.Spec.Availability === 'drain') return 0;
  return nanosToMs(old.Spec.RestartPolicy.Delay);
}

/**
 * A wanted task has stopped (observed past running): retire it and, when
 * its restart policy allows and `allowRestart` (the node still takes the
 * task), create a replacement that carries the slot's restart history.
 */
export function restartStopped(task: Task, service: Service, node: Node | undefined, ctx: DecideContext, allowRestart = true): Replacement {
  const isJob = isJobMode(service.Spec.Mode);
  const verdict = allowRestart ? shouldRestart(task, isJob) : { restart: false, why: 'node does not take new tasks' };
  const label = `task ${task.ID} ${task.Status.State}`;
  if (!verdict.restart) return { step: step(`${label}, not restarted (${verdict.why})`, { kind: 'desire', taskId: task.ID, state: 'shutdown' }) };
  const replacement = orchestratedTask({
    id: ctx.newTaskId(),
    service,
    place: placeOf(task, service),
    nowMs: ctx.now,
    desiredState: 'ready',
    restartHistory: recordRestart(task.RestartHistory, service.SpecVersion, service.Spec.TaskTemplate.RestartPolicy, ctx.now),
    delayedStart: delayedStart(task, node, restartDelayMs(task, node), ctx),
  });
  return {
    step: step(`${label}, restarted as ${replacement.ID} (${verdict.why})`, { kind: 'desire', taskId: task.ID, state: 'shutdown' }, { kind: 'create', task: replacement }),
    replacement,
  };
}

/**
 * A wanted task sits on a node that is drained, down or gone: retire it
 * and create a replacement in the same slot for the scheduler to place
 * elsewhere. Unlike swarmkit this is not a restart: it happens whatever the
 * restart condition and does not count against MaxAttempts; the history is
 * carried unchanged. The restart delay applies except on a drained node,
 * and the replacement waits for the old task to stop unless its node is down.
 */
export function rescheduleOffNode(task: Task, service: Service, node: Node | undefined, ctx: DecideContext): Replacement {
  const why = node === undefined ? 'is gone' : node.Status.State === 'down' ? 'is down' : 'is drained';
  const replacement = orchestratedTask({
    id: ctx.newTaskId(),
    service,
    place: placeOf(task, service),
    nowMs: ctx.now,
    desiredState: 'ready',
    ...(task.RestartHistory !== undefined ? { restartHistory: task.RestartHistory } : {}),
    delayedStart: delayedStart(task, node, restartDelayMs(task, node), ctx),
  });
  return {
    step: step(`node ${task.NodeID ?? ''} ${why}: task ${task.ID} moved to ${replacement.ID}`, { kind: 'desire', taskId: task.ID, state: 'shutdown' }, { kind: 'create', task: replacement }),
    replacement,
  };
}

export type StartCheck = { readonly due: true } | { readonly due: false; readonly wakeAt?: number };

/**
 * Whether a delayed replacement may start now: its not-before time has
 * passed and the task it replaces has stopped, its node is down or gone, or
 * the stop deadline has passed. Tasks at `ready` without a DelayedStart
 * belong to the updater (start-first preparation) and are never started here.
 */
export function startCheck(task: Task, view: ReadTx, now: number): StartCheck {
  const d = task.DelayedStart;
  if (task.DesiredState !== 'ready' || d === undefined || isTerminal(task.Status.State)) return { due: false };
  const notBefore = parseTimestamp(d.NotBefore);
  if (now < notBefore) return { due: false, wakeAt: notBefore };
  if (d.Replaces === undefined) return { due: true };
  const old = getObject(view, 'tasks', d.Replaces);
  if (hasStopped(old)) return { due: true };
  const node = old?.NodeID !== undefined ? getObject(view, 'nodes', old.NodeID) : undefined;
  if (node === undefined || node.Status.State === 'down') return { due: true };
  const deadline = d.StopDeadline !== undefined ? parseTimestamp(d.StopDeadline) : now;
  if (Number.isNaN(deadline) || now >= deadline) return { due: true };
  return { due: false, wakeAt: deadline };
}

/** Start steps for the delayed replacements that are due, and when to look again for the rest. */
export function releaseDelayedStarts(tasks: readonly Task[], view: ReadTx, now: number): { steps: PlanStep[]; wakeAt?: number } {
  const steps: PlanStep[] = [];
  let wakeAt: number | undefined;
  for (const t of tasks) {
    const c = startCheck(t, view, now);
    if (c.due) steps.push(step(`delayed restart of ${t.ID} released`, { kind: 'start', taskId: t.ID }));
    else wakeAt = earliest(wakeAt, c.wakeAt);
  }
  return wakeAt === undefined ? { steps } : { steps, wakeAt };
}
