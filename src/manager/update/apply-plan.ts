// Write a plan in the store transaction it was decided in. The decider saw
// exactly this transaction's state, so every check here is an invariant: a
// failure is a bug in the decider, and throws.
import { invariant } from '../../api/errors.js';
import { TASK_STATE_NUMBER } from '../../api/task-state.js';
import { createObject, getObject, updateObject } from '../store/typed.js';
import type { WriteTx } from '../store/write-tx.js';
import type { UpdatePlan } from './plan.js';

export function applyPlan(tx: WriteTx, plan: UpdatePlan): void {
  for (const task of plan.create) createObject(tx, 'tasks', task);
  for (const change of plan.desired) {
    const task = getObject(tx, 'tasks', change.taskId);
    invariant(task !== undefined, `task ${change.taskId} to change is in the transaction`);
    invariant(task.DesiredState === change.from, `task ${change.taskId} desired state is ${change.from}, as decided`);
    // Desired state only moves forward (task-state.ts).
    invariant(TASK_STATE_NUMBER[change.to] > TASK_STATE_NUMBER[change.from], `desired state moves forward (${change.from} -> ${change.to})`);
    updateObject(tx, 'tasks', { ...task, DesiredState: change.to });
  }
  if (plan.service !== undefined) {
    const next = plan.service.service;
    const current = getObject(tx, 'services', next.ID);
    invariant(current !== undefined && current.Version.Index === next.Version.Index, `service ${next.ID} is the version decided on`);
    updateObject(tx, 'services', next);
  }
}
