// Which store changes call for a scheduling round (swarmkit Scheduler.Run's
// event switch, narrowed): a task that becomes pending, a task that stops
// holding a node's resources, a desired-state change, a deleted task, a new
// node, or a node whose scheduling-relevant fields changed. The scheduler's
// own writes (pending -> assigned, an explanation) do not call for another.
// Node deletion does not either: nothing can be placed on a node that left.
import type { Node } from '../../api/node.js';
import type { Task } from '../../api/task.js';
import { isRunningOrBefore } from '../../api/task-state.js';
import type { StoreEvent } from '../store/events.js';

function taskNeedsRound(event: StoreEvent): boolean {
  const task = event.object as unknown as Task;
  switch (event.kind) {
    case 'create':
      return task.Status.State === 'pending';
    case 'delete':
      return true;
    case 'update': {
      const old = event.old as unknown as Task;
      if (old.DesiredState !== task.DesiredState) return true;
      if (task.Status.State === 'pending') return old.Status.State !== 'pending' || old.NodeID !== task.NodeID;
      return isRunningOrBefore(old.Status.State) && !isRunningOrBefore(task.Status.State);
    }
  }
}

/** What filters and ranking read from a node; heartbeats and manager status do not matter. */
function schedulingView(n: Node): string {
  return JSON.stringify([n.Spec, n.Description, n.Status.State, n.Status.Addr]);
}

export function needsRound(event: StoreEvent): boolean {
  switch (event.table) {
    case 'tasks':
      return taskNeedsRound(event);
    case 'nodes':
      if (event.kind === 'create') return true;
      if (event.kind === 'delete') return false;
      return schedulingView(event.old as unknown as Node) !== schedulingView(event.object as unknown as Node);
    default:
      return false;
  }
}
