import test from 'ava';
import { decideReplicated } from '../../../src/manager/orchestrator/replicated.js';
import { SECOND_NS, World } from './world.js';

const replicas = (n: number) => ({ Mode: { Replicated: { Replicas: n } } });

function web(w: World, n: number, extra: Record<string, unknown> = {}) {
  return w.addService('web', { ...replicas(n), ...extra });
}

test('a new service gets one pending task per slot, desired running, and nothing more', (t) => {
  const w = new World();
  web(w, 3);
  const { plan } = w.step(decideReplicated, 'web');
  t.is(plan.steps.length, 3);
  const tasks = w.tasks('web');
  t.deepEqual(tasks.map((x) => x.Slot).sort(), [1, 2, 3]);
  for (const x of tasks) {
    t.is(x.Status.State, 'pending');
    t.is(x.DesiredState, 'running');
    t.is(x.ServiceVersion?.Index, w.service('web').SpecVersion.Index);
  }
  t.is(w.step(decideReplicated, 'web').plan.steps.length, 0, 'a second look changes nothing');
});

test('scaling up adds the missing slot numbers', (t) => {
  const w = new World();
  web(w, 2);
  w.converge(decideReplicated, 'web');
  w.updateService('web', (s) => ({ ...s, Mode: { Replicated: { Replicas: 4 } } }));
  w.converge(decideReplicated, 'web');
  t.deepEqual(w.live('web').map((x) => x.Slot).sort(), [1, 2, 3, 4]);
});

test('a service of another mode gets an empty plan', (t) => {
  const w = new World();
  w.addService('g', { Mode: { Global: {} } });
  t.deepEqual(w.step(decideReplicated, 'g').plan.steps, []);
});

test('scale down removes tasks no node holds, then tasks not running, then from the busiest node', (t) => {
  const w = new World();
  for (const n of ['n1', 'n2', 'n3']) w.addNode(n);
  web(w, 7);
  w.converge(decideReplicated, 'web');
  const bySlot = new Map(w.tasks('web').map((x) => [x.Slot, x.ID]));
  const id = (slot: number): string => bySlot.get(slot) ?? '';
  // n1: slots 1,2,3 running; n2: slot 4 running, slot 5 assigned; n3: slot 6 running; slot 7 unassigned.
  for (const s of [1, 2, 3]) w.run(id(s), 'n1');
  w.run(id(4), 'n2');
  w.report(id(5), 'assigned', { NodeID: 'n2' as never });
  w.run(id(6), 'n3');

  w.updateService('web', (s) => ({ ...s, Mode: { Replicated: { Replicas: 6 } } }));
  w.step(decideReplicated, 'web');
  t.is(w.task(id(7)).DesiredState, 'remove', 'unassigned first');

  w.updateService('web', (s) => ({ ...s, Mode: { Replicated: { Replicas: 5 } } }));
  w.step(decideReplicated, 'web');
  t.is(w.task(id(5)).DesiredState, 'remove', 'then a task that is not running');

  w.updateService('web', (s) => ({ ...s, Mode: { Replicated: { Replicas: 3 } } }));
  w.step(decideReplicated, 'web');
  t.deepEqual(
    [1, 2, 3].map((s) => w.task(id(s)).DesiredState),
    ['running', 'remove', 'remove'],
    'then from the node with the most, highest slots first',
  );
  t.deepEqual(w.live('web').map((x) => x.NodeID).sort(), ['n1', 'n2', 'n3']);
  t.is(w.step(decideReplicated, 'web').plan.steps.length, 0);
});

test('scale down keeps the spread of placement preferences', (t) => {
  const w = new World();
  w.addNode('a1', { labels: { zone: 'a' } });
  w.addNode('a2', { labels: { zone: 'a' } });
  w.addNode('b1', { labels: { zone: 'b' } });
  web(w, 4, { TaskTemplate: { ContainerSpec: { Image: 'busybox' }, Placement: { Preferences: [{ Spread: { SpreadDescriptor: 'node.labels.zone' } }] } } });
  w.converge(decideReplicated, 'web');
  const bySlot = new Map(w.tasks('web').map((x) => [x.Slot, x.ID]));
  // zone a: a1 one task, a2 one task; zone b: b1 two tasks.
  w.run(bySlot.get(1) ?? '', 'a1');
  w.run(bySlot.get(2) ?? '', 'a2');
  w.run(bySlot.get(3) ?? '', 'b1');
  w.run(bySlot.get(4) ?? '', 'b1');
  w.updateService('web', (s) => ({ ...s, Mode: { Replicated: { Replicas: 2 } } }));
  w.step(decideReplicated, 'web');
  // By node alone: one from b1, then all nodes tie at one and the highest slot (b1's
  // other task) goes, emptying zone b. By zone: one from b1, then zone a (2) outweighs b (1).
  const live = w.live('web').map((x) => x.NodeID).sort();
  t.is(live.length, 2);
  t.true(live.includes('b1' as never), 'zone b keeps a task');
  t.is(live.filter((n) => n === 'a1' || n === 'a2').length, 1, 'zone a keeps one');
});

