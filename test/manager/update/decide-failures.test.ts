// Failures: MaxFailureRatio (swarmkit's arithmetic), the three failure
// actions, automatic rollback to completion, and the start timeout.
import test from 'ava';
import type { Task } from '../../../src/api/task.js';
import { exceedsFailureRatio } from '../../../src/manager/update/failure-ratio.js';
import { SEC, Sim, T0, type AgentPolicy } from './sim.js';

const failNew: AgentPolicy = { start: (t: Task) => (t.Spec.ContainerSpec.Image === 'app:2' ? 'fail' : 'run') };
const failOnly = (...ids: string[]): AgentPolicy => ({ start: (t: Task) => (ids.includes(t.ID) ? 'fail' : 'run') });

test('ratio arithmetic is swarmkit\'s: failures / all dirty slots > ratio, strictly, in float32', (t) => {
  t.true(exceedsFailureRatio(1, 10, 0), 'ratio 0: the first failure triggers');
  t.false(exceedsFailureRatio(0, 10, 0));
  t.false(exceedsFailureRatio(1, 2, 0.5), 'exactly at the ratio does not trigger');
  t.true(exceedsFailureRatio(2, 2, 0.5));
  t.false(exceedsFailureRatio(1, 4, 0.25));
  t.true(exceedsFailureRatio(2, 4, 0.25));
  t.true(exceedsFailureRatio(1, 3, 0.3));
  // float32: 1/3 and 0.33333333 round to the same float32, so no trigger (float64 would say 1/3 > 0.33333333).
  t.true(1 / 3 > 0.33333333);
  t.false(exceedsFailureRatio(1, 3, 0.33333333));
  t.false(exceedsFailureRatio(5, 5, 1), 'ratio 1 never triggers');
});

test('ratio 0: the first failure pauses the update, with Docker\'s message', (t) => {
  const sim = new Sim({ replicas: 3 });
  sim.updateSpec({ image: 'app:2' });
  sim.runToIdle(failNew);
  const status = sim.service().UpdateStatus;
  t.is(status?.State, 'paused');
  t.is(status?.Message, 'update paused due to failure or early termination of task new1');
  t.is(status?.StartedAt, '2026-01-01T12:00:00Z');
  t.is(status?.CompletedAt, undefined);
  t.is(sim.state.kind, 'idle');
  // Paused: nothing more happens, however often it is asked.
  const before = sim.tasks().length;
  sim.advance(3600 * SEC);
  sim.settle();
  t.is(sim.tasks().length, before);
  t.deepEqual(
    sim.tasks().filter((x) => x.Slot !== 1).map((x) => x.Spec.ContainerSpec.Image),
    ['app:1', 'app:1'],
  );
});

test('ratio 0.5 with 1 of 2 slots failing: exactly at the ratio, the update completes', (t) => {
  const sim = new Sim({ replicas: 2, update: { MaxFailureRatio: 0.5 } });
  sim.updateSpec({ image: 'app:2' });
  sim.runToIdle(failOnly('new1'));
  t.is(sim.service().UpdateStatus?.State, 'completed');
  t.is(sim.service().UpdateStatus?.Message, 'update completed');
});

test('ratio 0.5 with 2 of 2 failing: over the ratio, paused on the second', (t) => {
  const sim = new Sim({ replicas: 2, update: { MaxFailureRatio: 0.5 } });
  sim.updateSpec({ image: 'app:2' });
  sim.runToIdle(failNew);
  t.is(sim.service().UpdateStatus?.Message, 'update paused due to failure or early termination of task new2');
});

test('ratio 0.25 with 4 slots: one failure tolerated, the second pauses', (t) => {
  const sim = new Sim({ replicas: 4, update: { MaxFailureRatio: 0.25 } });
  sim.updateSpec({ image: 'app:2' });
  sim.runToIdle(failOnly('new1', 'new3'));
  t.is(sim.service().UpdateStatus?.State, 'paused');
  t.is(sim.service().UpdateStatus?.Message, 'update paused due to failure or early termination of task new3');
  t.false(sim.tasks().some((x) => x.ID === 'new4'), 'slot 4 never started');
});

test('continue: failures do not stop the update', (t) => {
  const sim = new Sim({ replicas: 3, update: { FailureAction: 'continue' } });
  sim.updateSpec({ image: 'app:2' });
  sim.runToIdle(failNew);
  t.is(sim.service().UpdateStatus?.State, 'completed');
  t.deepEqual(
    sim.tasks().filter((x) => x.ID.startsWith('new')).map((x) => x.Status.State),
    ['failed', 'failed', 'failed'],
  );
});

