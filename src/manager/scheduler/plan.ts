// What the scheduler decides, as plain data (STYLE.md rule 6): the applier
// checks each entry against the latest store state before committing it.
import type { NodeId, TaskId } from '../../api/ids.js';
import type { PendingExplanation } from '../../api/task.js';

export interface Assignment {
  readonly taskId: TaskId;
  /** The task version the decision was made on; a task changed since is skipped. */
  readonly taskVersion: number;
  readonly nodeId: NodeId;
  /**
   * `assigned`: the scheduler chose the node. `confirmed`: a preassigned
   * task (a global service's) fits the node it was created for.
   */
  readonly kind: 'assigned' | 'confirmed';
}

export interface Unschedulable {
  readonly taskId: TaskId;
  readonly taskVersion: number;
  /** Summary is what Status.Err shows. */
  readonly explanation: PendingExplanation;
}

export interface Plan {
  readonly assignments: readonly Assignment[];
  readonly unschedulable: readonly Unschedulable[];
}
