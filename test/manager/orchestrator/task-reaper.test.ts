import test from 'ava';
import type { ServiceId } from '../../../src/api/ids.js';
import type { Task } from '../../../src/api/task.js';
import { decideReplicated } from '../../../src/manager/orchestrator/replicated.js';
import { decideReap } from '../../../src/manager/orchestrator/task-reaper.js';
import { retentionLimit } from '../../../src/manager/orchestrator/task-facts.js';
import { World } from './world.js';

const reap = (w: World, id: string): void => {
  w.step((view, sid) => decideReap(view, sid, retentionLimit(view)), id);
};

/** A replicated service whose one slot has failed `failures` times (each restarted). */
function flapping(failures: number, historyLimit?: number): World {
  const w = new World(historyLimit !== undefined ? { historyLimit } : {});
  w.addNode('n1');
  w.addService('web', { Mode: { Replicated: { Replicas: 1 } }, TaskTemplate: { ContainerSpec: { Image: 'busybox' }, RestartPolicy: { Delay: 0 } } });
  w.converge(decideReplicated, 'web');
  for (let i = 0; i < failures; i++) {
    const live = w.live('web').find((t) => t.Status.State === 'pending');
    w.advance(1_000);
    w.run(live?.ID ?? '', 'n1');
    w.report(live?.ID ?? '', 'failed');
    w.converge(decideReplicated, 'web');
  }
  return w;
}

test('a slot keeps at most TaskHistoryRetentionLimit tasks (default 5), deleting the oldest finished ones', (t) => {
  const w = flapping(7);
  const before = w.tasks('web');
  t.is(before.length, 8);
  reap(w, 'web');
  const after = w.tasks('web');
  t.is(after.length, 5);
  const oldest = [...before].sort((a, b) => Date.parse(a.Status.Timestamp) - Date.parse(b.Status.Timestamp)).slice(0, 3);
  for (const o of oldest) t.is(w.maybeTask(o.ID), undefined);
  t.is(after.filter((x) => x.DesiredState === 'running').length, 1, 'the live task stays');
});

test('the limit follows the cluster setting; negative keeps everything; 0 still keeps the newest task', (t) => {
  const two = flapping(4, 2);
  reap(two, 'web');
  t.is(two.tasks('web').length, 2);
  const all = flapping(4, -1);
  reap(all, 'web');
  t.is(all.tasks('web').length, 5);
  const none = flapping(3, 0);
  reap(none, 'web');
  t.deepEqual(none.tasks('web').map((x) => x.DesiredState), ['running']);
});

test('never a task that may still be running, even beyond the limit', (t) => {
  const w = flapping(2, 1);
  // The two stopped tasks claim to still run (their node has not reported the stop yet).
  for (const x of w.tasks('web').filter((y) => y.DesiredState === 'shutdown')) w.report(x.ID, 'running');
  reap(w, 'web');
  t.is(w.tasks('web').length, 3);
});

test('tasks desired remove are deleted once stopped, or at once if no node took them', (t) => {
  const w = new World();
  w.addNode('n1');
  w.addService('web', { Mode: { Replicated: { Replicas: 3 } } });
  w.converge(decideReplicated, 'web');
  const [a, b, c] = w.tasks('web') as [Task, Task, Task];
  w.run(a.ID, 'n1');
  w.run(b.ID, 'n1');
  w.run(c.ID, 'n1');
  w.updateService('web', (s) => ({ ...s, Mode: { Replicated: { Replicas: 0 } } }));
  w.step(decideReplicated, 'web');
  t.deepEqual(w.tasks('web').map((x) => x.DesiredState), ['remove', 'remove', 'remove']);
  w.report(a.ID, 'shutdown');
  reap(w, 'web');
  t.deepEqual(w.tasks('web').map((x) => x.ID), [b.ID, c.ID], 'the stopped one goes, the running ones stay');

  const p = new World();
  p.addService('web', { Mode: { Replicated: { Replicas: 2 } } });
  p.converge(decideReplicated, 'web');
  p.updateService('web', (s) => ({ ...s, Mode: { Replicated: { Replicas: 0 } } }));
  p.step(decideReplicated, 'web');
  reap(p, 'web');
  t.deepEqual(p.tasks('web'), [], 'pending tasks are deleted right away');
});

test('a deleted service: its tasks are asked to go, and deleted once they have stopped', (t) => {
  const w = new World();
  w.addNode('n1');
  w.addService('web', { Mode: { Replicated: { Replicas: 2 } } });
  w.converge(decideReplicated, 'web');
  const [a, b] = w.tasks('web') as [Task, Task];
  w.run(a.ID, 'n1');
  w.removeService('web');
  reap(w, 'web');
  t.deepEqual(w.tasks('web').map((x) => x.DesiredState), ['remove', 'remove']);
  reap(w, 'web');
  t.deepEqual(w.tasks('web').map((x) => [x.ID, x.DesiredState]), [[a.ID, 'remove']], 'the one no node took is gone at the next look');
  t.is(w.maybeTask(b.ID), undefined);
  w.report(a.ID, 'shutdown');
  reap(w, 'web');
  t.deepEqual(w.tasks('web'), []);
  t.deepEqual(w.view((v) => decideReap(v, 'web' as ServiceId, 5)).steps, []);
});
