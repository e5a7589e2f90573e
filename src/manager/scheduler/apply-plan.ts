// The applier: writes a plan into a store transaction, re-checking every
// entry against the latest state (STYLE.md rule 6). An entry whose task
// changed since the plan was made, or whose node is gone or no longer takes
// new tasks, is skipped; the next round looks at it again. `writePlan` only
// reads and writes through `tx`, so Store.update may run it again on a
// version conflict.
import type { PendingExplanation, Task } from '../../api/task.js';
import { transition } from '../../api/task-state.js';
import { timestampOf } from '../../api/object-meta.js';
import type { WriteTx } from '../store/write-tx.js';
import { getObject, updateObject } from '../store/typed.js';
import { ASSIGNED_MESSAGE, CONFIRMED_MESSAGE } from './explain.js';
import type { Plan } from './plan.js';

export interface WriteCounts {
  readonly assigned: number;
  /** Pending tasks whose explanation was written. */
  readonly explained: number;
  /** Pending tasks whose explanation was already the same: nothing written. */
  readonly unchanged: number;
  /** Entries dropped because the task or node changed since the plan. */
  readonly skipped: number;
}

function sameExplanation(task: Task, e: PendingExplanation): boolean {
  const old = task.PendingExplanation;
  if (task.Status.Err !== e.Summary || old === undefined || old.Summary !== e.Summary) return false;
  if (old.Rejections.length !== e.Rejections.length) return false;
  return old.Rejections.every((r, i) => r.Filter === e.Rejections[i]?.Filter && r.Nodes === e.Rejections[i]?.Nodes);
}

function withoutExplanation(task: Task): Task {
  const { PendingExplanation: _dropped, ...rest } = task;
  return rest;
}

export function writePlan(tx: WriteTx, plan: Plan, nowMs: number): WriteCounts {
  const at = timestampOf(nowMs);
  let assigned = 0;
  let explained = 0;
  let unchanged = 0;
  let skipped = 0;
  for (const a of plan.assignments) {
    const task = getObject(tx, 'tasks', a.taskId);
    const node = getObject(tx, 'nodes', a.nodeId);
    const fresh = task !== undefined && task.Version.Index === a.taskVersion && transition(task.Status.State, 'assigned', 'scheduler').ok;
    const open = node !== undefined && node.Status.State === 'ready' && node.Spec.Availability === 'active';
    if (!fresh || !open) {
      skipped++;
      continue;
    }
    updateObject(tx, 'tasks', {
      ...withoutExplanation(task),
      NodeID: a.nodeId,
      Status: { Timestamp: at, State: 'assigned', Message: a.kind === 'assigned' ? ASSIGNED_MESSAGE : CONFIRMED_MESSAGE },
    });
    assigned++;
  }
  for (const u of plan.unschedulable) {
    const task = getObject(tx, 'tasks', u.taskId);
    if (task === undefined || task.Version.Index !== u.taskVersion) {
      skipped++;
      continue;
    }
    // Rewriting the same words would wake every watcher for nothing.
    if (sameExplanation(task, u.explanation)) {
      unchanged++;
      continue;
    }
    updateObject(tx, 'tasks', { ...task, Status: { ...task.Status, Timestamp: at, Err: u.explanation.Summary }, PendingExplanation: u.explanation });
    explained++;
  }
  return { assigned, explained, unchanged, skipped };
}

/** Split a plan into parts of at most `size` entries, assignments first. */
export function splitPlan(plan: Plan, size: number): Plan[] {
  const total = plan.assignments.length + plan.unschedulable.length;
  if (total <= size) return total === 0 ? [] : [plan];
  const out: Plan[] = [];
  for (let i = 0; i < plan.assignments.length; i += size) out.push({ assignments: plan.assignments.slice(i, i + size), unschedulable: [] });
  for (let i = 0; i < plan.unschedulable.length; i += size) out.push({ assignments: [], unschedulable: plan.unschedulable.slice(i, i + size) });
  return out;
}
