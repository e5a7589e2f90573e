// The scheduler service against a real MemoryStore and LocalProposer, with
// the coalescing timer driven by hand: no sleeps. `flush` only lets the
// watch loop take the events already committed.
import test from 'ava';
import { ShoalError } from '../../../src/api/errors.js';
import type { Node } from '../../../src/api/node.js';
import type { Service } from '../../../src/api/service.js';
import type { Task } from '../../../src/api/task.js';
import { MemoryStore } from '../../../src/manager/store/memory-store.js';
import { LocalProposer, Store, type Proposer } from '../../../src/manager/store/store.js';
import type { StoreEvent } from '../../../src/manager/store/events.js';
import type { StoredObject } from '../../../src/manager/store/tables.js';
import { allObjects, createObject, getObject, updateObject } from '../../../src/manager/store/typed.js';
import { writePlan } from '../../../src/manager/scheduler/apply-plan.js';
import { seededRng } from '../../../src/manager/scheduler/rng.js';
import { schedule } from '../../../src/manager/scheduler/schedule.js';
import { needsRound } from '../../../src/manager/scheduler/round-trigger.js';
import { readInput, Scheduler, type RoundReport, type SetTimer } from '../../../src/manager/scheduler/scheduler.js';
import { node, NOW, pending, service } from './fixtures.js';

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

class ManualTimer {
  private due: Array<{ fn: () => void; ms: number; live: boolean }> = [];
  readonly set: SetTimer = (fn, ms) => {
    const entry = { fn, ms, live: true };
    this.due.push(entry);
    return () => {
      entry.live = false;
    };
  };
  get armed(): number {
    return this.due.filter((d) => d.live).length;
  }
  get lastDelay(): number | undefined {
    return this.due.at(-1)?.ms;
  }
  /** Run every live callback; the caller then awaits the scheduler's round. */
  fire(): void {
    const now = this.due.filter((d) => d.live);
    this.due = [];
    for (const d of now) d.fn();
  }
}

interface Harness {
  readonly memory: MemoryStore;
  readonly store: Store;
  readonly timer: ManualTimer;
  readonly sched: Scheduler;
  readonly reports: RoundReport[];
  readonly done: Promise<void>;
  /** Fire the timer and wait for the round to be written. */
  round(): Promise<RoundReport | undefined>;
}

async function seed(store: Store, nodes: Node[], services: Service[], tasks: Task[]): Promise<void> {
  await store.update((tx) => {
    for (const n of nodes) createObject(tx, 'nodes', n);
    for (const s of services) createObject(tx, 'services', s);
    for (const t of tasks) createObject(tx, 'tasks', t);
  });
}

async function harness(nodes: Node[], services: Service[], tasks: Task[], proposer?: (m: MemoryStore) => Proposer): Promise<Harness> {
  const memory = new MemoryStore();
  const store = new Store(memory, proposer?.(memory) ?? new LocalProposer(memory), { now: () => new Date(NOW) });
  await seed(store, nodes, services, tasks);
  const timer = new ManualTimer();
  const reports: RoundReport[] = [];
  const sched = new Scheduler({ store, clock: () => NOW, seed: 7, setTimer: timer.set, onRound: (r) => reports.push(r) });
  const done = sched.start();
  return {
    memory,
    store,
    timer,
    sched,
    reports,
    done,
    async round() {
      const before = reports.length;
      timer.fire();
      await sched.settled();
      await flush();
      return reports.length > before ? reports.at(-1) : undefined;
    },
  };
}

const tasksOf = (store: Store): Task[] => store.view((tx) => allObjects(tx, 'tasks'));
const taskById = (store: Store, id: string): Task | undefined => store.view((tx) => getObject(tx, 'tasks', id));

