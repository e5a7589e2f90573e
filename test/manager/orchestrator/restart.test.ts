import test from 'ava';
import type { RestartCondition } from '../../../src/api/task-spec.js';
import type { Task } from '../../../src/api/task.js';
import { decideReplicated } from '../../../src/manager/orchestrator/replicated.js';
import { recordRestart, shouldRestart } from '../../../src/manager/orchestrator/restart-policy.js';
import { SECOND_NS, World } from './world.js';

interface Policy {
  Condition?: RestartCondition;
  Delay?: number;
  MaxAttempts?: number;
  Window?: number;
}

function world(policy: Policy): World {
  const w = new World();
  w.addNode('n1');
  w.addService('web', { Mode: { Replicated: { Replicas: 1 } }, TaskTemplate: { ContainerSpec: { Image: 'busybox' }, RestartPolicy: { Delay: 0, ...policy } } });
  w.converge(decideReplicated, 'web');
  return w;
}

/** The slot's task that wants to run and has not stopped. */
function current(w: World): Task {
  const t = w.live('web').find((x) => ['new', 'pending', 'assigned', 'running'].includes(x.Status.State));
  if (t === undefined) throw new Error('no live task');
  return t;
}

/** The current task runs, then stops with `state`; the orchestrator reacts until it settles. */
function stop(w: World, state: 'failed' | 'complete' | 'shutdown' = 'failed'): Task {
  const t = current(w);
  w.run(t.ID, 'n1');
  w.report(t.ID, state);
  w.converge(decideReplicated, 'web');
  return w.task(t.ID);
}

function restarts(w: World): number {
  return w.tasks('web').length - 1;
}

test('on-failure: exit 1 (failed) is restarted, exit 0 (complete) is not and the slot stays stopped', (t) => {
  const w = world({ Condition: 'on-failure' });
  const failed = stop(w, 'failed');
  t.is(failed.DesiredState, 'shutdown');
  t.is(restarts(w), 1);
  const done = stop(w, 'complete');
  t.is(done.DesiredState, 'shutdown');
  t.is(restarts(w), 1, 'not restarted');
  t.is(w.live('web').length, 0);
  t.is(w.step(decideReplicated, 'web').plan.steps.length, 0, 'and the empty slot is not refilled');
});

test('any: a task that completed is restarted too; none: a failed task is not', (t) => {
  const any = world({ Condition: 'any' });
  stop(any, 'complete');
  t.is(restarts(any), 1);
  const none = world({ Condition: 'none' });
  const f = stop(none, 'failed');
  t.is(f.DesiredState, 'shutdown');
  t.is(restarts(none), 0);
  t.is(none.step(decideReplicated, 'web').plan.steps.length, 0);
});

test('the replacement takes the same slot, the current spec, and carries the restart history', (t) => {
  const w = world({ MaxAttempts: 3 });
  const old = stop(w);
  const repl = current(w);
  t.is(repl.Slot, old.Slot);
  t.is(repl.ServiceVersion?.Index, w.service('web').SpecVersion.Index);
  t.is(repl.DesiredState, 'running', 'released at once with no delay');
  t.like(repl.RestartHistory, { TotalRestarts: 1 });
  stop(w);
  t.like(current(w).RestartHistory, { TotalRestarts: 2 });
});

test('MaxAttempts without a window counts every restart of the slot', (t) => {
  const w = world({ MaxAttempts: 2 });
  stop(w);
  stop(w);
  t.is(restarts(w), 2);
  const last = stop(w);
  t.is(restarts(w), 2, 'a third restart is refused');
  t.is(last.DesiredState, 'shutdown');
  t.is(w.live('web').length, 0);
});

test('MaxAttempts within Window only counts restarts in the window before the failure', (t) => {
  const w = world({ MaxAttempts: 2, Window: 60 * SECOND_NS });
  stop(w);
  w.advance(1_000);
  stop(w);
  w.advance(1_000);
  stop(w);
  t.is(restarts(w), 2, 'two restarts within a minute: the third failure stays down');

  const w2 = world({ MaxAttempts: 2, Window: 60 * SECOND_NS });
  stop(w2);
  w2.advance(1_000);
  stop(w2);
  w2.advance(61_000);
  stop(w2);
  t.is(restarts(w2), 3, 'the first restart fell out of the window');
  t.true((current(w2).RestartHistory?.RecentRestarts.length ?? 0) <= 2, 'the record stays small');
});

