// The updater's edge: watches the store, runs the decider for each service
// whose service object or tasks changed (or whose wake-up time came), and
// commits each plan through Store.update in the transaction it was decided
// in, so a plan always matches the state it is applied to; Store.update
// retries a bounded number of times when another writer got in between.
// One service is decided at a time, in the order changes arrived.
import type { ServiceId, TaskId } from '../../api/ids.js';
import { newObjectId } from '../../api/ids.js';
import type { Task } from '../../api/task.js';
import type { StoreEvent } from '../store/events.js';
import type { Store } from '../store/store.js';
import { allObjects, getObject, tasksOfService } from '../store/typed.js';
import type { WatchQueue } from '../store/watch-queue.js';
import { applyPlan } from './apply-plan.js';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import { decide } from './decide.js';
import type { UpdatePlan } from './plan.js';
import type { UpdaterSettings } from './settings.js';
import { DEFAULT_UPDATER_SETTINGS } from './settings.js';
import { groupBySlot } from './slots.js';
import type { UpdaterState } from './updater-state.js';
import { IDLE } from './updater-state.js';

export interface UpdaterOptions {
  readonly store: Store;
  readonly clock?: Clock;
  readonly settings?: Partial<UpdaterSettings>;
  /** Ids for replacement tasks; random 25-character ids by default. */
  readonly newTaskId?: () => TaskId;
  /** A decision that could not be committed (after Store.update's retries); it is tried again after `retryDelayMs`. */
  readonly onError?: (error: unknown, serviceId?: ServiceId) => void;
  /** Default 1000 ms. */
  readonly retryDelayMs?: number;
}

type Lifecycle =
  | { readonly kind: 'created' }
  | { readonly kind: 'running'; readonly disposers: Array<() => void> }
  | { readonly kind: 'stopped' };

function serviceOf(event: StoreEvent): ServiceId | undefined {
  if (event.table === 'services') return event.object.ID as ServiceId;
  if (event.table === 'tasks') return (event.object as unknown as Task).ServiceID;
  return undefined;
}

export class Updater {
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly settings: UpdaterSettings;
  private readonly newTaskId: () => TaskId;
  private readonly onError: (error: unknown, serviceId?: ServiceId) => void;
  private readonly retryDelayMs: number;
  private life: Lifecycle = { kind: 'created' };
  private readonly states = new Map<ServiceId, UpdaterState>();
  private readonly timers = new Map<ServiceId, () => void>();
  /** Services to decide for, in arrival order; a service queued twice is decided once. */
  private readonly queue = new Set<ServiceId>();
  private pumpActive = false;
  private pumping: Promise<void> = Promise.resolve();

  constructor(opts: UpdaterOptions) {
    this.store = opts.store;
    this.clock = opts.clock ?? systemClock;
    this.settings = { ...DEFAULT_UPDATER_SETTINGS, ...opts.settings };
    this.newTaskId = opts.newTaskId ?? (() => newObjectId() as TaskId);
    this.onError =
      opts.onError ??
      ((error, id) => console.error(`updater${id === undefined ? '' : `: service ${id}`}: ${error instanceof Error ? error.message : String(error)}`));
    this.retryDelayMs = opts.retryDelayMs ?? 1000;
  }

  /** Watch the store and keep every service's update moving until `stop` (or `signal` aborts). */
  start(signal?: AbortSignal): void {
    if (this.life.kind !== 'created') throw new Error(`updater cannot start: it is ${this.life.kind}`);
    const disposers: Array<() => void> = [];
    this.life = { kind: 'running', disposers };
    if (signal !== undefined) {
      const onAbort = (): void => void this.stop();
      signal.addEventListener('abort', onAbort, { once: true });
      disposers.push(() => signal.removeEventListener('abort', onAbort));
      if (signal.aborted) onAbort();
    }
    this.subscribe();
  }

  /** Stop watching, cancel wake-ups, and wait for a decision in flight to be committed. */
  async stop(): Promise<void> {
    if (this.life.kind !== 'running') {
      this.life = { kind: 'stopped' };
      return;
    }
    const { disposers } = this.life;
    this.life = { kind: 'stopped' };
    for (const dispose of disposers.splice(0)) dispose();
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    this.queue.clear();
    await this.pumping;
  }

  /** What the updater remembers of a service's update (idle when none is in progress). */
  stateOf(id: ServiceId): UpdaterState {
    return this.states.get(id) ?? IDLE;
  }

  private subscribe(): void {
    if (this.life.kind !== 'running') return;
    const [ids, watch] = this.store.viewAndWatch((tx) => allObjects(tx, 'services').map((s) => s.ID), {
      filter: (e) => e.table === 'services' || e.table === 'tasks',
    });
    this.life.disposers.push(() => watch.close());
    for (const id of ids) this.enqueue(id);
    void this.consume(watch);
  }

  private async consume(watch: WatchQueue): Promise<void> {
    try {
      for await (const batch of watch) {
        for (const event of batch.events) {
          const id = serviceOf(event);
          if (id !== undefined) this.enqueue(id);
        }
      }
    } catch (error) {
      // Fell too far behind (ResourceExhausted): read everything again and resume with no gap.
      this.onError(error);
      this.subscribe();
    }
  }

  private enqueue(id: ServiceId): void {
    if (this.life.kind !== 'running') return;
    this.queue.add(id);
    if (this.pumpActive) return;
    this.pumpActive = true;
    this.pumping = this.pump();
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        const next = this.queue.values().next();
        if (next.done === true || this.life.kind !== 'running') return;
        this.queue.delete(next.value);
        await this.step(next.value);
      }
    } finally {
      // Cleared synchronously with the loop's last check: a service queued after it starts a new pump.
      this.pumpActive = false;
    }
  }

  private async step(id: ServiceId): Promise<void> {
    const prior = this.stateOf(id);
    let plan: UpdatePlan;
    try {
      plan = await this.store.update((tx) => {
        const service = getObject(tx, 'services', id);
        const slots = service === undefined ? [] : groupBySlot(tasksOfService(tx, id));
        const p = decide({ service, slots, now: this.clock.now(), state: prior, settings: this.settings, newTaskId: this.newTaskId });
        applyPlan(tx, p);
        return p;
      });
    } catch (error) {
      this.onError(error, id);
      this.arm(id, this.clock.now() + this.retryDelayMs);
      return;
    }
    if (plan.next.kind === 'idle') this.states.delete(id);
    else this.states.set(id, plan.next);
    this.arm(id, plan.wakeAt);
  }

  /** The one wake-up a service has: replaced by each decision's, dropped when it has none. */
  private arm(id: ServiceId, at: number | undefined): void {
    this.timers.get(id)?.();
    this.timers.delete(id);
    if (at === undefined || this.life.kind !== 'running') return;
    const cancel = this.clock.schedule(at, () => {
      this.timers.delete(id);
      this.enqueue(id);
    });
    this.timers.set(id, cancel);
  }
}