test('an early exit (complete while asked to run) counts as a failure, as swarmkit', (t) => {
  const sim = new Sim({ replicas: 2, update: { Monitor: 10 * SEC } });
  sim.updateSpec({ image: 'app:2' });
  sim.settle();
  t.is(sim.state.kind, 'monitoring');
  sim.report('new1', 'complete');
  sim.decide();
  t.is(sim.service().UpdateStatus?.State, 'paused');
});

test('a new task shut down by someone else (scale-down) is no failure', (t) => {
  const sim = new Sim({ replicas: 2 });
  sim.updateSpec({ image: 'app:2' });
  sim.settle();
  const n = sim.task('new1');
  sim.commit([{ kind: 'update', table: 'tasks', object: { ...n, DesiredState: 'shutdown' } as never }]);
  sim.report('new1', 'shutdown');
  sim.runToIdle();
  t.is(sim.service().UpdateStatus?.State, 'completed');
});

test('rollback: the previous spec comes back, under RollbackConfig, ending rollback_completed', (t) => {
  const sim = new Sim({ replicas: 3, update: { FailureAction: 'rollback' }, rollback: { Parallelism: 0 } });
  const v1 = sim.service().SpecVersion.Index;
  sim.updateSpec({ image: 'app:2' });
  sim.decide();
  sim.agent(failNew);
  sim.decide(); // new1 told to run
  sim.agent(failNew);
  t.is(sim.decide().service?.kind, 'rollback');
  const s = sim.service();
  t.is(s.UpdateStatus?.State, 'rollback_started');
  t.is(s.UpdateStatus?.Message, 'update rolled back due to failure or early termination of task new1');
  t.is(s.Spec.TaskTemplate.ContainerSpec.Image, 'app:1');
  t.is(s.SpecVersion.Index, v1);
  t.is(s.PreviousSpec, undefined, 'swarmkit forgets the failed spec: no rollback of the rollback');
  sim.runToIdle(failNew);
  const done = sim.service().UpdateStatus;
  t.is(done?.State, 'rollback_completed');
  t.is(done?.Message, 'rollback completed');
  t.truthy(done?.CompletedAt);
  // Slot 1's failed task is the restart policy's to replace (it will, with the rolled-back spec).
  t.deepEqual([...sim.liveBySlot().keys()], ['2', '3']);
  t.deepEqual(
    [...sim.liveBySlot().values()].map(([x]) => `${x?.Spec.ContainerSpec.Image}@${x?.ServiceVersion?.Index}`),
    [`app:1@${v1}`, `app:1@${v1}`],
  );
  // Slots 2 and 3 were never touched: their original tasks are still there.
  t.is(sim.task('old2').DesiredState, 'running');
  t.is(sim.task('old3').DesiredState, 'running');
});

test('rollback: RollbackConfig parallelism applies to the rollback', (t) => {
  const sim = new Sim({ replicas: 4, update: { FailureAction: 'rollback', Parallelism: 0 }, rollback: { Parallelism: 1 } });
  sim.updateSpec({ image: 'app:2' });
  sim.decide(); // all four replaced at once
  sim.agent();
  sim.decide(); // the new tasks told to run
  sim.agent(failOnly('new1'));
  sim.decide(); // new1 failed: roll back
  t.is(sim.service().UpdateStatus?.State, 'rollback_started');
  const p = sim.decide();
  t.is(p.create.length, 1, 'one slot at a time');
});

// Slots 1 and 2 update fine, slot 3 fails (rollback); the rollback's first task, new4 in slot 1, fails too.
const updateThenRollbackFail = failOnly('new3', 'new4');

test('a failing rollback pauses: rollback_paused (never roll back a rollback)', (t) => {
  const sim = new Sim({ replicas: 3, update: { FailureAction: 'rollback' }, rollback: { FailureAction: 'rollback' } });
  sim.updateSpec({ image: 'app:2' });
  sim.runToIdle(updateThenRollbackFail);
  t.is(sim.plans.find((p) => p.service?.kind === 'rollback')?.service?.service.UpdateStatus?.Message, 'update rolled back due to failure or early termination of task new3');
  t.is(sim.service().UpdateStatus?.State, 'rollback_paused');
  t.is(sim.service().UpdateStatus?.Message, 'rollback paused due to failure or early termination of task new4');
  t.is(sim.task('new2').DesiredState, 'running', 'slot 2 left as it was');
});

test('a rollback with failure action pause ends rollback_paused with swarmkit\'s "update paused" words', (t) => {
  const sim = new Sim({ replicas: 3, update: { FailureAction: 'rollback' }, rollback: { FailureAction: 'pause' } });
  sim.updateSpec({ image: 'app:2' });
  sim.runToIdle(updateThenRollbackFail);
  t.is(sim.service().UpdateStatus?.State, 'rollback_paused');
  t.is(sim.service().UpdateStatus?.Message, 'update paused due to failure or early termination of task new4');
});

