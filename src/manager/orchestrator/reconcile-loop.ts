// The edge of an orchestrator: the one loop around a pure decider (STYLE.md
// rules 6, 8 and 14). It reads the store and watches it with no gap
// (viewAndWatch), marks the services each committed change touches, and for
// each marked service decides on a fresh snapshot and applies the plan.
// Changes that arrive while it works coalesce: a service is decided once
// for any number of events. Plans name when a service needs another look
// (a delayed restart falling due); one timer on the injected clock covers
// them all. Every subscription and timer is released on stop.
//
// Errors: a ShoalError (lost a version race too often, not the leader,
// quorum lost) is retried for that service with capped backoff; anything
// else is a bug, and the loop fails: `done` rejects for the supervisor.
import { isShoalError } from '../../api/errors.js';
import type { ServiceId } from '../../api/ids.js';
import type { StoreEvent } from '../store/events.js';
import type { ReadTx } from '../store/read-tx.js';
import type { Store } from '../store/store.js';
import type { WatchQueue } from '../store/watch-queue.js';
import type { ApplyOutcome } from './apply-plan.js';
import { applyPlan } from './apply-plan.js';
import type { Clock, RandomBytes } from './clock.js';
import { taskIdSource } from './clock.js';
import type { Plan } from './plan.js';
import type { DecideContext } from './restart-supervisor.js';

/** A supervised subsystem (STYLE.md rule 8). */
export interface SupervisedService {
  readonly name: string;
  start(signal?: AbortSignal): void;
  /** Stop, waiting for a plan being applied to finish. */
  stop(): Promise<void>;
  /** Resolves once stopped; rejects if the service failed. */
  readonly done: Promise<void>;
}

export interface LoopDeps {
  readonly store: Store;
  readonly clock: Clock;
  /** Bytes for new task ids (default: crypto). */
  readonly random?: RandomBytes;
  /** Each applied plan, for logs and tests. */
  readonly onPlan?: (loop: string, plan: Plan, outcome: ApplyOutcome) => void;
  /** An error the loop recovers from by retrying. */
  readonly onError?: (loop: string, err: unknown) => void;
}

export interface LoopSpec {
  readonly name: string;
  /** The services to decide when the loop starts (or resubscribes). */
  allKeys(view: ReadTx): Iterable<ServiceId>;
  /** The services a committed change makes worth another look; `all` = every one of allKeys. */
  keysOf(event: StoreEvent, view: ReadTx): Iterable<ServiceId> | 'all';
  decide(view: ReadTx, key: ServiceId, ctx: DecideContext): Plan;
  /** Wait this long after a change before deciding, so bursts coalesce further (default 0). */
  readonly batchMs?: number;
}

type LoopState = 'new' | 'running' | 'stopping' | 'stopped' | 'failed';

const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 10_000;

export class ReconcileLoop implements SupervisedService {
  readonly name: string;
  readonly done: Promise<void>;
  private state: LoopState = 'new';
  private readonly dirty = new Set<ServiceId>();
  private readonly wakes = new Map<ServiceId, number>();
  private timer: { at: number; cancel: () => void } | undefined;
  private watch: WatchQueue | undefined;
  private wake: (() => void) | undefined;
  private kicked = false;
  private busy = false;
  private failures = 0;
  private readonly disposers = new Set<() => void>();
  /** Ends every sleep at once (stop). */
  private readonly sleeps = new Set<() => void>();
  private readonly newTaskId;
  private settle!: { resolve: () => void; reject: (e: unknown) => void };
  private worker: Promise<void> | undefined;
  /** A bug met outside the worker (in the watch pump), rethrown by the worker. */
  private fatal: { error: unknown } | undefined;

  constructor(
    private readonly spec: LoopSpec,
    private readonly deps: LoopDeps,
  ) {
    this.name = spec.name;
    this.newTaskId = taskIdSource(deps.random);
    this.done = new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // A failure is reported through `done`; keep an unobserved rejection from crashing the process.
    this.done.catch(() => undefined);
  }

  start(signal?: AbortSignal): void {
    if (this.state !== 'new') throw new Error(`${this.name} was already started`);
    this.state = 'running';
    if (signal !== undefined) {
      const onAbort = (): void => void this.stop();
      if (signal.aborted) queueMicrotask(onAbort);
      else {
        signal.addEventListener('abort', onAbort, { once: true });
        this.disposers.add(() => signal.removeEventListener('abort', onAbort));
      }
    }
    this.subscribe();
    this.worker = this.work().then(
      () => this.finish(undefined),
      (err: unknown) => this.finish(err),
    );
  }

  async stop(): Promise<void> {
    if (this.state === 'new') {
      this.state = 'stopped';
      this.settle.resolve();
      return;
    }
    if (this.state === 'running') this.state = 'stopping';
    this.watch?.close();
    for (const end of [...this.sleeps]) end();
    this.poke();
    await this.worker;
  }

