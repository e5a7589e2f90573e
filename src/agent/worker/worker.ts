// The agent's worker: keeps this node's runtime in line with the tasks the
// dispatcher assigns (swarmkit agent/worker.go + the task managers). The
// decisions are decide.ts's; this file is the edge that applies them: one
// loop per task (never two at once for a task), runtime operations bounded
// across tasks, status reports batched (status-reporter.ts).
//
// On start it subscribes to the runtime's events, then lists what the
// runtime holds for this node: running tasks that are still assigned are
// adopted, not restarted. Tasks no longer assigned are stopped (their grace
// period), reported shut down, removed and forgotten. A runtime failure ends
// as the task's status; temporary ones (engine unreachable) are retried with
// backoff; the worker keeps serving the other tasks.
import type { TaskStatusUpdate } from '../../api/contracts/dispatcher.js';
import { invariant, toShoalError } from '../../api/errors.js';
import { timestampOf } from '../../api/object-meta.js';
import type { Task } from '../../api/task.js';
import { transition } from '../../api/task-state.js';
import { abortableDelay, backoffMs } from '../runtime/abortable-delay.js';
import type { ObservedTask, RuntimeEvent, RuntimeEventStream, TaskRuntime } from '../runtime/types.js';
import { errorMessage } from '../runtime/unknown.js';
import { decideTask, opFailure, type ReportedStatus, type WorkerAction } from './decide.js';
import { KeyedRunner, Semaphore } from './keyed-runner.js';
import { runtimeSpecOf } from './runtime-spec.js';
import { StatusReporter } from './status-reporter.js';
import { currentStatus, factsOf, newEntry, present, sameObservation, type TaskEntry } from './task-entry.js';

export interface WorkerOptions {
  readonly nodeId: string;
  readonly runtime: TaskRuntime;
  /** Deliver a batch of status updates to the dispatcher; rejects when it could not (retried). */
  readonly report: (updates: TaskStatusUpdate[]) => Promise<void>;
  /** Runtime operations in flight at once, across tasks (default 16). */
  readonly concurrency?: number;
  readonly now?: () => number;
  readonly log?: (line: string) => void;
  /** Status batching (default 100 ms / 500 updates). */
  readonly flushMs?: number;
  readonly maxBatch?: number;
  /** How often the runtime is listed again to catch anything missed (default 10 s). */
  readonly resyncMs?: number;
  /** Backoff of retries after temporary failures (default 250 ms doubling to 10 s). */
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
  /** Grace period for tasks found with no assignment to read it from (default 10 s). */
  readonly defaultGraceMs?: number;
}

type Phase = 'new' | 'running' | 'stopped';
type RuntimeOpAction = Extract<WorkerAction, { kind: 'prepare' | 'start' | 'stop' | 'remove' }>;

/** Steps one task loop takes before it yields (each report moves the state forward, so far more than enough). */
const MAX_STEPS = 64;

function isTemporary(code: string): boolean {
  return code === 'Unavailable' || code === 'DeadlineExceeded' || code === 'Cancelled' || code === 'ResourceExhausted';
}

