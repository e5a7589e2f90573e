// The runner end to end: a real MemoryStore behind Store + LocalProposer,
// a fake clock, a fake scheduler that assigns nodes and a fake agent that
// runs (or fails) tasks. No sleeps: `flush` lets pending promises settle.
import test from 'ava';
import type { NodeId, ServiceId, TaskId } from '../../../src/api/ids.js';
import { SECOND } from '../../../src/api/object-meta.js';
import { newService, updateServiceSpec, type Service } from '../../../src/api/service.js';
import { withServiceDefaults, type ServiceSpec } from '../../../src/api/service-spec.js';
import { newTask, type Task } from '../../../src/api/task.js';
import { timestampOf } from '../../../src/api/object-meta.js';
import { TASK_STATE_NUMBER, type TaskState } from '../../../src/api/task-state.js';
import { MemoryStore } from '../../../src/manager/store/memory-store.js';
import { LocalProposer, Store } from '../../../src/manager/store/store.js';
import { allObjects, createObject, getObject, updateObject } from '../../../src/manager/store/typed.js';
import type { Clock } from '../../../src/manager/update/clock.js';
import { Updater } from '../../../src/manager/update/runner.js';

class FakeClock implements Clock {
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private seq = 0;
  constructor(public t: number) {}
  now(): number {
    return this.t;
  }
  schedule(at: number, fn: () => void): () => void {
    const id = ++this.seq;
    this.timers.push({ at, fn, id });
    return () => {
      this.timers = this.timers.filter((x) => x.id !== id);
    };
  }
  get pending(): number {
    return this.timers.length;
  }
  /** Move time forward, firing due timers in time order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((x) => x.id !== due.id);
      this.t = Math.max(this.t, due.at);
      due.fn();
    }
    this.t = end;
  }
}

/** Let every promise chain that is ready run (store commits, watch deliveries, decisions). */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const SID = 'svc0000000000000000000001' as ServiceId;
const NODES = ['n1', 'n2', 'n3'] as NodeId[];

function spec(image: string, update: Partial<NonNullable<ServiceSpec['UpdateConfig']>> = {}): ServiceSpec {
  return withServiceDefaults({
    Name: 'web',
    TaskTemplate: { ContainerSpec: { Image: image } },
    Mode: { Replicated: { Replicas: 3 } },
    UpdateConfig: { Parallelism: 1, Delay: 2 * SECOND, Monitor: 5 * SECOND, ...update },
    RollbackConfig: { Parallelism: 0, Monitor: SECOND },
  });
}

async function setUp(update: Partial<NonNullable<ServiceSpec['UpdateConfig']>> = {}) {
  const clock = new FakeClock(T0);
  const memory = new MemoryStore();
  const store = new Store(memory, new LocalProposer(memory), { now: () => new Date(clock.now()) });
  await store.update((tx) => {
    const s = spec('app:1', update);
    const service = newService(SID, s, clock.now());
    createObject(tx, 'services', service);
    for (let slot = 1; slot <= 3; slot++) {
      const task = newTask({ id: `old${slot}` as TaskId, serviceId: SID, spec: s, serviceVersion: service.SpecVersion, nowMs: clock.now(), slot });
      createObject(tx, 'tasks', { ...task, NodeID: NODES[slot - 1], Status: { Timestamp: timestampOf(clock.now()), State: 'running', Message: 'started' } });
    }
  });
  let ids = 0;
  const errors: unknown[] = [];
  const updater = new Updater({ store, clock, newTaskId: () => `new${++ids}` as TaskId, onError: (e) => errors.push(e) });
  const watch = store.watch({ filter: (e) => e.table === 'services' });
  return { clock, store, updater, errors, watch };
}

const service = (store: Store): Service => {
  const s = store.view((tx) => getObject(tx, 'services', SID));
  if (s === undefined) throw new Error('no service');
  return s;
};

/** The fake scheduler (new -> assigned on a node) and agent (-> ready -> running | failed; shutdown). */
async function cluster(store: Store, now: () => number, fails: (t: Task) => boolean): Promise<void> {
  let next = 0;
  await store.update((tx) => {
    for (const t of allObjects(tx, 'tasks')) {
      const obs = TASK_STATE_NUMBER[t.Status.State];
      let state: TaskState | undefined;
      if (t.DesiredState === 'shutdown' || t.DesiredState === 'remove') state = obs <= TASK_STATE_NUMBER.running ? 'shutdown' : undefined;
      else if (obs < TASK_STATE_NUMBER.assigned) state = 'assigned';
      else if (obs < TASK_STATE_NUMBER.ready) state = 'ready';
      else if (t.DesiredState === 'running' && t.Status.State === 'ready') state = fails(t) ? 'failed' : 'running';
      if (state === undefined) continue;
      const nodeId = t.NodeID ?? NODES[next++ % NODES.length];
      updateObject(tx, 'tasks', { ...t, NodeID: nodeId, Status: { Timestamp: timestampOf(now()), State: state, Message: state } });
    }
  });
}

/**
 * Drive the cluster one second at a time until the update status settles
 * (or `limit` seconds); returns every UpdateStatus state committed meanwhile.
 */
async function drive(env: Awaited<ReturnType<typeof setUp>>, fails: (t: Task) => boolean, until: (s: Service) => boolean, limit = 300): Promise<string[]> {
  const { watch } = env;
  const states: string[] = [];
  for (let i = 0; i < limit; i++) {
    await flush();
    for (const batch of watch.drain()) {
      for (const e of batch.events) {
        const state = (e.object as unknown as Service).UpdateStatus?.State;
        if (state !== undefined && states.at(-1) !== state) states.push(state);
      }
    }
    if (until(service(env.store))) {
      watch.close();
      return states;
    }
    await cluster(env.store, () => env.clock.now(), fails);
    await flush();
    env.clock.advance(1000);
  }
  throw new Error(`update did not settle: ${JSON.stringify(service(env.store).UpdateStatus)}`);
}

const liveTasks = (store: Store): Task[] =>
  store
    .view((tx) => allObjects(tx, 'tasks'))
    .filter((t) => t.DesiredState === 'running' && t.Status.State === 'running')
    .sort((a, b) => (a.Slot ?? 0) - (b.Slot ?? 0));

test('runner: a rolling update runs to "update completed" on a real store', async (t) => {
  const env = await setUp();
  env.updater.start();
  await flush();
  t.is(service(env.store).UpdateStatus, undefined, 'nothing to do before a spec change');

  await env.store.update((tx) => {
    const s = getObject(tx, 'services', SID);
    if (s !== undefined) updateObject(tx, 'services', updateServiceSpec(s, spec('app:2'), env.clock.now()));
  });
  const seen = await drive(env, () => false, (s) => s.UpdateStatus?.State === 'completed');
  t.deepEqual(seen, ['updating', 'completed']);
  const s = service(env.store);
  t.is(s.UpdateStatus?.Message, 'update completed');
  // 3 slots, each: stop, start, running, then 2 s delay; then a 5 s monitor.
  const took = Date.parse(s.UpdateStatus?.CompletedAt ?? '') - Date.parse(s.UpdateStatus?.StartedAt ?? '');
  t.true(took >= 3 * 2000 + 5000, `took ${took} ms`);
  t.deepEqual(
    liveTasks(env.store).map((x) => `${x.Slot}:${x.Spec.ContainerSpec.Image}@${x.ServiceVersion?.Index}`),
    [1, 2, 3].map((slot) => `${slot}:app:2@${s.SpecVersion.Index}`),
  );
  t.deepEqual(env.errors, []);
  t.is(env.updater.stateOf(SID).kind, 'idle');
  await env.updater.stop();
  t.is(env.clock.pending, 0, 'stop cancels every wake-up');
});

test('runner: a failing update rolls back automatically to "rollback completed"', async (t) => {
  const env = await setUp({ FailureAction: 'rollback' });
  const ac = new AbortController();
  env.updater.start(ac.signal);
  await env.store.update((tx) => {
    const s = getObject(tx, 'services', SID);
    if (s !== undefined) updateObject(tx, 'services', updateServiceSpec(s, spec('app:broken', { FailureAction: 'rollback' }), env.clock.now()));
  });
  const seen = await drive(env, (x) => x.Spec.ContainerSpec.Image === 'app:broken', (s) => s.UpdateStatus?.State === 'rollback_completed');
  t.deepEqual(seen, ['updating', 'rollback_started', 'rollback_completed']);
  const s = service(env.store);
  t.is(s.Spec.TaskTemplate.ContainerSpec.Image, 'app:1');
  t.is(s.UpdateStatus?.Message, 'rollback completed');
  // Slots 2 and 3 were never touched; slot 1's failed task awaits the restart policy.
  t.deepEqual(
    liveTasks(env.store).map((x) => x.ID),
    ['old2', 'old3'],
  );
  ac.abort();
  await flush();
  t.is(env.clock.pending, 0);
});

test('runner: a task stuck before running pauses the update after the start timeout', async (t) => {
  const env = await setUp({ Delay: 0, Monitor: 0 });
  env.updater.start();
  await env.store.update((tx) => {
    const s = getObject(tx, 'services', SID);
    if (s !== undefined) updateObject(tx, 'services', updateServiceSpec(s, spec('app:2', { Delay: 0, Monitor: 0 }), env.clock.now()));
  });
  // A scheduler that never finds a node for the new task.
  let stuck = true;
  for (let i = 0; i < 400 && stuck; i++) {
    await flush();
    await env.store.update((tx) => {
      for (const task of allObjects(tx, 'tasks')) {
        if (task.DesiredState === 'shutdown' && task.Status.State === 'running') {
          updateObject(tx, 'tasks', { ...task, Status: { Timestamp: timestampOf(env.clock.now()), State: 'shutdown', Message: 'shutdown' } });
        }
      }
    });
    await flush();
    env.clock.advance(1000);
    stuck = service(env.store).UpdateStatus?.State === 'updating';
  }
  await flush();
  t.is(service(env.store).UpdateStatus?.State, 'paused');
  t.is(service(env.store).UpdateStatus?.Message, 'update paused due to task new1 not reaching running within 5m0s');
  await env.updater.stop();
});

test('runner: start is once only; stop before start is harmless', async (t) => {
  const env = await setUp();
  await env.updater.stop();
  t.throws(() => env.updater.start(), { message: 'updater cannot start: it is stopped' });
});
