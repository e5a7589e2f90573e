// An end-to-end harness for the orchestrator runners: a real MemoryStore and
// Store over a LocalProposer, a fake clock the test advances, a fake
// scheduler that assigns pending tasks, and a fake agent that runs what is
// assigned to it. Nothing sleeps: `settle` yields to the event loop until
// the runners are quiet and the store stops changing.
import type { NodeId, ServiceId } from '../../../src/api/ids.js';
import { timestampOf } from '../../../src/api/object-meta.js';
import type { Task } from '../../../src/api/task.js';
import type { TaskState } from '../../../src/api/task-state.js';
import { TASK_STATE_NUMBER } from '../../../src/api/task-state.js';
import type { Clock } from '../../../src/manager/orchestrator/clock.js';
import { seededBytes } from '../../../src/manager/orchestrator/clock.js';
import type { Plan } from '../../../src/manager/orchestrator/plan.js';
import type { ReconcileLoop } from '../../../src/manager/orchestrator/reconcile-loop.js';
import type { Orchestrators } from '../../../src/manager/orchestrator/runners.js';
import { createOrchestrators } from '../../../src/manager/orchestrator/runners.js';
import { LocalProposer, Store } from '../../../src/manager/store/store.js';
import { allObjects, getObject, updateObject } from '../../../src/manager/store/typed.js';
import { World } from './world.js';

export class FakeClock implements Clock {
  private timers: Array<{ at: number; fn: () => void; seq: number }> = [];
  private seq = 0;
  constructor(private readonly world: World) {}

  now(): number {
    return this.world.now;
  }

  schedule(atMs: number, fn: () => void): () => void {
    const timer = { at: atMs, fn, seq: ++this.seq };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  }

  get pending(): number {
    return this.timers.length;
  }

  /** Move time forward, firing due timers in order. */
  advance(ms: number): void {
    const target = this.world.now + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.world.now = Math.max(this.world.now, due.at);
      due.fn();
    }
    this.world.now = target;
  }
}

/** What the fake agent does with a running task: leave it, or make it exit. */
export type Exit = (task: Task) => 'complete' | 'failed' | undefined;

export class Cluster {
  readonly world: World;
  readonly clock: FakeClock;
  readonly store: Store;
  orchestrators: Orchestrators;
  readonly plans: Array<{ loop: string; plan: Plan }> = [];
  readonly errors: unknown[] = [];
  /** Tasks the agent makes exit, by id. */
  exit: Exit = () => undefined;
  private seed = 1;

  constructor(world = new World()) {
    this.world = world;
    this.clock = new FakeClock(world);
    this.store = new Store(world.memory, new LocalProposer(world.memory), { now: () => new Date(world.now) });
    this.orchestrators = this.create();
  }

  private create(): Orchestrators {
    return createOrchestrators({
      store: this.store,
      clock: this.clock,
      random: seededBytes(this.seed++),
      onPlan: (loop, plan) => this.plans.push({ loop, plan }),
      onError: (_loop, err) => this.errors.push(err),
    });
  }

  get loops(): readonly ReconcileLoop[] {
    const o = this.orchestrators;
    return [o.replicated, o.global, o.jobs, o.reaper];
  }

  /** A leader change: these orchestrators stop; fresh ones (nothing in memory) start on the same store. */
  async failover(): Promise<void> {
    await this.orchestrators.stop();
    this.orchestrators = this.create();
    this.orchestrators.start();
  }

  /** Yield until the runners are quiet and the store has stopped changing. */
  async settle(): Promise<void> {
    let last = -1;
    let calm = 0;
    for (let i = 0; i < 10_000; i++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      const index = this.world.memory.appliedIndex;
      if (this.loops.every((l) => l.quiet) && index === last) {
        if (++calm >= 3) return;
      } else calm = 0;
      last = index;
    }
    throw new Error('the runners did not settle');
  }

  /** Run scheduler and agents against the orchestrators until nothing moves. */
  async run(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      await this.settle();
      const scheduled = await this.schedule();
      const acted = await this.agents();
      if (!scheduled && !acted) {
        await this.settle();
        return;
      }
    }
    throw new Error('the cluster did not converge');
  }

  /** The fake scheduler: pending tasks go to a ready, active node with the fewest tasks of their service. */
  private schedule(): Promise<boolean> {
    return this.store.update((tx) => {
      let changed = false;
      const nodes = allObjects(tx, 'nodes')
        .filter((n) => n.Status.State === 'ready' && n.Spec.Availability === 'active')
        .sort((a, b) => (a.ID < b.ID ? -1 : 1));
      for (const t of allObjects(tx, 'tasks').sort((a, b) => (a.ID < b.ID ? -1 : 1))) {
        if (t.Status.State !== 'pending' || TASK_STATE_NUMBER[t.DesiredState] > TASK_STATE_NUMBER.complete) continue;
        let node: NodeId | undefined = t.NodeID;
        if (node === undefined) {
          const load = (id: NodeId): number => allObjects(tx, 'tasks').filter((x) => x.ServiceID === t.ServiceID && x.NodeID === id && x.DesiredState !== 'shutdown' && x.DesiredState !== 'remove').length;
          node = [...nodes].sort((a, b) => load(a.ID) - load(b.ID))[0]?.ID;
        } else if (!nodes.some((n) => n.ID === node)) node = undefined;
        if (node === undefined) continue;
        updateObject(tx, 'tasks', { ...t, NodeID: node, Status: { ...t.Status, State: 'assigned', Message: 'scheduler assigned task to node', Timestamp: timestampOf(this.world.now) } });
        changed = true;
      }
      return changed;
    });
  }

  /** The fake agents: each live node runs, completes, fails or stops the tasks assigned to it. */
  private agents(): Promise<boolean> {
    return this.store.update((tx) => {
      let changed = false;
      const set = (t: Task, state: TaskState): void => {
        updateObject(tx, 'tasks', { ...t, Status: { ...t.Status, State: state, Message: state, Timestamp: timestampOf(this.world.now) } });
        changed = true;
      };
      for (const t of allObjects(tx, 'tasks')) {
        if (t.NodeID === undefined) continue;
        const node = getObject(tx, 'nodes', t.NodeID);
        if (node === undefined || node.Status.State === 'down') continue;
        const observed = TASK_STATE_NUMBER[t.Status.State];
        if (observed < TASK_STATE_NUMBER.assigned || observed > TASK_STATE_NUMBER.running) continue;
        if (t.DesiredState === 'shutdown' || t.DesiredState === 'remove') set(t, 'shutdown');
        else if (t.DesiredState === 'ready') continue;
        else if (t.Status.State !== 'running') set(t, 'running');
        else {
          const exit = this.exit(t);
          if (exit !== undefined) set(t, exit);
          else if (t.DesiredState === 'complete') set(t, 'complete');
        }
      }
      return changed;
    });
  }

  tasks(service: string): Task[] {
    return this.world.tasks(service);
  }

  running(service: string): Task[] {
    return this.tasks(service).filter((t) => t.Status.State === 'running' && t.DesiredState === 'running');
  }

  service(id: string): ServiceId {
    return id as ServiceId;
  }
}