test('the first round assigns pending tasks: NodeID, state assigned, swarmkit\'s message', async (t) => {
  const web = service('web');
  const h = await harness([node('a'), node('b')], [web], pending(web, 4));
  t.is(h.timer.armed, 1, 'a round is due as soon as it starts');
  t.is(h.timer.lastDelay, 50);
  const r = await h.round();
  t.is(r?.assigned, 4);
  for (const task of tasksOf(h.store)) {
    t.is(task.Status.State, 'assigned');
    t.is(task.Status.Message, 'scheduler assigned task to node');
    t.true(task.NodeID === 'a' || task.NodeID === 'b');
  }
  await flush();
  t.is(h.timer.armed, 0, 'its own assignments do not call for another round');
  await h.sched.stop();
  await h.done;
});

test('an unschedulable task stays pending with the explanation in Status.Err, once; a new node takes it', async (t) => {
  const db = service('db', { constraints: ['node.labels.disk==ssd'] });
  const h = await harness([node('a'), node('b', { state: 'down' })], [db], pending(db, 1));
  await h.round();
  const stuck = taskById(h.store, 'db.1');
  t.is(stuck?.Status.State, 'pending');
  // Equal counts keep pipeline order: readiness is checked before constraints.
  t.is(stuck?.Status.Err, 'no suitable node (1 node not available for new tasks; scheduling constraints not satisfied on 1 node)');
  t.deepEqual(stuck?.PendingExplanation, {
    Summary: 'no suitable node (1 node not available for new tasks; scheduling constraints not satisfied on 1 node)',
    Rejections: [
      { Filter: 'ready', Nodes: 1 },
      { Filter: 'constraints', Nodes: 1 },
    ],
    CheckedAt: '2026-11-22T00:00:00Z',
  });
  t.is(h.timer.armed, 0, 'writing an explanation does not call for another round');

  // A node change calls for a round; the same explanation is not written again.
  const index = h.memory.appliedIndex;
  await h.store.update((tx) => {
    const b = getObject(tx, 'nodes', 'b') as Node;
    updateObject(tx, 'nodes', { ...b, Status: { ...b.Status, Message: 'heartbeat' } });
  });
  await flush();
  t.is(h.timer.armed, 0, 'a heartbeat is not a scheduling change');
  await h.store.update((tx) => {
    const b = getObject(tx, 'nodes', 'b') as Node;
    updateObject(tx, 'nodes', { ...b, Status: { ...b.Status, State: 'ready' } });
  });
  await flush();
  t.is(h.timer.armed, 1);
  const r = await h.round();
  t.is(r?.unchanged, 0);
  t.is(taskById(h.store, 'db.1')?.Status.Err, 'no suitable node (scheduling constraints not satisfied on 2 nodes)');
  const again = h.memory.appliedIndex;
  t.true(again > index + 1);

  await h.store.update((tx) => createObject(tx, 'nodes', node('c', { labels: { disk: 'ssd' } })));
  await flush();
  const placed = await h.round();
  t.is(placed?.assigned, 1);
  const task = taskById(h.store, 'db.1');
  t.is(task?.NodeID as string | undefined, 'c');
  t.is(task?.Status.State, 'assigned');
  t.is(task?.Status.Err, undefined);
  t.is(task?.PendingExplanation, undefined);
  await h.sched.stop();
});

test('a round with nothing new writes nothing', async (t) => {
  const db = service('db', { constraints: ['node.labels.disk==ssd'] });
  const h = await harness([node('a')], [db], pending(db, 2));
  await h.round();
  const index = h.memory.appliedIndex;
  // Force a round: a new pending task of another, placeable service.
  const web = service('web');
  await seed(h.store, [], [web], []);
  await h.store.update((tx) => createObject(tx, 'tasks', pending(web, 1)[0] as Task));
  await flush();
  const r = await h.round();
  t.is(r?.assigned, 1);
  t.is(r?.unchanged, 2, 'db tasks already say why');
  t.is(h.memory.appliedIndex, index + 3, 'the service, the task, and its assignment');
  await h.sched.stop();
});

