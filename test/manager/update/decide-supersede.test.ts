// Updates that change course: superseded by a newer spec, resumed after a
// pause, manual rollback (Docker's) and rollback --to-version (shoal's).
import test from 'ava';
import type { Task } from '../../../src/api/task.js';
import { rollbackToVersion } from '../../../src/manager/update/rollback-spec.js';
import { SEC, Sim, T0 } from './sim.js';

const images = (sim: Sim): string[] => [...sim.liveBySlot().values()].map((ts) => ts.map((t: Task) => sim.image(t)).join('+'));

test('a new spec during an update supersedes it: the rest, and the slots already done, go to the newest spec', (t) => {
  const sim = new Sim({ replicas: 3 });
  sim.updateSpec({ image: 'app:2' });
  sim.settle({ start: (x) => (x.ID === 'new2' ? 'stall' : 'run') }); // slot 1 done, slot 2 on its way
  t.deepEqual(images(sim), ['app:2', 'app:2', 'app:1']);
  t.is(sim.task('new2').Status.State, 'ready');

  const v3 = sim.updateSpec({ image: 'app:3' });
  t.is(v3.UpdateStatus, undefined, 'updateServiceSpec clears the status');
  const p = sim.decide();
  t.is(p.service?.kind, 'start');
  t.is(sim.service().UpdateStatus?.Message, 'update in progress');
  t.is(sim.state.kind === 'rolling' ? sim.state.progress.target.specVersion : -1, v3.SpecVersion.Index);
  sim.runToIdle();
  t.deepEqual(images(sim), ['app:3', 'app:3', 'app:3']);
  t.is(sim.service().UpdateStatus?.State, 'completed');
  t.is(sim.task('new2').DesiredState, 'shutdown', 'the superseded replacement was replaced in turn');
});

test('superseding with only a new update config keeps the slots already updated', (t) => {
  const sim = new Sim({ replicas: 4 });
  sim.updateSpec({ image: 'app:2' });
  sim.decide();
  sim.agent();
  sim.decide();
  sim.agent(); // slot 1 done
  sim.updateSpec({ update: { Parallelism: 0 } }); // `--update-parallelism 0` mid-update
  const p = sim.decide();
  t.deepEqual(
    p.create.map((x) => x.Slot),
    [2, 3, 4],
    'the new parallelism applies; slot 1 (same task spec) stays',
  );
  sim.runToIdle();
  t.deepEqual(images(sim), ['app:2', 'app:2', 'app:2', 'app:2']);
  t.is(sim.task('new1').DesiredState, 'running');
});

test('a paused update resumes when the spec changes again', (t) => {
  const sim = new Sim({ replicas: 2 });
  sim.updateSpec({ image: 'app:2' });
  sim.runToIdle({ start: (x) => (x.Spec.ContainerSpec.Image === 'app:2' ? 'fail' : 'run') });
  t.is(sim.service().UpdateStatus?.State, 'paused');
  sim.updateSpec({ image: 'app:2-fixed' });
  sim.runToIdle();
  t.is(sim.service().UpdateStatus?.State, 'completed');
  // Slot 1's failed task is the restart policy's; slot 2 was updated.
  t.deepEqual(images(sim), ['app:2-fixed']);
});

test('a stop-first replacement left at desired ready (leader change) is finished, not replaced', (t) => {
  const sim = new Sim({ replicas: 2 });
  sim.updateSpec({ image: 'app:2' });
  sim.decide();
  sim.agent({ stop: () => false });
  // A new leader: the updater's memory is gone, the store still says "updating".
  sim.state = { kind: 'idle' };
  sim.agent();
  const p = sim.decide();
  t.deepEqual(p.create, [], 'the ready task is reused');
  t.deepEqual(p.desired, [{ taskId: 'new1', from: 'ready', to: 'running' }]);
  sim.runToIdle();
  t.deepEqual(images(sim), ['app:2', 'app:2']);
  t.is(sim.service().UpdateStatus?.State, 'completed');
});

test('manual rollback: back to the previous spec under RollbackConfig, "rollback completed"', (t) => {
  const sim = new Sim({ replicas: 3, rollback: { Parallelism: 0 } });
  const v1 = sim.service().SpecVersion.Index;
  sim.updateSpec({ image: 'app:2' });
  sim.runToIdle();
  t.is(sim.service().UpdateStatus?.State, 'completed');
  sim.rollback();
  t.deepEqual(sim.service().UpdateStatus, { State: 'rollback_started', StartedAt: '2026-01-01T12:00:00Z', Message: 'manually requested rollback' });
  const p = sim.decide();
  t.is(p.create.length, 3, 'rollback parallelism 0: all at once');
  sim.runToIdle();
  t.is(sim.service().UpdateStatus?.State, 'rollback_completed');
  t.is(sim.service().UpdateStatus?.Message, 'rollback completed');
  t.deepEqual(images(sim), ['app:1', 'app:1', 'app:1']);
  t.true([...sim.liveBySlot().values()].every(([x]) => x?.ServiceVersion?.Index === v1));
});

