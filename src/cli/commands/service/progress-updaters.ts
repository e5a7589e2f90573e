// The four progress updaters of docker/cli cli/command/service/progress/
// progress.go (replicated, global, replicated job, global job): given the
// service, its up-to-date tasks and the nodes that are up, each writes the
// lines of the convergence display and says whether the service has
// converged. Synchronous and without IO: they append messages to a list.
// Deviations: slots and nodes are visited in order (Go visits a map), and
// job slots are shoal's 1..N.
import { shortId } from '../../../api/format.js';
import type { Service } from '../../../api/service.js';
import type { Task } from '../../../api/task.js';
import type { DesiredState, TaskState } from '../../../api/task-state.js';
import { taskError } from './task-view.js';

/** One write to the progress output: a line kept by id (Action), or a plain message. */
export type ProgressMessage =
  | { readonly kind: 'progress'; readonly id: string; readonly action: string; readonly current?: number; readonly total?: number }
  | { readonly kind: 'message'; readonly id: string; readonly text: string };

/** docker/cli's numberedStates; states missing here (remove, orphaned) are skipped. */
const NUMBERED: Partial<Record<TaskState | DesiredState, number>> = {
  new: 1,
  pending: 3,
  assigned: 4,
  accepted: 5,
  preparing: 6,
  ready: 7,
  starting: 8,
  running: 9,
  complete: 10,
  shutdown: 11,
  failed: 12,
  rejected: 13,
};

const MAX_PROGRESS = 9;
const MAX_PROGRESS_BARS = 20;
const MAX_JOB_PROGRESS = 10;
/** The longest non-terminal state name, "complete" included ("allocated", "preparing"). */
const LONGEST_STATE = 9;

function num(state: TaskState | DesiredState): number {
  return NUMBERED[state] ?? 0;
}

function terminal(state: TaskState | DesiredState): boolean {
  return num(state) > num('running');
}

/** truncError: one line, at most 75 characters. */
export function truncError(message: string): string {
  const oneLine = message.replace(/\n/g, ' ');
  return oneLine.length > 75 ? `${oneLine.slice(0, 74)}…` : oneLine;
}

function progress(id: string, action: string, current?: number, total?: number): ProgressMessage {
  return { kind: 'progress', id, action, ...(current !== undefined ? { current } : {}), ...(total !== undefined ? { total } : {}) };
}

function overall(out: ProgressMessage[], numerator: number, denominator: number, rollback: boolean): void {
  out.push(progress('overall progress', rollback ? `rolling back update: ${numerator} out of ${denominator} tasks` : `${numerator} out of ${denominator} tasks`));
}

function taskLine(out: ProgressMessage[], id: string, task: Task, barTotal: number): void {
  const err = taskError(task);
  if (err !== '') out.push(progress(id, truncError(err)));
  else out.push(progress(id, task.Status.State.padEnd(LONGEST_STATE), num(task.Status.State), barTotal));
}

/** Of several tasks in one slot, the one with the lowest desired state, then the lowest observed state. */
function preferred(existing: Task | undefined, task: Task): boolean {
  if (existing === undefined) return true;
  if (num(existing.DesiredState) < num(task.DesiredState)) return false;
  if (num(existing.DesiredState) === num(task.DesiredState) && num(existing.Status.State) <= num(task.Status.State)) return false;
  return true;
}

function known(task: Task): boolean {
  return num(task.DesiredState) !== 0 && num(task.Status.State) !== 0;
}

export interface ProgressUpdater {
  /** Write this round's lines into `out`; whether the service has converged. */
  update(service: Service, tasks: readonly Task[], activeNodes: ReadonlySet<string>, rollback: boolean, out: ProgressMessage[]): boolean;
}

class ReplicatedUpdater implements ProgressUpdater {
  private initialized = false;
  private done = false;
  private readonly slotMap = new Map<number, number>();

  update(service: Service, tasks: readonly Task[], activeNodes: ReadonlySet<string>, rollback: boolean, out: ProgressMessage[]): boolean {
    const replicas = service.Spec.Mode.Replicated?.Replicas ?? 0;
    if (!this.initialized) {
      overall(out, 0, replicas, rollback);
      if (replicas <= MAX_PROGRESS_BARS) for (let i = 1; i <= replicas; i++) out.push(progress(`${i}/${replicas}`, ' '));
      this.initialized = true;
    }
    const bySlot = new Map<number, Task>();
    for (const task of tasks) {
      if (!known(task) || !preferred(bySlot.get(task.Slot ?? 0), task)) continue;
      if (task.NodeID !== undefined && task.NodeID !== '' && !activeNodes.has(task.NodeID)) continue;
      bySlot.set(task.Slot ?? 0, task);
    }
    const slots = [...bySlot.entries()].sort(([a], [b]) => a - b);
    if (this.done && slots.some(([, t]) => t.Status.State !== 'running')) this.done = false;
    let running = 0;
    for (const [slot, task] of slots) {
      let mapped = this.slotMap.get(slot);
      if (mapped === undefined) {
        mapped = this.slotMap.size + 1;
        this.slotMap.set(slot, mapped);
      }
      if (!terminal(task.DesiredState) && task.Status.State === 'running') running++;
      if (this.done || replicas > MAX_PROGRESS_BARS || mapped > replicas) continue;
      if (taskError(task) !== '' || (!terminal(task.DesiredState) && !terminal(task.Status.State))) taskLine(out, `${mapped}/${replicas}`, task, MAX_PROGRESS);
    }
    if (!this.done) {
      overall(out, running, replicas, rollback);
      if (running === replicas) this.done = true;
    }
    return running === replicas;
  }
}