test('a burst of commits makes one round; commits during a round make one more after it', async (t) => {
  const web = service('web');
  const h = await harness([node('a')], [web], []);
  await h.round();
  for (const task of pending(web, 5)) await h.store.update((tx) => createObject(tx, 'tasks', task));
  await flush();
  t.is(h.timer.armed, 1, 'five commits, one round due');
  // A commit lands while the round is being written.
  h.timer.fire();
  const late = pending(web, 1, 6)[0] as Task;
  await h.store.update((tx) => createObject(tx, 'tasks', late));
  await h.sched.settled();
  await flush();
  t.is(h.reports.at(-1)?.plan.assignments.length, 5);
  t.is(h.timer.armed, 1, 'the change during the round makes another due');
  const r = await h.round();
  t.is(r?.assigned, 1);
  t.true(tasksOf(h.store).every((x) => x.Status.State === 'assigned'));
  await h.sched.stop();
});

test('the applier skips a task that changed since the plan, and a node that stopped taking tasks', async (t) => {
  const web = service('web');
  const memory = new MemoryStore();
  const store = new Store(memory, new LocalProposer(memory), { now: () => new Date(NOW) });
  await seed(store, [node('a'), node('b')], [web], pending(web, 4));
  const plan = schedule(readInput(store), NOW, seededRng(3));
  t.is(plan.assignments.length, 4);
  const moved = plan.assignments[0];
  const onB = plan.assignments.filter((a) => a.nodeId === 'b').length;
  await store.update((tx) => {
    const task = getObject(tx, 'tasks', moved?.taskId as string) as Task;
    updateObject(tx, 'tasks', { ...task, DesiredState: 'shutdown' });
    const b = getObject(tx, 'nodes', 'b') as Node;
    updateObject(tx, 'nodes', { ...b, Spec: { ...b.Spec, Availability: 'drain' } });
  });
  const counts = await store.update((tx) => writePlan(tx, plan, NOW));
  const skipped = moved?.nodeId === 'b' ? onB : onB + 1;
  t.deepEqual(counts, { assigned: 4 - skipped, explained: 0, unchanged: 0, skipped });
  t.is(taskById(store, moved?.taskId as string)?.Status.State, 'pending');
});

test('when another writer wins the race, the plan is re-checked on the new state and the changed task skipped', async (t) => {
  const web = service('web');
  const memory = new MemoryStore();
  const local = new LocalProposer(memory);
  let race = false;
  const racing: Proposer = {
    propose: async (changes) => {
      if (race) {
        race = false;
        // Another manager-side writer commits first: web.1 is scaled away.
        const cur = memory.view((tx) => getObject(tx, 'tasks', 'web.1')) as Task;
        await local.propose({ at: changes.at, actions: [{ kind: 'update', table: 'tasks', object: { ...cur, DesiredState: 'remove' } as unknown as StoredObject }] });
      }
      return local.propose(changes);
    },
  };
  const store = new Store(memory, racing, { now: () => new Date(NOW) });
  await seed(store, [node('a')], [web], pending(web, 3));
  const plan = schedule(readInput(store), NOW, seededRng(1));
  race = true;
  const counts = await store.update((tx) => writePlan(tx, plan, NOW));
  t.deepEqual(counts, { assigned: 2, explained: 0, unchanged: 0, skipped: 1 });
  t.is(taskById(store, 'web.1')?.Status.State, 'pending');
  t.is(taskById(store, 'web.2')?.Status.State, 'assigned');
});

test('a plan larger than one transaction is written in parts', async (t) => {
  const web = service('web');
  const memory = new MemoryStore();
  const store = new Store(memory, new LocalProposer(memory), { now: () => new Date(NOW) });
  await seed(store, [node('a')], [web], pending(web, 25));
  const timer = new ManualTimer();
  const sched = new Scheduler({ store, clock: () => NOW, setTimer: timer.set, maxWritesPerTransaction: 10 });
  void sched.start();
  const index = memory.appliedIndex;
  timer.fire();
  await sched.settled();
  t.is(memory.appliedIndex, index + 3);
  t.true(tasksOf(store).every((x) => x.NodeID === 'a'));
  await sched.stop();
});

