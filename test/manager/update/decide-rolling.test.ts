// The decider, synchronously, on a fake clock: batches, delay, order, monitor.
import test from 'ava';
import { updateServiceSpec } from '../../../src/api/service.js';
import type { Task } from '../../../src/api/task.js';
import { SEC, Sim, T0 } from './sim.js';

const liveImages = (sim: Sim): string[] => [...sim.liveBySlot().values()].map((ts) => ts.map((t) => sim.image(t)).join('+'));
const created = (sim: Sim): number => sim.plans.at(-1)?.create.length ?? 0;

test('a spec change starts an update: status "update in progress", one slot at a time (parallelism 1)', (t) => {
  const sim = new Sim({ replicas: 3 });
  sim.updateSpec({ image: 'app:2' });
  const p = sim.decide();
  t.is(p.create.length, 1);
  t.deepEqual(p.create[0]?.Slot, 1);
  t.is(p.create[0]?.DesiredState, 'ready'); // stop-first: prepared, not started
  t.deepEqual(p.desired, [{ taskId: 'old1', from: 'running', to: 'shutdown' }]);
  t.deepEqual(sim.service().UpdateStatus, { State: 'updating', StartedAt: '2026-01-01T12:00:00Z', Message: 'update in progress' });
  t.is(sim.state.kind, 'rolling');

  sim.runToIdle();
  t.deepEqual(liveImages(sim), ['app:2', 'app:2', 'app:2']);
  t.is(sim.service().UpdateStatus?.State, 'completed');
  t.is(sim.service().UpdateStatus?.Message, 'update completed');
  t.is(sim.service().UpdateStatus?.CompletedAt, '2026-01-01T12:00:00Z');
  // Every new task runs the new spec version, in the slot it replaced.
  const v = sim.service().SpecVersion.Index;
  for (const [slot, [task]] of sim.liveBySlot()) {
    t.is(task?.ServiceVersion?.Index, v);
    t.is(String(task?.Slot), slot);
  }
  t.is(sim.state.kind, 'idle');
});

test('parallelism 1 never has two slots in flight', (t) => {
  const sim = new Sim({ replicas: 4 });
  let maxInFlight = 0;
  sim.onCommit = (s) => {
    if (s.state.kind === 'rolling') maxInFlight = Math.max(maxInFlight, s.state.progress.replacements.length);
  };
  sim.updateSpec({ image: 'app:2' });
  sim.runToIdle();
  t.is(maxInFlight, 1);
  t.deepEqual(liveImages(sim), ['app:2', 'app:2', 'app:2', 'app:2']);
});

test('parallelism 2 replaces two slots per batch', (t) => {
  const sim = new Sim({ replicas: 5, update: { Parallelism: 2 } });
  sim.updateSpec({ image: 'app:2' });
  t.deepEqual(
    sim.decide().create.map((x) => x.Slot),
    [1, 2],
  );
  sim.agent();
  sim.decide(); // the old tasks stopped: the new ones are told to run
  t.is(created(sim), 0);
  sim.agent();
  t.deepEqual(
    sim.decide().create.map((x) => x.Slot),
    [3, 4],
  );
  sim.runToIdle();
  t.is(sim.service().UpdateStatus?.State, 'completed');
  t.is(sim.tasks().filter((x) => x.ServiceVersion?.Index === sim.service().SpecVersion.Index).length, 5);
});

test('parallelism 0 replaces every slot at once', (t) => {
  const sim = new Sim({ replicas: 4, update: { Parallelism: 0 } });
  sim.updateSpec({ image: 'app:2' });
  t.deepEqual(
    sim.decide().create.map((x) => x.Slot),
    [1, 2, 3, 4],
  );
  sim.runToIdle();
  t.is(sim.service().UpdateStatus?.State, 'completed');
});