export class Worker {
  readonly reporter: StatusReporter;
  private readonly entries = new Map<string, TaskEntry>();
  private readonly runner: KeyedRunner;
  private readonly limit: Semaphore;
  private readonly abort = new AbortController();
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private phase: Phase = 'new';
  private assignmentsKnown = false;
  /** Leaving the swarm: assignments that still arrive are ignored, everything goes. */
  private leaving = false;
  private listed = false;
  private eventsLoop: Promise<void> | null = null;
  private resyncTimer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: WorkerOptions) {
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? (() => undefined);
    this.limit = new Semaphore(opts.concurrency ?? 16);
    this.runner = new KeyedRunner(
      (taskId) => this.drive(taskId),
      (taskId, error) => this.log(`task ${taskId}: ${errorMessage(error)}`),
    );
    this.reporter = new StatusReporter({
      send: opts.report,
      ...(opts.flushMs !== undefined ? { flushMs: opts.flushMs } : {}),
      ...(opts.maxBatch !== undefined ? { maxBatch: opts.maxBatch } : {}),
      onError: (error, pending) => this.log(`status report failed (${pending} pending, will retry): ${errorMessage(error)}`),
    });
  }

  get runtime(): TaskRuntime {
    return this.opts.runtime;
  }

  /** Task ids the worker tracks (tests, info). */
  taskIds(): string[] {
    return [...this.entries.keys()];
  }

  /** Subscribe to the runtime's events, list (and adopt) what it holds, then start reconciling. */
  async start(): Promise<void> {
    invariant(this.phase === 'new', 'a worker starts once');
    const signal = this.abort.signal;
    const first = this.opts.runtime.events(signal);
    await first.ready;
    this.eventsLoop = this.consumeEvents(first);
    try {
      this.applyListing(await this.opts.runtime.list(), true);
    } catch (error) {
      this.log(`cannot list the runtime's tasks (will retry): ${errorMessage(error)}`);
    }
    if (this.phase !== 'new') return;
    this.phase = 'running';
    this.scheduleResync();
    this.kickAll();
  }

  /** The complete set of tasks this node must run now (replaces the previous set). */
  assign(tasks: readonly Task[], serviceNames: Readonly<Record<string, string>>): void {
    if (this.phase === 'stopped' || this.leaving) return;
    const seen = new Set<string>();
    for (const task of tasks) {
      if (task.NodeID !== this.opts.nodeId) continue;
      const entry = this.entry(task.ID);
      entry.task = task;
      entry.assigned = true;
      entry.serviceName = serviceNames[task.ServiceID] ?? entry.serviceName;
      seen.add(task.ID);
    }
    for (const entry of this.entries.values()) if (!seen.has(entry.taskId)) entry.assigned = false;
    this.assignmentsKnown = true;
    this.kickAll();
  }

  /** Resolves once no task loop runs (every task has settled, or waits for a retry or an event). */
  settled(): Promise<void> {
    return this.runner.settled();
  }

  /** Leaving the swarm: stop and remove every task; resolves when none is left or `timeoutMs` passed. */
  async removeAll(timeoutMs: number): Promise<boolean> {
    this.assign([], {});
    // The session stays up meanwhile (shutdown reports go out), and the dispatcher keeps sending this node's tasks.
    this.leaving = true;
    const deadline = this.now() + timeoutMs;
    while (this.entries.size > 0 && this.now() < deadline && this.phase === 'running') {
      await abortableDelay(50, this.abort.signal);
    }
    for (const entry of this.entries.values()) {
      const f = factsOf(entry, this.assignmentsKnown, this.opts.defaultGraceMs);
      this.log(`task ${entry.taskId} not removed: it is ${f.state ?? 'unknown to this agent'}, the runtime shows ${f.observed.kind === 'present' ? f.observed.state.state : f.observed.kind}`);
    }
    return this.entries.size === 0;
  }

  /** Stop reconciling (tasks keep running, as a restarted agent adopts them); deliver pending reports briefly. */
  async stop(drainMs = 1000): Promise<void> {
    if (this.phase === 'stopped') return;
    this.phase = 'stopped';
    this.abort.abort();
    if (this.resyncTimer !== null) clearTimeout(this.resyncTimer);
    for (const entry of this.entries.values()) this.clearRetry(entry);
    await this.runner.settled();
    await this.eventsLoop;
    await this.reporter.drain(drainMs);
    this.reporter.close();
  }

  // ---- the per-task loop ----

  private async drive(taskId: string): Promise<void> {
    for (let step = 0; step < MAX_STEPS; step++) {
      if (this.phase !== 'running') return;
      const entry = this.entries.get(taskId);
      if (entry === undefined) return;
      if (entry.stale && !(await this.refresh(entry))) return;
      const action = decideTask(factsOf(entry, this.assignmentsKnown, this.opts.defaultGraceMs));
      if (action === undefined) return;
      switch (action.kind) {
        case 'report':
          this.applyReport(entry, action.status);
          break;
        case 'forget':
          this.clearRetry(entry);
          this.entries.delete(taskId);
          return;
        default:
          if (!(await this.limit.run(() => this.execute(entry, action)))) return;
      }
    }
    this.log(`task ${taskId}: no settled state after ${MAX_STEPS} steps; trying again later`);
    this.retryLater(this.entries.get(taskId));
  }

  /** Whether the loop may go on (false: a retry is scheduled). */
  private async execute(entry: TaskEntry, action: RuntimeOpAction): Promise<boolean> {
    const runtime = this.opts.runtime;
    try {
      switch (action.kind) {
        case 'prepare': {
          const task = entry.task;
          invariant(task !== undefined, `task ${entry.taskId} is prepared only when assigned`);
          const spec = runtimeSpecOf(task, { nodeId: this.opts.nodeId, serviceName: entry.serviceName });
          entry.observed = present(await runtime.prepare(spec, this.abort.signal));
          entry.stale = false;
          break;
        }
        case 'start':
          await runtime.start(entry.taskId);
          entry.stale = true;
          break;
        case 'stop':
          if (action.reason === 'unhealthy') {
            entry.stoppedUnhealthy = true;
            this.log(`task ${entry.taskId}: unhealthy; stopping it`);
          }
          await runtime.stop(entry.taskId, action.graceMs);
          entry.stale = true;
          break;
        case 'remove':
          await runtime.remove(entry.taskId);
          entry.observed = { kind: 'absent' };
          entry.stale = false;
          break;
      }
      entry.failures = 0;
      return true;
    } catch (error) {
      if (this.abort.signal.aborted) return false;
      const e = toShoalError(error);
      if (e.code === 'NotFound' && action.kind !== 'prepare') {
        // The runtime no longer has it: what follows is decided from that.
        entry.observed = { kind: 'absent' };
        entry.stale = false;
        return true;
      }
      if ((action.kind === 'prepare' || action.kind === 'start') && !isTemporary(e.code)) {
        this.applyReport(entry, opFailure(factsOf(entry, this.assignmentsKnown), action.kind, e.message));
        entry.stale = action.kind === 'start';
        return true;
      }
      this.log(`task ${entry.taskId}: ${action.kind} failed (will retry): ${e.message}`);
      this.retryLater(entry);
      return false;
    }
  }

  /** Inspect the task again; false when the runtime could not say (a retry is scheduled). */
  private async refresh(entry: TaskEntry): Promise<boolean> {
    try {
      entry.observed = present(await this.opts.runtime.inspect(entry.taskId));
      entry.stale = false;
      return true;
    } catch (error) {
      if (this.abort.signal.aborted) return false;
      const e = toShoalError(error);
      if (e.code === 'NotFound') {
        entry.observed = { kind: 'absent' };
        entry.stale = false;
        return true;
      }
      this.log(`task ${entry.taskId}: cannot inspect it (will retry): ${e.message}`);
      this.retryLater(entry);
      return false;
    }
  }

  private applyReport(entry: TaskEntry, status: ReportedStatus): void {
    const from = currentStatus(entry).state ?? 'new';
    const moved = transition(from, status.State);
    if (!moved.ok || !moved.changed) {
      // Only after an await: the store moved the task on meanwhile (orphaned); its state stands.
      this.log(`task ${entry.taskId}: not reporting ${status.State}: it is ${from} already`);
      return;
    }
    entry.local = status;
    this.reporter.report({
      TaskID: entry.taskId,
      State: status.State,
      Message: status.Message,
      ...(status.Err !== undefined ? { Err: status.Err } : {}),
      ...(status.ExitCode !== undefined ? { ExitCode: status.ExitCode } : {}),
      ...(status.ContainerID !== undefined ? { ContainerID: status.ContainerID } : {}),
      ...(status.PID !== undefined ? { PID: status.PID } : {}),
      Timestamp: timestampOf(this.now()),
    });
  }

  // ---- entries, events, resync ----

  private entry(taskId: string): TaskEntry {
    let entry = this.entries.get(taskId);
    if (entry === undefined) {
      // The agent makes every container of this node: after the first listing, one it has not seen does not exist.
      entry = newEntry(taskId, this.listed ? { kind: 'absent' } : { kind: 'unknown' });
      this.entries.set(taskId, entry);
    }
    return entry;
  }

  private kickAll(): void {
    if (this.phase !== 'running') return;
    for (const taskId of this.entries.keys()) this.runner.kick(taskId);
  }

  private retryLater(entry: TaskEntry | undefined): void {
    if (entry === undefined || this.phase === 'stopped' || entry.retryTimer !== null) return;
    entry.failures++;
    const ms = backoffMs(entry.failures - 1, this.opts.retryMinMs ?? 250, this.opts.retryMaxMs ?? 10_000);
    entry.retryTimer = setTimeout(() => {
      entry.retryTimer = null;
      entry.stale = true;
      if (this.phase === 'running') this.runner.kick(entry.taskId);
    }, ms);
  }

  private clearRetry(entry: TaskEntry): void {
    if (entry.retryTimer !== null) clearTimeout(entry.retryTimer);
    entry.retryTimer = null;
  }

  private onEvent(event: RuntimeEvent): void {
    let entry = this.entries.get(event.taskId);
    if (entry === undefined) {
      if (event.kind === 'removed') return;
      entry = newEntry(event.taskId, { kind: 'unknown' });
      this.entries.set(event.taskId, entry);
    }
    entry.stale = true;
    if (this.phase === 'running') this.runner.kick(event.taskId);
  }

  /** Follow the runtime's events; when the stream is lost, resubscribe with backoff and list again for what was missed. */
  private async consumeEvents(first: RuntimeEventStream): Promise<void> {
    const signal = this.abort.signal;
    let stream: RuntimeEventStream | null = first;
    for (let attempt = 0; !signal.aborted; ) {
      try {
        if (stream === null) {
          stream = this.opts.runtime.events(signal);
          await stream.ready;
          void this.resync();
        }
        for await (const event of stream) {
          attempt = 0;
          this.onEvent(event);
        }
        if (signal.aborted) return;
        throw new Error('the event stream ended');
      } catch (error) {
        if (signal.aborted) return;
        this.log(`runtime event stream lost: ${errorMessage(error)}; resubscribing`);
      }
      stream = null;
      await abortableDelay(backoffMs(attempt++, 100, 5000), signal);
    }
  }

  private applyListing(listed: readonly ObservedTask[], initial: boolean): void {
    const found = new Set<string>();
    for (const task of listed) {
      if (task.nodeId !== this.opts.nodeId) continue;
      found.add(task.taskId);
      const entry = this.entry(task.taskId);
      const seen = present(task);
      if (initial || entry.observed.kind === 'unknown') {
        entry.observed = seen;
      } else if (!sameObservation(entry.observed, seen)) {
        entry.stale = true;
      }
    }
    for (const entry of this.entries.values()) {
      if (found.has(entry.taskId)) continue;
      if (entry.observed.kind === 'unknown' && (initial || !this.listed)) entry.observed = { kind: 'absent' };
      else if (entry.observed.kind !== 'absent') entry.stale = true;
    }
    this.listed = true;
  }

  private async resync(): Promise<void> {
    if (this.phase === 'stopped') return;
    try {
      this.applyListing(await this.opts.runtime.list(), !this.listed);
    } catch (error) {
      this.log(`cannot list the runtime's tasks (will retry): ${errorMessage(error)}`);
      return;
    }
    this.kickAll();
  }

  private scheduleResync(): void {
    const every = this.opts.resyncMs ?? 10_000;
    this.resyncTimer = setTimeout(() => {
      void this.resync().finally(() => {
        if (this.phase === 'running') this.scheduleResync();
      });
    }, every);
  }
}
