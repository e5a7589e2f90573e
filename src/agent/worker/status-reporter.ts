// Task status reports to the dispatcher, batched: the latest status per task
// is kept (a newer one replaces an older one unsent), a batch goes every
// `flushMs` or as soon as `maxBatch` tasks wait, one batch at a time. A
// batch that fails (the session is reconnecting, the leader changed) goes
// back into the queue, behind nothing newer, and is retried with backoff.
import type { TaskStatusUpdate } from '../../api/contracts/dispatcher.js';
import { isTaskState, TASK_STATE_NUMBER } from '../../api/task-state.js';

export interface StatusReporterOptions {
  readonly send: (updates: TaskStatusUpdate[]) => Promise<void>;
  readonly flushMs?: number;
  readonly maxBatch?: number;
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
  /** Told when a batch failed (it is kept and retried). */
  readonly onError?: (error: unknown, pending: number) => void;
}

function rank(u: TaskStatusUpdate): number {
  return isTaskState(u.State) ? TASK_STATE_NUMBER[u.State] : -1;
}

/** Of two updates for one task, the one to keep: the later state; on a tie, `b` (the newer). */
export function laterUpdate(a: TaskStatusUpdate | undefined, b: TaskStatusUpdate): TaskStatusUpdate {
  if (a === undefined) return b;
  return rank(b) >= rank(a) ? b : a;
}

export class StatusReporter {
  private readonly pending = new Map<string, TaskStatusUpdate>();
  private timer: NodeJS.Timeout | null = null;
  private sending: Promise<void> | null = null;
  private failures = 0;
  private closed = false;
  private readonly flushMs: number;
  private readonly maxBatch: number;
  private readonly drained = new Set<() => void>();

  constructor(private readonly opts: StatusReporterOptions) {
    this.flushMs = opts.flushMs ?? 100;
    this.maxBatch = opts.maxBatch ?? 500;
  }

  /** Updates not yet acknowledged by a manager. */
  get backlog(): number {
    return this.pending.size;
  }

  report(update: TaskStatusUpdate): void {
    if (this.closed) return;
    this.pending.set(update.TaskID, laterUpdate(this.pending.get(update.TaskID), update));
    if (this.pending.size >= this.maxBatch) this.schedule(0);
    else this.schedule(this.flushMs);
  }

  /** Resolves once nothing is pending (or `timeoutMs` passed): for a clean stop. */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.pending.size === 0 && this.sending === null) return true;
    this.schedule(0);
    let timer: NodeJS.Timeout | undefined;
    let wake: (() => void) | undefined;
    const done = await Promise.race([
      new Promise<boolean>((resolve) => {
        wake = () => resolve(true);
        this.drained.add(wake);
      }),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (wake !== undefined) this.drained.delete(wake);
    return done;
  }

  close(): void {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Send at most one batch now (tests; the timer calls it otherwise). */
  async flush(): Promise<void> {
    if (this.sending !== null) return this.sending;
    if (this.pending.size === 0) return;
    const batch: TaskStatusUpdate[] = [];
    for (const [id, u] of this.pending) {
      batch.push(u);
      this.pending.delete(id);
      if (batch.length >= this.maxBatch) break;
    }
    this.sending = this.opts.send(batch).then(
      () => {
        this.failures = 0;
      },
      (error: unknown) => {
        this.failures++;
        // Back into the queue, unless something newer for the task arrived meanwhile.
        for (const u of batch) this.pending.set(u.TaskID, laterUpdate(u, this.pending.get(u.TaskID) ?? u));
        this.opts.onError?.(error, this.pending.size);
      },
    );
    try {
      await this.sending;
    } finally {
      this.sending = null;
    }
    if (this.pending.size === 0) {
      for (const wake of [...this.drained]) wake();
      return;
    }
    const min = this.opts.retryMinMs ?? 200;
    const retry = Math.min(this.opts.retryMaxMs ?? 5000, min * 2 ** Math.max(0, this.failures - 1));
    this.schedule(this.failures > 0 ? retry : this.pending.size >= this.maxBatch || this.drained.size > 0 ? 0 : this.flushMs);
  }

  private schedule(ms: number): void {
    if (this.closed || this.sending !== null) return;
    if (this.timer !== null) {
      if (ms > 0) return; // a flush is already due
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, ms);
  }
}