test('delay: the next slot starts Delay after the previous new task runs', (t) => {
  const sim = new Sim({ replicas: 2, update: { Delay: 10 * SEC } });
  sim.updateSpec({ image: 'app:2' });
  sim.settle(); // slot 1 replaced and running at T0
  t.deepEqual(liveImages(sim), ['app:2', 'app:1']);
  t.is(sim.plans.at(-1)?.wakeAt, T0 + 10 * SEC);
  sim.advance(10 * SEC - 1);
  sim.settle();
  t.deepEqual(liveImages(sim), ['app:2', 'app:1'], 'not before the delay');
  sim.advance(1);
  const p = sim.decide();
  t.deepEqual(
    p.create.map((x) => x.Slot),
    [2],
  );
  sim.runToIdle();
  // The last slot's delay runs out too before the update completes (swarmkit's worker waits it).
  t.is(sim.service().UpdateStatus?.CompletedAt, new Date(T0 + 20 * SEC).toISOString().replace('.000', ''));
});

test('stop-first: the new task is started only once the old one has stopped', (t) => {
  const sim = new Sim({ replicas: 1 });
  sim.updateSpec({ image: 'app:2' });
  sim.decide();
  // The old task is slow to stop: the new one is scheduled and prepared, but stays at desired ready.
  const slow = { stop: () => false };
  sim.agent(slow);
  sim.decide();
  t.is(sim.task('new1').DesiredState, 'ready');
  t.is(sim.task('new1').Status.State, 'ready');
  t.is(sim.task('old1').Status.State, 'running');
  sim.agent(); // the old task stops
  t.is(sim.task('old1').Status.State, 'shutdown');
  const p = sim.decide();
  t.deepEqual(p.desired, [{ taskId: 'new1', from: 'ready', to: 'running' }]);
  sim.runToIdle();
  t.is(sim.task('new1').Status.State, 'running');
});

test('stop-first: an old task that never stops holds its successor back for at most a minute', (t) => {
  const sim = new Sim({ replicas: 1 });
  sim.updateSpec({ image: 'app:2' });
  const stuck = { stop: () => false };
  sim.settle(stuck);
  t.is(sim.task('new1').DesiredState, 'ready');
  t.is(sim.plans.at(-1)?.wakeAt, T0 + 60 * SEC);
  sim.advance(60 * SEC);
  sim.settle(stuck);
  t.is(sim.task('new1').DesiredState, 'running');
  t.is(sim.task('new1').Status.State, 'running');
});

test('start-first: the new task starts first and the old one is shut down once it runs', (t) => {
  const sim = new Sim({ replicas: 1, update: { Order: 'start-first' } });
  sim.updateSpec({ image: 'app:2' });
  const p = sim.decide();
  t.is(p.create[0]?.DesiredState, 'running');
  t.deepEqual(p.desired, [], 'the old task keeps running');
  // Scheduled and preparing: both tasks are live, the old one still serving.
  sim.agent({ start: () => 'stall' });
  t.is(sim.decide().desired.length, 0);
  t.is(sim.task('old1').DesiredState, 'running');
  // Running: now the old one goes.
  sim.report('new1', 'running');
  t.deepEqual(sim.decide().desired, [{ taskId: 'old1', from: 'running', to: 'shutdown' }]);
  sim.runToIdle();
  t.deepEqual(liveImages(sim), ['app:2']);
  t.is(sim.service().UpdateStatus?.State, 'completed');
});

test('start-first: with parallelism 1 the next slot waits until the previous old task has stopped', (t) => {
  const sim = new Sim({ replicas: 2, update: { Order: 'start-first' } });
  sim.updateSpec({ image: 'app:2' });
  sim.decide();
  const stuck = { stop: () => false };
  sim.settle(stuck);
  t.is(sim.task('old1').DesiredState, 'shutdown');
  t.is(sim.task('old1').Status.State, 'running');
  t.is(
    sim.tasks().filter((x: Task) => x.Slot === 2).length,
    1,
    'slot 2 not started while slot 1 still runs two tasks',
  );
  sim.settle();
  t.deepEqual(liveImages(sim), ['app:2', 'app:2']);
});

