// What the updater sees of a service's tasks: slots, which tasks in them
// are live, and which of those run an outdated spec (swarmkit
// orchestrator.IsTaskDirty, updater isSlotDirty).
import type { TaskId } from '../../api/ids.js';
import type { Service } from '../../api/service.js';
import type { SlotKey, Task } from '../../api/task.js';
import { slotKey } from '../../api/task.js';
import { TASK_STATE_NUMBER } from '../../api/task-state.js';

/** A slot and every task of the service that occupies it, old and new. */
export interface Slot {
  /** `3` for replicated slot 3, `node:<id>` for a global service's node. */
  readonly id: string;
  readonly key: SlotKey;
  readonly tasks: readonly Task[];
}

export function slotIdOf(key: SlotKey): string {
  return key.kind === 'slot' ? String(key.slot) : `node:${key.nodeId}`;
}

/** Tasks grouped by slot, in slot order (numbers ascending, then node ids); tasks without a slot are left out. */
export function groupBySlot(tasks: readonly Task[]): Slot[] {
  const bySlot = new Map<string, { key: SlotKey; tasks: Task[] }>();
  for (const task of tasks) {
    const key = slotKey(task);
    if (key === undefined) continue;
    const id = slotIdOf(key);
    const entry = bySlot.get(id);
    if (entry === undefined) bySlot.set(id, { key, tasks: [task] });
    else entry.tasks.push(task);
  }
  return [...bySlot.entries()]
    .map(([id, e]) => ({ id, key: e.key, tasks: e.tasks }))
    .sort((a, b) => compareKeys(a.key, b.key));
}

function compareKeys(a: SlotKey, b: SlotKey): number {
  if (a.kind === 'slot' && b.kind === 'slot') return a.slot - b.slot;
  if (a.kind === 'node' && b.kind === 'node') return a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0;
  return a.kind === 'slot' ? -1 : 1;
}

/**
 * Live: asked to be ready or running, and not yet stopped. Only live tasks
 * occupy a slot for the updater; a slot whose tasks all stopped is the
 * orchestrator's to refill (restart policy), never the updater's.
 */
export function isLive(task: Task): boolean {
  return (task.DesiredState === 'ready' || task.DesiredState === 'running') && TASK_STATE_NUMBER[task.Status.State] <= TASK_STATE_NUMBER.running;
}

/**
 * Stopped for the purpose of starting its successor: gone from the node,
 * or never placed on one (observed before `assigned`).
 */
export function hasStopped(task: Task | undefined): boolean {
  if (task === undefined) return true;
  const n = TASK_STATE_NUMBER[task.Status.State];
  return n > TASK_STATE_NUMBER.running || n < TASK_STATE_NUMBER.assigned;
}

/**
 * swarmkit IsTaskDirty: a task whose ServiceVersion is the service's current
 * SpecVersion is clean; otherwise it is dirty when its task spec differs
 * from the service's TaskTemplate (which carries ForceUpdate, so
 * `update --force` dirties every task). A change of replicas, update
 * config or labels alone leaves tasks clean.
 */
export function isTaskDirty(service: Service, task: Task): boolean {
  if (task.ServiceVersion !== undefined && task.ServiceVersion.Index === service.SpecVersion.Index) return false;
  return !sameData(task.Spec, service.Spec.TaskTemplate);
}

/** What the updater does with a slot, from its live tasks. */
export type SlotWork =
  | { readonly kind: 'none' }
  /** One live task on the current spec, asked to run: nothing to do. */
  | { readonly kind: 'clean' }
  /** Live tasks and none on the current spec: replace them with a new task. */
  | { readonly kind: 'replace'; readonly old: readonly TaskId[] }
  /** A live task on the current spec exists (a replacement left by an earlier run): finish with it. */
  | { readonly kind: 'adopt'; readonly task: Task; readonly others: readonly TaskId[] }
  /** Its clean task is the restart supervisor's, waiting out its restart delay; other live tasks remain: come back once it is started. */
  | { readonly kind: 'wait' };

/** swarmkit updater worker: prefer a clean task asked to run, then a clean one asked to be ready. */
export function slotWork(service: Service, slot: Slot): SlotWork {
  const live = slot.tasks.filter(isLive);
  if (live.length === 0) return { kind: 'none' };
  const clean = live.filter((t) => !isTaskDirty(service, t));
  const keep = clean.find((t) => t.DesiredState === 'running') ?? clean.find((t) => t.DesiredState === 'ready');
  if (keep === undefined) return { kind: 'replace', old: live.map((t) => t.ID) };
  const others = live.filter((t) => t !== keep).map((t) => t.ID);
  // A delayed restart (desired ready with a DelayedStart) is the orchestrator's to start, never the updater's.
  if (keep.DesiredState === 'ready' && keep.DelayedStart !== undefined) return others.length === 0 ? { kind: 'clean' } : { kind: 'wait' };
  if (others.length === 0 && keep.DesiredState === 'running') return { kind: 'clean' };
  return { kind: 'adopt', task: keep, others };
}

/** Structural equality of plain data, with an absent key equal to an undefined one. */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameData(x, b[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const k of keys) if (!sameData(ra[k], rb[k])) return false;
  return true;
}
