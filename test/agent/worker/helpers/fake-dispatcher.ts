// The manager side of a worker, in memory: holds the node's tasks, applies
// the worker's status batches forward-only (as the dispatcher does), and
// sends the worker the full assignment set after every change (tasks with
// desired state `remove` are left out, as the dispatcher leaves them out).
import type { TaskStatusUpdate } from '../../../../src/api/contracts/dispatcher.js';
import type { Task } from '../../../../src/api/task.js';
import type { DesiredState, TaskState } from '../../../../src/api/task-state.js';
import { isTaskState, transition } from '../../../../src/api/task-state.js';
import type { Worker } from '../../../../src/agent/worker/worker.js';

export const SERVICE_NAMES = { svcworker: 'wtest' };

export class FakeDispatcher {
  readonly tasks = new Map<string, Task>();
  /** Every update the worker delivered, in order. */
  readonly updates: TaskStatusUpdate[] = [];
  /** While true, batches are refused (the session is reconnecting). */
  failing = false;
  private worker: Worker | null = null;
  private readonly waiters = new Set<() => void>();

  readonly send = async (updates: TaskStatusUpdate[]): Promise<void> => {
    if (this.failing) throw new Error('not connected to a manager');
    for (const u of updates) {
      this.updates.push(u);
      const t = this.tasks.get(u.TaskID);
      if (t === undefined || !isTaskState(u.State) || !transition(t.Status.State, u.State).ok) continue;
      this.tasks.set(t.ID, {
        ...t,
        Status: {
          Timestamp: u.Timestamp,
          State: u.State,
          Message: u.Message,
          ...(u.Err !== undefined ? { Err: u.Err } : {}),
          ContainerStatus: { ...(u.ContainerID !== undefined ? { ContainerID: u.ContainerID } : {}), ...(u.PID !== undefined ? { PID: u.PID } : {}), ...(u.ExitCode !== undefined ? { ExitCode: u.ExitCode } : {}) },
        },
      });
    }
    for (const wake of [...this.waiters]) wake();
    this.push();
  };

  attach(worker: Worker): void {
    this.worker = worker;
    this.push();
  }

  add(...tasks: Task[]): void {
    for (const t of tasks) this.tasks.set(t.ID, t);
    this.push();
  }

  desire(taskId: string, desired: DesiredState): void {
    const t = this.get(taskId);
    this.tasks.set(taskId, { ...t, DesiredState: desired });
    this.push();
  }

  /** Gone from the store (deleted, or another node's now). */
  drop(taskId: string): void {
    this.tasks.delete(taskId);
    this.push();
  }

  get(taskId: string): Task {
    const t = this.tasks.get(taskId);
    if (t === undefined) throw new Error(`no task ${taskId}`);
    return t;
  }

  statesOf(taskId: string): TaskState[] {
    return this.updates.filter((u) => u.TaskID === taskId).map((u) => u.State as TaskState);
  }

  push(): void {
    this.worker?.assign([...this.tasks.values()].filter((t) => t.DesiredState !== 'remove'), SERVICE_NAMES);
  }

  /** Wait (bounded) until the task's status satisfies `check`. */
  async until(taskId: string, what: string, check: (t: Task) => boolean, timeoutMs = 20_000): Promise<Task> {
    const holds = (): Task | undefined => {
      const t = this.tasks.get(taskId);
      return t !== undefined && check(t) ? t : undefined;
    };
    const now = holds();
    if (now !== undefined) return now;
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        const t = holds();
        if (t === undefined) return;
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(t);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        const t = this.tasks.get(taskId);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${taskId} ${what}; it is ${JSON.stringify(t?.Status)}; updates ${JSON.stringify(this.statesOf(taskId))}`));
      }, timeoutMs);
      this.waiters.add(wake);
    });
  }

  untilState(taskId: string, state: TaskState, timeoutMs?: number): Promise<Task> {
    return this.until(taskId, `to be ${state}`, (t) => t.Status.State === state, timeoutMs);
  }
}
