// A deleted service's tasks (swarmkit orchestrator.SetServiceTasksRemove):
// each is asked to go away with desired state `remove`; agents stop them and
// the task reaper deletes them once they have stopped.
import type { ServiceId } from '../../api/ids.js';
import type { Task } from '../../api/task.js';
import type { ReadTx } from '../store/read-tx.js';
import { tasksOfService } from '../store/typed.js';
import type { Plan, PlanStep } from './plan.js';
import { step } from './plan.js';
import { isForward } from './task-facts.js';

export function removeSteps(tasks: readonly Task[], why: string): PlanStep[] {
  return tasks.filter((t) => isForward(t.DesiredState, 'remove')).map((t) => step(`${why}: task ${t.ID} removed`, { kind: 'desire', taskId: t.ID, state: 'remove' }));
}

/** The plan for a service that no longer exists. */
export function decideServiceRemoval(view: ReadTx, serviceId: ServiceId): Plan {
  return { serviceId, steps: removeSteps(tasksOfService(view, serviceId), `service ${serviceId} deleted`) };
}