test('stop cancels a due round and resolves start; so does aborting the signal', async (t) => {
  const web = service('web');
  const h = await harness([node('a')], [web], pending(web, 1));
  t.is(h.timer.armed, 1);
  await h.sched.stop();
  t.is(h.timer.armed, 0);
  await h.done;
  await h.sched.stop(); // idempotent
  t.is(taskById(h.store, 'web.1')?.Status.State, 'pending');

  const memory = new MemoryStore();
  const store = new Store(memory, new LocalProposer(memory), { now: () => new Date(NOW) });
  const timer = new ManualTimer();
  const ac = new AbortController();
  const sched = new Scheduler({ store, setTimer: timer.set });
  const done = sched.start(ac.signal);
  ac.abort();
  await done;
  t.is(timer.armed, 0);
  t.throws(() => sched.start(), { message: 'scheduler cannot start: it is stopped' });
});

test('a round that cannot commit (not the leader) stops the service and rejects start', async (t) => {
  const web = service('web');
  let refuse = false;
  const h = await harness([node('a')], [web], pending(web, 1), (m) => {
    const local = new LocalProposer(m);
    return { propose: (c) => (refuse ? Promise.reject(new ShoalError('Unavailable', 'not the leader')) : local.propose(c)) };
  });
  refuse = true;
  h.timer.fire();
  await t.throwsAsync(h.done, { message: 'not the leader' });
  await flush();
  t.is(h.timer.armed, 0);
});

test('which changes call for a round', (t) => {
  const web = service('web');
  const [p] = pending(web, 1) as [Task];
  const ev = (old: Task, object: Task): StoreEvent => ({ kind: 'update', table: 'tasks', old: old as unknown as StoredObject, object: object as unknown as StoredObject });
  const running: Task = { ...p, NodeID: 'a' as Task['NodeID'], Status: { ...p.Status, State: 'running' } };
  t.true(needsRound({ kind: 'create', table: 'tasks', object: p as unknown as StoredObject }), 'a new pending task');
  t.false(needsRound({ kind: 'create', table: 'tasks', object: { ...p, Status: { ...p.Status, State: 'new' } } as unknown as StoredObject }), 'not yet allocated');
  t.true(needsRound(ev({ ...p, Status: { ...p.Status, State: 'new' } }, p)), 'allocated: new -> pending');
  t.false(needsRound(ev(p, { ...p, Status: { ...p.Status, Err: 'no suitable node' } })), 'the scheduler\'s own explanation');
  t.false(needsRound(ev(p, { ...running, Status: { ...running.Status, State: 'assigned' } })), 'the scheduler\'s own assignment');
  t.true(needsRound(ev(running, { ...running, Status: { ...running.Status, State: 'failed' } })), 'a task stopped: its resources are free');
  t.true(needsRound(ev(running, { ...running, DesiredState: 'shutdown' })), 'desired state changed');
  t.true(needsRound({ kind: 'delete', table: 'tasks', object: running as unknown as StoredObject }));
  const n = node('a');
  t.true(needsRound({ kind: 'create', table: 'nodes', object: n as unknown as StoredObject }));
  t.false(needsRound({ kind: 'delete', table: 'nodes', object: n as unknown as StoredObject }), 'nothing can be placed on a node that left');
  t.true(needsRound({ kind: 'update', table: 'nodes', old: n as unknown as StoredObject, object: { ...n, Spec: { ...n.Spec, Labels: { zone: 'a' } } } as unknown as StoredObject }));
  t.false(needsRound({ kind: 'update', table: 'services', old: web as unknown as StoredObject, object: web as unknown as StoredObject }));
});