test('monitor: the update completes one Monitor period after the last slot', (t) => {
  const sim = new Sim({ replicas: 1, update: { Monitor: 30 * SEC } });
  sim.updateSpec({ image: 'app:2' });
  sim.settle();
  t.is(sim.state.kind, 'monitoring');
  t.is(sim.plans.at(-1)?.wakeAt, T0 + 30 * SEC);
  t.is(sim.service().UpdateStatus?.State, 'updating');
  sim.advance(30 * SEC - 1);
  sim.settle();
  t.is(sim.service().UpdateStatus?.State, 'updating');
  sim.advance(1);
  sim.settle();
  t.is(sim.service().UpdateStatus?.State, 'completed');
});

test('monitor: a new task failing within Monitor of running is a failure; after it, not', (t) => {
  for (const [after, paused] of [
    [10 * SEC, true],
    [10 * SEC + 1, false],
  ] as const) {
    const sim = new Sim({ replicas: 2, update: { Monitor: 10 * SEC } });
    sim.updateSpec({ image: 'app:2' });
    sim.settle(); // new1 running at T0, slot 2 in progress
    sim.advance(after);
    sim.report('new1', 'failed');
    sim.decide();
    t.is(sim.service().UpdateStatus?.State === 'paused', paused, `failure ${after} ms after running`);
  }
});

test('a change that leaves every task clean (replicas, update config) starts no update', (t) => {
  const sim = new Sim({ replicas: 2 });
  sim.updateSpec({ update: { Parallelism: 3 } });
  const p = sim.decide();
  t.deepEqual(p.create, []);
  t.is(sim.service().UpdateStatus, undefined);
  t.is(sim.state.kind, 'idle');
});

test('update --force replaces every task even with the same image', (t) => {
  const sim = new Sim({ replicas: 2 });
  sim.updateSpec({ force: 1 });
  sim.runToIdle();
  t.is(sim.service().UpdateStatus?.Message, 'update completed');
  t.deepEqual(
    [...sim.liveBySlot().values()].map(([x]) => x?.ID),
    ['new1', 'new2'],
  );
});

test('global services: the replacement goes to the same node', (t) => {
  const sim = new Sim({ nodes: ['nodeA', 'nodeB'] });
  sim.updateSpec({ image: 'app:2' });
  const p = sim.decide();
  t.is(p.create[0]?.NodeID as string | undefined, 'nodeA');
  t.is(p.create[0]?.Slot, undefined);
  sim.runToIdle();
  t.deepEqual([...sim.liveBySlot().keys()], ['nodeA', 'nodeB']);
  t.deepEqual(liveImages(sim), ['app:2', 'app:2']);
});

test('a slot with no live task is left to the orchestrator', (t) => {
  const sim = new Sim({ replicas: 2 });
  sim.report('old2', 'failed'); // the restart policy's business, not the updater's
  sim.updateSpec({ image: 'app:2' });
  sim.runToIdle();
  t.is(sim.tasks().filter((x) => x.Slot === 2).length, 1, 'nothing created in slot 2');
  t.is(sim.service().UpdateStatus?.State, 'completed');
});

test('jobs are not updated', (t) => {
  const sim = new Sim({ replicas: 1 });
  const s = sim.service();
  sim.writeService({ ...s, Spec: { ...s.Spec, Mode: { ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 1 } } } });
  sim.updateSpec({ image: 'app:2' });
  t.deepEqual(sim.decide().create, []);
});

test('slots above Replicas (a scale-down in progress) are left to the orchestrator', (t) => {
  const sim = new Sim({ replicas: 3 });
  const cur = sim.service();
  const tmpl = cur.Spec.TaskTemplate;
  sim.writeService(
    updateServiceSpec(cur, { ...cur.Spec, Mode: { Replicated: { Replicas: 2 } }, TaskTemplate: { ...tmpl, ContainerSpec: { ...tmpl.ContainerSpec, Image: 'app:2' } } }, sim.now),
  );
  sim.runToIdle();
  t.is(sim.service().UpdateStatus?.State, 'completed');
  t.deepEqual(liveImages(sim), ['app:2', 'app:2', 'app:1']);
  t.is(sim.task('old3').DesiredState, 'running');
});