  /** Nothing marked, nothing being applied, no change waiting: for tests that run the loop to a standstill. */
  get quiet(): boolean {
    return !this.busy && this.dirty.size === 0 && (this.watch?.pending ?? 0) === 0;
  }

  /** When the loop will next look at a service without being told of a change. */
  get nextWake(): number | undefined {
    return this.timer?.at;
  }

  private get running(): boolean {
    return this.state === 'running';
  }

  private subscribe(): void {
    const [keys, watch] = this.deps.store.viewAndWatch((view) => [...this.spec.allKeys(view)]);
    this.watch = watch;
    for (const k of keys) this.dirty.add(k);
    this.poke();
    void this.pump(watch);
  }

  /** Feed committed changes into the dirty set; resubscribe if the watch is dropped while running. */
  private async pump(watch: WatchQueue): Promise<void> {
    try {
      for await (const batch of watch) {
        this.deps.store.view((view) => {
          for (const event of batch.events) this.mark(this.spec.keysOf(event, view), view);
        });
        this.poke();
      }
    } catch (err) {
      if (!isShoalError(err)) {
        this.fatal = { error: err };
        this.poke();
        return;
      }
      // Fell behind (ResourceExhausted): start again from a fresh snapshot.
      this.deps.onError?.(this.name, err);
    }
    if (this.running && this.watch === watch) this.subscribe();
  }

  private mark(keys: Iterable<ServiceId> | 'all', view: ReadTx): void {
    for (const k of keys === 'all' ? this.spec.allKeys(view) : keys) this.dirty.add(k);
  }

  private poke(): void {
    this.kicked = true;
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private idle(): Promise<void> {
    if (this.kicked) {
      this.kicked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.wake = () => {
        this.kicked = false;
        resolve();
      };
    });
  }

  /** Wait until `atMs` on the injected clock, or until stopped. */
  private sleepUntil(atMs: number): Promise<void> {
    return new Promise((resolve) => {
      let cancel: () => void = () => undefined;
      const end = (): void => {
        this.sleeps.delete(end);
        cancel();
        resolve();
      };
      this.sleeps.add(end);
      cancel = this.deps.clock.schedule(atMs, end);
    });
  }

  private async work(): Promise<void> {
    while (this.running) {
      if (this.fatal !== undefined) throw this.fatal.error;
      if (this.dirty.size === 0) {
        await this.idle();
        continue;
      }
      this.busy = true;
      try {
        const batchMs = this.spec.batchMs ?? 0;
        if (batchMs > 0) await this.sleepUntil(this.deps.clock.now() + batchMs);
        const keys = [...this.dirty].sort();
        this.dirty.clear();
        for (const key of keys) {
          if (!this.running) break;
          await this.reconcile(key);
        }
      } finally {
        this.busy = false;
      }
    }
  }

  private async reconcile(key: ServiceId): Promise<void> {
    const ctx: DecideContext = { now: this.deps.clock.now(), newTaskId: this.newTaskId };
    const plan = this.deps.store.view((view) => this.spec.decide(view, key, ctx));
    this.setWake(key, plan.wakeAt);
    if (plan.steps.length === 0) return;
    try {
      const outcome = await applyPlan(this.deps.store, plan);
      this.failures = 0;
      this.deps.onPlan?.(this.name, plan, outcome);
    } catch (err) {
      if (!isShoalError(err)) throw err;
      this.deps.onError?.(this.name, err);
      this.failures++;
      const backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** (this.failures - 1));
      await this.sleepUntil(this.deps.clock.now() + backoff);
      this.dirty.add(key);
    }
  }

  private setWake(key: ServiceId, at: number | undefined): void {
    if (at === undefined) this.wakes.delete(key);
    else this.wakes.set(key, at);
    this.armTimer();
  }

  private armTimer(): void {
    let next: number | undefined;
    for (const at of this.wakes.values()) next = next === undefined ? at : Math.min(next, at);
    if (this.timer !== undefined && this.timer.at === next) return;
    this.timer?.cancel();
    this.timer = undefined;
    if (next === undefined || !this.running) return;
    const cancel = this.deps.clock.schedule(next, () => this.onTimer());
    this.timer = { at: next, cancel };
  }

  private onTimer(): void {
    this.timer = undefined;
    const now = this.deps.clock.now();
    for (const [key, at] of this.wakes) {
      if (at > now) continue;
      this.wakes.delete(key);
      this.dirty.add(key);
    }
    this.armTimer();
    this.poke();
  }

  private finish(err: unknown): void {
    this.state = err === undefined ? 'stopped' : 'failed';
    this.timer?.cancel();
    this.timer = undefined;
    this.watch?.close();
    for (const end of [...this.sleeps]) end();
    for (const d of [...this.disposers]) d();
    this.disposers.clear();
    if (err === undefined) this.settle.resolve();
    else this.settle.reject(err);
  }
}
