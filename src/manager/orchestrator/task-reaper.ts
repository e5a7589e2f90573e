// The task reaper's decider (swarmkit orchestrator/taskreaper): deletes
// tasks nobody needs any more, for one service at a time.
// - tasks with desired state `remove` (scale-down, service deletion) once
//   they have stopped, or if no node ever took them;
// - a deleted service's tasks: asked to `remove` first, deleted once stopped;
// - history: each slot keeps at most TaskHistoryRetentionLimit tasks
//   (negative: no limit); finished ones beyond it go, oldest first.
// A task a node may still be running is never deleted, nor the newest task
// of a slot (it is what holds the slot: deleting a stopped-for-good task
// would let the orchestrator refill the slot and loop).
import type { ServiceId } from '../../api/ids.js';
import type { Task } from '../../api/task.js';
import { slotKey } from '../../api/task.js';
import type { ReadTx } from '../store/read-tx.js';
import { getObject, tasksOfService } from '../store/typed.js';
import type { Plan, PlanStep } from './plan.js';
import { step } from './plan.js';
import { removeSteps } from './service-removal.js';
import { byCreation, byStatusTime, isReapable } from './task-facts.js';

function slotId(task: Task): string | undefined {
  const key = slotKey(task);
  if (key === undefined) return undefined;
  return key.kind === 'slot' ? `slot:${key.slot}` : `node:${key.nodeId}`;
}

export function decideReap(view: ReadTx, serviceId: ServiceId, limit: number): Plan {
  const tasks = tasksOfService(view, serviceId);
  const steps: PlanStep[] = [];
  const del = (t: Task, why: string): void => {
    steps.push(step(`${why}: task ${t.ID} deleted`, { kind: 'delete', taskId: t.ID }));
  };
  if (getObject(view, 'services', serviceId) === undefined) {
    for (const t of tasks) if (isReapable(t)) del(t, `service ${serviceId} deleted`);
    steps.push(...removeSteps(tasks.filter((t) => !isReapable(t)), `service ${serviceId} deleted`));
    return { serviceId, steps };
  }
  const kept: Task[] = [];
  for (const t of tasks) {
    if (t.DesiredState === 'remove' && isReapable(t)) del(t, 'removed');
    else kept.push(t);
  }
  if (limit < 0) return { serviceId, steps };
  const slots = new Map<string, Task[]>();
  for (const t of kept) {
    const id = slotId(t);
    if (id === undefined) continue;
    const list = slots.get(id);
    if (list === undefined) slots.set(id, [t]);
    else list.push(t);
  }
  for (const [id, history] of [...slots.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (history.length <= limit) continue;
    const newest = [...history].sort(byCreation).at(-1);
    let left = history.length;
    for (const t of [...history].sort(byStatusTime)) {
      if (left <= limit) break;
      if (t === newest || !isReapable(t)) continue;
      del(t, `history of ${id} beyond ${limit}`);
      left--;
    }
  }
  return { serviceId, steps };
}