test('manual rollback with nothing to replace completes at once', (t) => {
  const sim = new Sim({ replicas: 1 });
  sim.updateSpec({ update: { Parallelism: 2 } }); // tasks stay clean
  sim.rollback();
  const p = sim.decide();
  t.is(p.service?.kind, 'complete');
  t.is(sim.service().UpdateStatus?.State, 'rollback_completed');
});

test('rollback during an update supersedes it', (t) => {
  const sim = new Sim({ replicas: 3 });
  sim.updateSpec({ image: 'app:2' });
  sim.settle({ start: (x) => (x.ID === 'new2' ? 'stall' : 'run') });
  sim.rollback();
  sim.runToIdle();
  t.deepEqual(images(sim), ['app:1', 'app:1', 'app:1']);
  t.is(sim.service().UpdateStatus?.State, 'rollback_completed');
  t.is(sim.task('old3').DesiredState, 'running', 'slot 3 never left the old spec');
});

test('rollback --to-version: any spec of the last 10, under its old version', (t) => {
  const sim = new Sim({ replicas: 2, update: { Parallelism: 0 } });
  const v1 = sim.service().SpecVersion.Index;
  for (const image of ['app:2', 'app:3']) {
    sim.updateSpec({ image });
    sim.runToIdle();
  }
  t.deepEqual(images(sim), ['app:3', 'app:3']);
  const before = sim.service();
  sim.advance(5 * SEC);
  sim.rollbackTo(v1);
  const s = sim.service();
  t.is(s.Spec.TaskTemplate.ContainerSpec.Image, 'app:1');
  t.is(s.SpecVersion.Index, v1);
  t.deepEqual(s.PreviousSpecVersion, before.SpecVersion);
  t.deepEqual(s.UpdateStatus, { State: 'rollback_started', StartedAt: new Date(T0 + 5 * SEC).toISOString().replace('.000', ''), Message: 'manually requested rollback to version ' + v1 });
  t.deepEqual(s.SpecHistory.at(-1)?.Version, { Index: v1 });
  sim.runToIdle();
  t.deepEqual(images(sim), ['app:1', 'app:1']);
  t.is(sim.service().UpdateStatus?.Message, 'rollback completed');
  // A plain rollback from there returns to app:3, as Docker's does.
  sim.rollback();
  sim.runToIdle();
  t.deepEqual(images(sim), ['app:3', 'app:3']);
});

test('rollback --to-version refuses the current version and versions no longer kept', (t) => {
  const sim = new Sim({ replicas: 1 });
  const s = sim.service();
  t.deepEqual(rollbackToVersion(s, s.SpecVersion.Index, T0), { ok: false, reason: `service ${s.ID} is already at version ${s.SpecVersion.Index}` });
  t.deepEqual(rollbackToVersion(s, 999, T0), { ok: false, reason: `service ${s.ID} has no spec version 999 in its history (kept: 0)` });
});

// ---- the orchestrator's tasks in the same slots ----

/** What the restart supervisor leaves: a clean replacement at desired ready, held by a DelayedStart. */
function delayedRestart(sim: Sim, id: string, slot: number): Task {
  const s = sim.service();
  const at = new Date(sim.now + 5 * SEC).toISOString();
  return {
    ...sim.task('old1'),
    ID: id as Task['ID'],
    Slot: slot,
    Spec: s.Spec.TaskTemplate,
    ServiceVersion: s.SpecVersion,
    DesiredState: 'ready',
    Status: { Timestamp: at, State: 'ready', Message: 'ready' },
    DelayedStart: { NotBefore: at },
  };
}

test('a delayed restart alone in its slot is the orchestrator\'s: left alone, the slot counts as clean', (t) => {
  const sim = new Sim({ replicas: 2 });
  sim.updateSpec({ image: 'app:2' });
  sim.report('old2', 'failed');
  sim.commit([{ kind: 'create', table: 'tasks', object: delayedRestart(sim, 'restart2', 2) as never }]);
  sim.runToIdle();
  t.is(sim.service().UpdateStatus?.State, 'completed');
  t.is(sim.task('restart2').DesiredState, 'ready', 'not started by the updater');
});

test('a delayed restart beside a live old task: the updater waits for the orchestrator to start it, then finishes the slot', (t) => {
  const sim = new Sim({ replicas: 1, update: { Order: 'start-first' } });
  sim.updateSpec({ image: 'app:2' });
  sim.commit([{ kind: 'create', table: 'tasks', object: delayedRestart(sim, 'restart1', 1) as never }]);
  const p = sim.decide();
  t.deepEqual([p.create, p.desired], [[], []]);
  t.is(sim.state.kind, 'rolling');
  t.is(sim.service().UpdateStatus?.State, 'updating');
  // The orchestrator's delay is over: it starts the task.
  const r = sim.task('restart1');
  const { DelayedStart: _d, ...started } = r;
  sim.commit([{ kind: 'update', table: 'tasks', object: { ...started, DesiredState: 'running' } as never }]);
  sim.runToIdle();
  t.is(sim.task('old1').DesiredState, 'shutdown');
  t.is(sim.task('restart1').Status.State, 'running');
  t.is(sim.service().UpdateStatus?.State, 'completed');
  t.false(sim.tasks().some((x) => x.ID.startsWith('new')), 'nothing created');
});
