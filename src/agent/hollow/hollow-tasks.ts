// What a hollow node "runs": for each assigned task, the observed state it
// has reached, moved one step at a time toward the state the task's desired
// state calls for, as a real agent's runtime would (accepted, preparing,
// ready, starting, running), with no container behind it. Pure bookkeeping:
// the node decides when to step and where the reports go.
import type { Task } from '../../api/task.js';
import { assertNever } from '../../api/errors.js';
import { compareTaskStates, isTerminal, type DesiredState, type TaskState } from '../../api/task-state.js';

/** The agent's band of states, in order (task-state.ts), up to a job's end. */
const PATH: readonly TaskState[] = ['accepted', 'preparing', 'ready', 'starting', 'running', 'complete'];

/** Docker's status messages for each state an agent reports. */
const MESSAGES: Partial<Record<TaskState, string>> = {
  accepted: 'accepted',
  preparing: 'preparing',
  ready: 'prepared',
  starting: 'starting',
  running: 'started',
  complete: 'finished',
  shutdown: 'shutdown',
};

export function messageFor(state: TaskState): string {
  return MESSAGES[state] ?? state;
}

/** The observed state a desired state asks the agent to reach. */
export function goalOf(desired: DesiredState): TaskState {
  switch (desired) {
    case 'running':
      return 'running';
    case 'ready':
      return 'ready';
    case 'complete':
      return 'complete';
    case 'shutdown':
    case 'remove':
      return 'shutdown';
    default:
      return assertNever(desired, 'desired state');
  }
}

/**
 * The next observed state on the way from `observed` to `goal`, or null when
 * there is nothing to do. Invariant: the result ranks above `observed`
 * (states only move forward).
 */
export function nextState(observed: TaskState, goal: TaskState): TaskState | null {
  if (isTerminal(observed)) return null;
  if (goal === 'shutdown') return 'shutdown';
  if (compareTaskStates(observed, goal) >= 0) return null;
  return PATH.find((s) => compareTaskStates(s, observed) > 0 && compareTaskStates(s, goal) <= 0) ?? null;
}

export interface StateChange {
  readonly taskId: string;
  readonly state: TaskState;
}

interface Known {
  observed: TaskState;
  goal: TaskState;
}

export class HollowTasks {
  private readonly known = new Map<string, Known>();

  get size(): number {
    return this.known.size;
  }

  /** Tasks that still have a step to take. */
  get moving(): number {
    let n = 0;
    for (const k of this.known.values()) if (nextState(k.observed, k.goal) !== null) n++;
    return n;
  }

  countIn(state: TaskState): number {
    let n = 0;
    for (const k of this.known.values()) if (k.observed === state) n++;
    return n;
  }

  /**
   * The dispatcher's complete set of this node's tasks. New ones start from
   * what the store last saw (after a reconnect the node picks up where its
   * reports got to). A task that left the set is stopped, as a real agent
   * stops what it is no longer assigned: returned as `shutdown` if it had
   * not ended, then forgotten.
   */
  assign(tasks: readonly Task[]): StateChange[] {
    const ids = new Set<string>();
    for (const t of tasks) {
      ids.add(t.ID);
      const k = this.known.get(t.ID);
      const goal = goalOf(t.DesiredState);
      if (k === undefined) this.known.set(t.ID, { observed: t.Status.State, goal });
      else k.goal = goal;
    }
    const stopped: StateChange[] = [];
    for (const [id, k] of this.known) {
      if (ids.has(id)) continue;
      if (!isTerminal(k.observed)) stopped.push({ taskId: id, state: 'shutdown' });
      this.known.delete(id);
    }
    return stopped;
  }

  /** Move every task one state on; what changed, in task order. */
  step(): StateChange[] {
    const out: StateChange[] = [];
    for (const [taskId, k] of this.known) {
      const next = nextState(k.observed, k.goal);
      if (next === null) continue;
      k.observed = next;
      out.push({ taskId, state: next });
    }
    return out;
  }

  /** Take every step at once (bounded: PATH has six states, plus shutdown). */
  settle(): StateChange[] {
    const out: StateChange[] = [];
    for (let i = 0; i <= PATH.length; i++) {
      const changes = this.step();
      if (changes.length === 0) break;
      out.push(...changes);
    }
    return out;
  }
}