test('rollback with no previous spec pauses instead, saying why', (t) => {
  const sim = new Sim({ replicas: 1, update: { FailureAction: 'rollback' } });
  const s = sim.service();
  // A spec change without a previous spec (as after an automatic rollback), with the status cleared.
  sim.writeService({ ...s, Spec: sim.spec('app:2', { replicas: 1, update: { FailureAction: 'rollback' } }), SpecVersion: { Index: s.Version.Index } });
  sim.runToIdle(failNew);
  t.is(sim.service().UpdateStatus?.State, 'paused');
  t.is(sim.service().UpdateStatus?.Message, 'update paused due to failure or early termination of task new1; cannot roll back because no previous spec is available');
});

test('timeout: a new task that never reaches running counts as a failure after 5 minutes', (t) => {
  const sim = new Sim({ replicas: 2 });
  sim.updateSpec({ image: 'app:2' });
  const stall: AgentPolicy = { start: () => 'stall' };
  sim.settle(stall);
  t.is(sim.task('new1').Status.State, 'ready');
  t.is(sim.plans.at(-1)?.wakeAt, T0 + 300 * SEC);
  sim.advance(300 * SEC - 1);
  sim.settle(stall);
  t.is(sim.service().UpdateStatus?.State, 'updating');
  sim.advance(1);
  sim.settle(stall);
  t.is(sim.service().UpdateStatus?.State, 'paused');
  t.is(sim.service().UpdateStatus?.Message, 'update paused due to task new1 not reaching running within 5m0s');
});

test('timeout: configurable, counted from when the task was told to run, and off at 0 (Swarm waits forever)', (t) => {
  const sim = new Sim({ replicas: 1, settings: { startTimeoutMs: 10 * SEC } });
  sim.updateSpec({ image: 'app:2' });
  // The old task takes 60 s to stop; the new one's clock starts only then.
  sim.settle({ start: () => 'stall', stop: () => false });
  sim.advance(60 * SEC);
  sim.settle({ start: () => 'stall', stop: () => false });
  t.is(sim.task('new1').DesiredState, 'running');
  sim.advance(10 * SEC);
  sim.settle({ start: () => 'stall' });
  t.is(sim.service().UpdateStatus?.Message, 'update paused due to task new1 not reaching running within 10s');

  const forever = new Sim({ replicas: 1, settings: { startTimeoutMs: 0 } });
  forever.updateSpec({ image: 'app:2' });
  forever.settle({ start: () => 'stall' });
  t.is(forever.plans.at(-1)?.wakeAt, undefined);
  forever.advance(24 * 3600 * SEC);
  forever.settle({ start: () => 'stall' });
  t.is(forever.service().UpdateStatus?.State, 'updating');
});

test('timeout with continue: the lane is freed and the update goes on', (t) => {
  const sim = new Sim({ replicas: 2, update: { FailureAction: 'continue' }, settings: { startTimeoutMs: 10 * SEC } });
  sim.updateSpec({ image: 'app:2' });
  sim.runToIdle({ start: (x) => (x.ID === 'new1' ? 'stall' : 'run') });
  t.is(sim.service().UpdateStatus?.State, 'completed');
  t.is(sim.task('new2').Status.State, 'running');
  t.is(sim.now, T0 + 10 * SEC);
});

test('timeout with rollback: rolled back with the timeout named', (t) => {
  const sim = new Sim({ replicas: 1, update: { FailureAction: 'rollback' }, settings: { startTimeoutMs: 30 * SEC } });
  sim.updateSpec({ image: 'app:2' });
  sim.runToIdle({ start: (x) => (x.Spec.ContainerSpec.Image === 'app:2' ? 'stall' : 'run') });
  t.is(sim.service().UpdateStatus?.State, 'rollback_completed');
  t.is(sim.plans.find((p) => p.service?.kind === 'rollback')?.service?.service.UpdateStatus?.Message, 'update rolled back due to task new1 not reaching running within 30s');
});

test('start-first: a new task that fails leaves the old one running', (t) => {
  const sim = new Sim({ replicas: 1, update: { Order: 'start-first', FailureAction: 'continue' } });
  sim.updateSpec({ image: 'app:2' });
  sim.runToIdle(failNew);
  t.is(sim.task('old1').DesiredState, 'running');
  t.is(sim.task('old1').Status.State, 'running');
  t.is(sim.service().UpdateStatus?.State, 'completed');
});
