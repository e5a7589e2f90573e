// The scheduler service: the only part with IO (STYLE.md rules 6, 8, 14).
// It watches the store for changes that call for a round (round-trigger.ts),
// waits a short coalescing delay so a burst of commits makes one round, reads
// a snapshot, runs the pure core, and writes the plan back with Store.update,
// re-checking each entry against the latest state (apply-plan.ts).
//
// Rounds are stateless: each reads the whole picture again, so a missed or
// coalesced event costs nothing but latency. One round runs at a time;
// changes during a round make another one due after it.
// Nodes that go down or drain are not the scheduler's job: the orchestrators
// replace their tasks, and the new tasks come here pending.
import { isShoalError } from '../../api/errors.js';
import type { Store } from '../store/store.js';
import { allObjects } from '../store/typed.js';
import type { WatchQueue } from '../store/watch-queue.js';
import { splitPlan, writePlan, type WriteCounts } from './apply-plan.js';
import type { Plan } from './plan.js';
import { seededRng, type Rng } from './rng.js';
import { needsRound } from './round-trigger.js';
import { schedule, type ScheduleInput } from './schedule.js';

export type Disposer = () => void;
/** Call `fn` once after `ms`; the returned function cancels it. Tests pass a hand-driven one. */
export type SetTimer = (fn: () => void, ms: number) => Disposer;

export const realTimer: SetTimer = (fn, ms) => {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};

export interface SchedulerOptions {
  readonly store: Store;
  /** Milliseconds since the epoch; default Date.now. */
  readonly clock?: () => number;
  /** Tie-breaks; default a generator seeded with `seed`. */
  readonly rng?: Rng;
  readonly seed?: number;
  readonly setTimer?: SetTimer;
  /** The coalescing delay between the first change and the round (default 50 ms, as swarmkit's commitDebounceGap). */
  readonly delayMs?: number;
  /**
   * Plan entries per store transaction (default 200, swarmkit's
   * MaxChangesPerTransaction); a larger plan is written in parts, which
   * keeps Raft entries small.
   */
  readonly maxWritesPerTransaction?: number;
  /** Called after each round, for logs and tests. */
  readonly onRound?: (report: RoundReport) => void;
}

export interface RoundReport extends WriteCounts {
  readonly plan: Plan;
}

type RunState =
  | { readonly kind: 'created' }
  | { readonly kind: 'idle' }
  | { readonly kind: 'armed'; readonly cancel: Disposer }
  | { readonly kind: 'running'; dirty: boolean }
  | { readonly kind: 'stopped' };

export function readInput(store: Store): ScheduleInput {
  return store.view((tx) => ({ nodes: allObjects(tx, 'nodes'), tasks: allObjects(tx, 'tasks'), services: allObjects(tx, 'services') }));
}

export class Scheduler {
  private state: RunState = { kind: 'created' };
  private readonly disposers: Disposer[] = [];
  private current: Promise<void> = Promise.resolve();
  private readonly clock: () => number;
  private readonly rng: Rng;
  private readonly setTimer: SetTimer;
  private readonly delayMs: number;
  private readonly maxWrites: number;
  private watch: WatchQueue | null = null;
  private finish: { resolve: () => void; reject: (e: unknown) => void } | null = null;

  constructor(private readonly opts: SchedulerOptions) {
    this.clock = opts.clock ?? Date.now;
    this.rng = opts.rng ?? seededRng(opts.seed ?? 0x5eed);
    this.setTimer = opts.setTimer ?? realTimer;
    this.delayMs = opts.delayMs ?? 50;
    this.maxWrites = Math.max(1, opts.maxWritesPerTransaction ?? 200);
  }

  /**
   * Watch the store and schedule until stopped or `signal` aborts. The first
   * round is due at once (after the delay). Resolves on stop; rejects when a
   * round fails (e.g. this manager lost leadership), after stopping.
   */
  start(signal?: AbortSignal): Promise<void> {
    if (this.state.kind !== 'created') throw new Error(`scheduler cannot start: it is ${this.state.kind}`);
    this.state = { kind: 'idle' };
    const done = new Promise<void>((resolve, reject) => (this.finish = { resolve, reject }));
    if (signal !== undefined) {
      if (signal.aborted) {
        void this.stop();
        return done;
      }
      const onAbort = (): void => void this.stop();
      signal.addEventListener('abort', onAbort, { once: true });
      this.disposers.push(() => signal.removeEventListener('abort', onAbort));
    }
    this.subscribe();
    this.markDirty();
    return done;
  }

  /** Stop watching, cancel a due round, and wait for a running one to finish. Idempotent. */
  async stop(): Promise<void> {
    this.halt();
    await this.current;
    this.finish?.resolve();
  }

  /** Resolves when the round running now (if any) has been written. */
  settled(): Promise<void> {
    return this.current;
  }

  private halt(): void {
    if (this.state.kind === 'armed') this.state.cancel();
    this.state = { kind: 'stopped' };
    for (const d of this.disposers.splice(0).reverse()) d();
  }

  private subscribe(): void {
    const watch = this.opts.store.watch({ filter: needsRound });
    this.watch = watch;
    this.disposers.push(() => watch.close());
    void this.consume(watch);
  }

  private async consume(watch: WatchQueue): Promise<void> {
    try {
      for await (const _batch of watch) this.markDirty();
    } catch (e) {
      if (this.state.kind === 'stopped' || this.watch !== watch) return;
      // A watcher that fell behind missed events; rounds read everything
      // afresh, so subscribing again and running a round loses nothing.
      if (isShoalError(e) && e.code === 'ResourceExhausted') {
        this.subscribe();
        this.markDirty();
        return;
      }
      this.fail(e);
    }
  }

  private markDirty(): void {
    switch (this.state.kind) {
      case 'idle': {
        const cancel = this.setTimer(() => this.runRound(), this.delayMs);
        this.state = { kind: 'armed', cancel };
        return;
      }
      case 'running':
        this.state.dirty = true;
        return;
      case 'armed':
      case 'created':
      case 'stopped':
        return;
    }
  }

  private runRound(): void {
    if (this.state.kind !== 'armed') return;
    const running: RunState = { kind: 'running', dirty: false };
    this.state = running;
    this.current = this.runAndReport(running);
  }

  private async runAndReport(running: RunState & { kind: 'running' }): Promise<void> {
    try {
      const report = await this.round();
      this.opts.onRound?.(report);
    } catch (e) {
      this.fail(e);
      return;
    }
    if (this.state !== running) return;
    this.state = { kind: 'idle' };
    if (running.dirty) this.markDirty();
  }

  private async round(): Promise<RoundReport> {
    const nowMs = this.clock();
    const plan = schedule(readInput(this.opts.store), nowMs, this.rng);
    let counts: WriteCounts = { assigned: 0, explained: 0, unchanged: 0, skipped: 0 };
    for (const part of splitPlan(plan, this.maxWrites)) {
      const c = await this.opts.store.update((tx) => writePlan(tx, part, nowMs));
      counts = { assigned: counts.assigned + c.assigned, explained: counts.explained + c.explained, unchanged: counts.unchanged + c.unchanged, skipped: counts.skipped + c.skipped };
    }
    return { plan, ...counts };
  }

  private fail(e: unknown): void {
    this.halt();
    this.finish?.reject(e);
  }
}
