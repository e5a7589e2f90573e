// What one decision asks for: plain data, applied by apply-plan.ts in the
// same store transaction it was decided in (STYLE.md rule 6).
import type { TaskId } from '../../api/ids.js';
import type { Service } from '../../api/service.js';
import type { Task } from '../../api/task.js';
import type { DesiredState } from '../../api/task-state.js';
import type { UpdaterState } from './updater-state.js';

/** A desired-state change of an existing task; desired states only move forward. */
export interface DesiredChange {
  readonly taskId: TaskId;
  readonly from: DesiredState;
  readonly to: DesiredState;
}

/**
 * A change of the service object: the update status, and for an automatic
 * rollback the spec too. `service` is the whole object to write, read in
 * the same transaction (its Version is the one read).
 */
export interface ServiceChange {
  readonly kind: 'start' | 'pause' | 'rollback' | 'complete';
  readonly service: Service;
}

export interface UpdatePlan {
  /** Replacement tasks, complete (newTask), each in the slot of the tasks it replaces. */
  readonly create: readonly Task[];
  /** Old tasks to shut down (`shutdown`); new stop-first tasks to start (`ready` -> `running`). */
  readonly desired: readonly DesiredChange[];
  readonly service?: ServiceChange;
  /** Decide again at this time (ms on the injected clock) even if the store does not change. */
  readonly wakeAt?: number;
  /** The updater's state once this plan is committed. */
  readonly next: UpdaterState;
}

/** Whether applying the plan writes nothing. */
export function writesNothing(plan: UpdatePlan): boolean {
  return plan.create.length === 0 && plan.desired.length === 0 && plan.service === undefined;
}