class GlobalUpdater implements ProgressUpdater {
  private initialized = false;
  private done = false;

  update(_service: Service, tasks: readonly Task[], activeNodes: ReadonlySet<string>, rollback: boolean, out: ProgressMessage[]): boolean {
    const byNode = new Map<string, Task>();
    for (const task of tasks) {
      const node = task.NodeID ?? '';
      if (known(task) && preferred(byNode.get(node), task)) byNode.set(node, task);
    }
    const nodeCount = byNode.size;
    if (!this.initialized) {
      if (nodeCount === 0) {
        out.push(progress('overall progress', 'waiting for new tasks'));
        return false;
      }
      overall(out, 0, nodeCount, rollback);
      this.initialized = true;
    }
    const nodes = [...byNode.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (this.done && nodes.some(([, t]) => t.Status.State !== 'running')) this.done = false;
    let running = 0;
    for (const [node, task] of nodes) {
      if (!activeNodes.has(node)) continue;
      if (!terminal(task.DesiredState) && task.Status.State === 'running') running++;
      if (this.done || nodeCount > MAX_PROGRESS_BARS) continue;
      if (taskError(task) !== '' || (!terminal(task.DesiredState) && !terminal(task.Status.State))) taskLine(out, shortId(node), task, MAX_PROGRESS);
    }
    if (!this.done) {
      overall(out, running, nodeCount, rollback);
      if (running === nodeCount) this.done = true;
    }
    return running === nodeCount;
  }
}

function lowerState(existing: Task | undefined, task: Task): boolean {
  return existing === undefined || num(existing.Status.State) > num(task.Status.State);
}

class ReplicatedJobUpdater implements ProgressUpdater {
  private initialized = false;
  private readonly progressDigits: number;
  private readonly activeDigits: number;

  constructor(
    private readonly concurrent: number,
    private readonly total: number,
  ) {
    this.progressDigits = String(total).length;
    this.activeDigits = String(concurrent).length;
  }

  update(_service: Service, tasks: readonly Task[], _activeNodes: ReadonlySet<string>, _rollback: boolean, out: ProgressMessage[]): boolean {
    if (!this.initialized) {
      this.writeOverall(out, 0, 0);
      if (this.total <= MAX_PROGRESS_BARS) for (let i = 1; i <= this.total; i++) out.push(progress(`${i}/${this.total}`, ' '));
      this.initialized = true;
    }
    const bySlot = new Map<number, Task>();
    for (const task of tasks) if (known(task) && lowerState(bySlot.get(task.Slot ?? 0), task)) bySlot.set(task.Slot ?? 0, task);
    let active = 0;
    let complete = 0;
    for (const [slot, task] of [...bySlot.entries()].sort(([a], [b]) => a - b)) {
      if (this.total <= MAX_PROGRESS_BARS) taskLine(out, `${slot}/${this.total}`, task, MAX_JOB_PROGRESS);
      if (num(task.Status.State) < num('complete')) active++;
      if (task.Status.State === 'complete') complete++;
    }
    this.writeOverall(out, active, complete);
    return complete === this.total;
  }

  private writeOverall(out: ProgressMessage[], active: number, completed: number): void {
    out.push(progress('job progress', `${String(completed).padStart(this.progressDigits)} out of ${this.total} complete`, completed, this.total));
    const desired = Math.min(this.total - completed, this.concurrent);
    out.push(progress('active tasks', `${String(active).padStart(this.activeDigits)} out of ${String(desired).padStart(this.activeDigits)} tasks`));
  }
}

class GlobalJobUpdater implements ProgressUpdater {
  private taskNodes: Set<string> | undefined;
  private progressDigits = 1;

  update(_service: Service, tasks: readonly Task[], activeNodes: ReadonlySet<string>, _rollback: boolean, out: ProgressMessage[]): boolean {
    if (this.taskNodes === undefined) {
      if (tasks.length === 0 && activeNodes.size !== 0) {
        out.push(progress('job progress', 'waiting for tasks'));
        return false;
      }
      this.taskNodes = new Set(tasks.map((t) => t.NodeID ?? ''));
      this.progressDigits = String(this.taskNodes.size).length;
      this.writeOverall(out, 0);
    }
    const byNode = new Map<string, Task>();
    for (const task of tasks) {
      const node = task.NodeID ?? '';
      if (this.taskNodes.has(node) && lowerState(byNode.get(node), task)) byNode.set(node, task);
    }
    let complete = 0;
    for (const [node, task] of [...byNode.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (this.taskNodes.size <= MAX_PROGRESS_BARS) taskLine(out, node, task, MAX_JOB_PROGRESS);
      if (task.Status.State === 'complete') complete++;
    }
    this.writeOverall(out, complete);
    return complete === this.taskNodes.size;
  }

  private writeOverall(out: ProgressMessage[], complete: number): void {
    const total = this.taskNodes?.size ?? 0;
    out.push(progress('job progress', `${String(complete).padStart(this.progressDigits)} out of ${total} complete`, complete, total));
  }
}

/** initializeUpdater: the updater for the service's mode. */
export function updaterFor(service: Service): ProgressUpdater {
  const mode = service.Spec.Mode;
  if (mode.Replicated !== undefined) return new ReplicatedUpdater();
  if (mode.Global !== undefined) return new GlobalUpdater();
  if (mode.ReplicatedJob !== undefined) return new ReplicatedJobUpdater(mode.ReplicatedJob.MaxConcurrent, mode.ReplicatedJob.TotalCompletions);
  return new GlobalJobUpdater();
}