test('a deleted service: every task is desired remove', (t) => {
  const w = new World();
  web(w, 2);
  w.converge(decideReplicated, 'web');
  w.removeService('web');
  w.step(decideReplicated, 'web');
  t.deepEqual(
    w.tasks('web').map((x) => x.DesiredState),
    ['remove', 'remove'],
  );
});

test('tasks on a drained node are shut down and replaced at once, each replacement waiting for its old task to stop', (t) => {
  const w = new World();
  w.addNode('n1');
  w.addNode('n2');
  web(w, 2, { TaskTemplate: { ContainerSpec: { Image: 'busybox' }, RestartPolicy: { Delay: 10 * SECOND_NS } } });
  w.converge(decideReplicated, 'web');
  const [a, b] = w.tasks('web');
  w.run(a?.ID ?? '', 'n1');
  w.run(b?.ID ?? '', 'n2');
  w.setNode('n1', { availability: 'drain' });
  const { plan } = w.step(decideReplicated, 'web');
  t.regex(plan.steps[0]?.why ?? '', /is drained/);
  t.is(w.task(a?.ID ?? '').DesiredState, 'shutdown');
  const repl = w.live('web').find((x) => x.Slot === a?.Slot && x.ID !== a?.ID);
  t.truthy(repl);
  t.is(repl?.DesiredState, 'ready');
  t.is(repl?.Status.State, 'pending');
  t.is(repl?.DelayedStart?.Replaces, a?.ID);
  t.is(Date.parse(repl?.DelayedStart?.NotBefore ?? ''), w.now, 'no restart delay when leaving a drained node');
  // Still running on n1: the replacement waits.
  t.is(w.step(decideReplicated, 'web').plan.steps.length, 0);
  w.report(a?.ID ?? '', 'shutdown');
  w.step(decideReplicated, 'web');
  t.is(w.task(repl?.ID ?? '').DesiredState, 'running');
  t.is(w.task(repl?.ID ?? '').DelayedStart, undefined);
});

test('tasks on a down node are replaced after the restart delay, without waiting for them', (t) => {
  const w = new World();
  w.addNode('n1');
  web(w, 1, { TaskTemplate: { ContainerSpec: { Image: 'busybox' }, RestartPolicy: { Delay: 10 * SECOND_NS } } });
  w.converge(decideReplicated, 'web');
  const [a] = w.tasks('web');
  w.run(a?.ID ?? '', 'n1');
  w.setNode('n1', { state: 'down' });
  const { plan } = w.step(decideReplicated, 'web');
  t.regex(plan.steps[0]?.why ?? '', /is down/);
  const repl = w.live('web')[0];
  t.is(repl?.DelayedStart?.Replaces, undefined);
  t.is(w.step(decideReplicated, 'web').plan.wakeAt, w.now + 10_000);
  w.advance(9_999);
  t.is(w.step(decideReplicated, 'web').plan.steps.length, 0);
  w.advance(1);
  w.step(decideReplicated, 'web');
  t.is(w.task(repl?.ID ?? '').DesiredState, 'running');
  t.is(w.task(a?.ID ?? '').Status.State, 'running', 'the orchestrator never writes observed states past pending');
});

test('a node that is deleted: its tasks move', (t) => {
  const w = new World();
  w.addNode('n1');
  web(w, 1);
  w.converge(decideReplicated, 'web');
  const [a] = w.tasks('web');
  w.run(a?.ID ?? '', 'n1');
  w.removeNode('n1');
  w.step(decideReplicated, 'web');
  t.is(w.task(a?.ID ?? '').DesiredState, 'shutdown');
  t.is(w.live('web').length, 1);
});

test('an updater task waiting at ready (no DelayedStart) is left alone', (t) => {
  const w = new World();
  web(w, 1);
  w.converge(decideReplicated, 'web');
  const [a] = w.tasks('web');
  // The updater's stop-first replacement: same slot, desired ready, old one shut down.
  w.report(a?.ID ?? '', 'running', { NodeID: 'n1' as never, DesiredState: 'shutdown' });
  const next = { ...(a as NonNullable<typeof a>), ID: 'upd1' as never, DesiredState: 'ready' as const, Status: { ...(a as NonNullable<typeof a>).Status, State: 'pending' as const } };
  w.memory.apply(w.memory.appliedIndex + 1, { at: new Date(w.now).toISOString(), actions: [{ kind: 'create', table: 'tasks', object: next }] });
  t.is(w.step(decideReplicated, 'web').plan.steps.length, 0);
  t.is(w.task('upd1').DesiredState, 'ready');
});

test('slots left empty and not refilled are cleared', (t) => {
  const w = new World();
  web(w, 2);
  w.converge(decideReplicated, 'web');
  const [, b] = w.tasks('web');
  // Slot of b ends up with only a shut-down task, restartable: an empty slot.
  w.report(b?.ID ?? '', 'shutdown', { DesiredState: 'shutdown' });
  w.updateService('web', (s) => ({ ...s, Mode: { Replicated: { Replicas: 1 } } }));
  w.step(decideReplicated, 'web');
  t.is(w.task(b?.ID ?? '').DesiredState, 'remove');
  t.is(w.live('web').length, 1);
});