test('Delay is honoured: the replacement waits at ready until the delay has passed', (t) => {
  const w = world({ Delay: 5 * SECOND_NS });
  const t0 = w.now;
  const old = current(w);
  w.run(old.ID, 'n1');
  w.report(old.ID, 'failed');
  w.step(decideReplicated, 'web');
  const repl = w.live('web')[0];
  t.is(repl?.DesiredState, 'ready');
  t.is(Date.parse(repl?.DelayedStart?.NotBefore ?? ''), t0 + 5_000);
  t.is(repl?.DelayedStart?.Replaces, undefined, 'the old task has stopped: nothing to wait for');
  const again = w.step(decideReplicated, 'web').plan;
  t.deepEqual(again.steps, []);
  t.is(again.wakeAt, t0 + 5_000);
  w.advance(4_999);
  t.is(w.step(decideReplicated, 'web').plan.steps.length, 0);
  w.advance(1);
  const { plan } = w.step(decideReplicated, 'web');
  t.regex(plan.steps[0]?.why ?? '', /delayed restart/);
  t.is(w.task(repl?.ID ?? '').DesiredState, 'running');
});

test('a new leader continues the history and the delay: a fresh orchestrator on a restored store', (t) => {
  const w = world({ MaxAttempts: 2, Delay: 5 * SECOND_NS });
  const first = current(w);
  w.run(first.ID, 'n1');
  w.report(first.ID, 'failed');
  w.step(decideReplicated, 'web');
  // Leader change mid-delay: the new leader has only the replicated store.
  const w2 = new World();
  w2.memory.restore(w.memory.snapshot());
  w2.now = w.now + 2_000;
  t.deepEqual(w2.step(decideReplicated, 'web').plan.steps, [], 'the delay is still running');
  w2.advance(3_000);
  w2.step(decideReplicated, 'web');
  const second = current(w2);
  t.is(second.DesiredState, 'running');
  w2.run(second.ID, 'n1');
  w2.report(second.ID, 'failed');
  w2.converge(decideReplicated, 'web');
  w2.advance(5_000);
  w2.converge(decideReplicated, 'web');
  // Another leader change; the third failure must find two restarts used.
  const w3 = new World();
  w3.memory.restore(w2.memory.snapshot());
  w3.now = w2.now;
  const third = current(w3);
  t.like(third.RestartHistory, { TotalRestarts: 2 });
  w3.run(third.ID, 'n1');
  w3.report(third.ID, 'failed');
  w3.converge(decideReplicated, 'web');
  t.is(w3.live('web').length, 0, 'MaxAttempts holds across leaders');
});

test('a new spec version starts the count afresh', (t) => {
  const w = world({ MaxAttempts: 2 });
  stop(w);
  const v1 = w.service('web').SpecVersion.Index;
  w.updateService('web', (s) => ({ ...s, Labels: { v: '2' } }));
  const v2 = w.service('web').SpecVersion.Index;
  t.not(v1, v2);
  stop(w);
  t.like(current(w).RestartHistory, { SpecVersion: { Index: v2 }, TotalRestarts: 1 });
  stop(w);
  t.is(w.live('web').length, 1, 'the second restart under v2 is allowed');
  stop(w);
  t.is(w.live('web').length, 0, 'the third is not');
});

test('shouldRestart and recordRestart edges', (t) => {
  const w = world({ Condition: 'any', MaxAttempts: 1, Window: 10 * SECOND_NS });
  const task = stop(w, 'complete');
  t.false(shouldRestart(task, true).restart, 'a job treats any as on-failure');
  t.true(shouldRestart({ ...task, RestartHistory: undefined }, false).restart);
  const v = task.ServiceVersion ?? { Index: 0 };
  const h1 = recordRestart(undefined, v, task.Spec.RestartPolicy, w.now);
  const h2 = recordRestart(h1, v, task.Spec.RestartPolicy, w.now + 20_000);
  t.is(h2.TotalRestarts, 2);
  t.is(h2.RecentRestarts.length, 1, 'restarts outside the window are dropped');
  const other = recordRestart(h2, { Index: v.Index + 7 }, task.Spec.RestartPolicy, w.now);
  t.is(other.TotalRestarts, 1);
});

test('on-failure: a task the node rejected is restarted', (t) => {
  const w = world({ Condition: 'on-failure' });
  const task = current(w);
  w.report(task.ID, 'rejected');
  w.converge(decideReplicated, 'web');
  t.is(restarts(w), 1);
});
