import test from 'ava';
import type { Task } from '../../../src/api/task.js';
import { decideJob } from '../../../src/manager/orchestrator/jobs.js';
import { World } from './world.js';

function replicatedJob(total: number, max: number, condition: 'on-failure' | 'none' | 'any' = 'on-failure'): World {
  const w = new World();
  w.addNode('n1');
  w.addService('job', {
    Mode: { ReplicatedJob: { TotalCompletions: total, MaxConcurrent: max } },
    TaskTemplate: { ContainerSpec: { Image: 'busybox' }, RestartPolicy: { Condition: condition, Delay: 0 } },
  });
  w.converge(decideJob, 'job');
  return w;
}

/** Tasks of the current iteration that are still on their way. */
const inFlight = (w: World): Task[] => w.live('job').filter((t) => t.Status.State !== 'complete' && !['failed', 'shutdown'].includes(t.Status.State));
const completed = (w: World): number => w.tasks('job').filter((t) => t.Status.State === 'complete' && t.DesiredState === 'complete').length;

function finish(w: World, task: Task | undefined, state: 'complete' | 'failed' = 'complete'): void {
  if (task === undefined) throw new Error('no task');
  w.run(task.ID, 'n1');
  w.report(task.ID, state);
  w.converge(decideJob, 'job');
}

test('a replicated job runs MaxConcurrent tasks at a time until TotalCompletions', (t) => {
  const w = replicatedJob(5, 2);
  const first = inFlight(w);
  t.deepEqual(first.map((x) => x.Slot).sort(), [1, 2]);
  for (const x of first) {
    t.is(x.DesiredState, 'complete');
    t.is(x.JobIteration?.Index, 0);
  }
  finish(w, first[0]);
  t.is(inFlight(w).length, 2);
  while (inFlight(w).length > 0) finish(w, inFlight(w)[0]);
  t.is(completed(w), 5);
  t.deepEqual(w.tasks('job').map((x) => x.Slot).sort(), [1, 2, 3, 4, 5]);
  t.deepEqual(w.step(decideJob, 'job').plan.steps, []);
});

test('MaxConcurrent above TotalCompletions creates only what is needed', (t) => {
  const w = replicatedJob(2, 10);
  t.is(inFlight(w).length, 2);
});

test('a failed job task is restarted in its slot; a completed one never is', (t) => {
  const w = replicatedJob(1, 1);
  const [task] = inFlight(w);
  finish(w, task, 'failed');
  const [again] = inFlight(w);
  t.not(again?.ID, task?.ID);
  t.is(again?.Slot, task?.Slot);
  t.is(again?.DesiredState, 'complete', 'the delayed start released to complete, not running');
  t.like(again?.RestartHistory, { TotalRestarts: 1 });
  finish(w, again);
  t.is(completed(w), 1);
  t.is(w.tasks('job').length, 2);
});

test('restart condition any is on-failure for a job', (t) => {
  const w = replicatedJob(1, 1, 'any');
  finish(w, inFlight(w)[0]);
  t.is(w.tasks('job').length, 1);
});

test('a slot that failed for good stays failed: the job does not reach its completions', (t) => {
  const w = replicatedJob(2, 2, 'none');
  const [a, b] = inFlight(w);
  finish(w, a, 'failed');
  finish(w, b, 'complete');
  t.is(inFlight(w).length, 0);
  t.is(completed(w), 1);
  t.deepEqual(w.step(decideJob, 'job').plan.steps, []);
});

test('a new iteration (service update --force) runs the job again and shuts down the old one', (t) => {
  const w = replicatedJob(2, 1);
  const [a] = inFlight(w);
  finish(w, a);
  const [b] = inFlight(w);
  w.run(b?.ID ?? '', 'n1');
  w.updateService('job', (s) => ({ ...s, TaskTemplate: { ...s.TaskTemplate, ForceUpdate: s.TaskTemplate.ForceUpdate + 1 } }));
  t.is(w.service('job').JobStatus?.JobIteration.Index, 1);
  w.converge(decideJob, 'job');
  t.is(w.task(b?.ID ?? '').DesiredState, 'shutdown', 'the unfinished task of iteration 0');
  t.is(w.task(a?.ID ?? '').DesiredState, 'complete', 'finished history is left alone');
  const now = inFlight(w);
  t.is(now.length, 1);
  t.is(now[0]?.JobIteration?.Index, 1);
  t.is(now[0]?.Slot, 1);
});

test('a job task on a drained node moves, and completes elsewhere', (t) => {
  const w = replicatedJob(1, 1);
  w.addNode('n2');
  const [task] = inFlight(w);
  w.run(task?.ID ?? '', 'n1');
  w.setNode('n1', { availability: 'drain' });
  w.converge(decideJob, 'job');
  t.is(w.task(task?.ID ?? '').DesiredState, 'shutdown');
  w.report(task?.ID ?? '', 'shutdown');
  w.converge(decideJob, 'job');
  const [moved] = inFlight(w);
  t.is(moved?.DesiredState, 'complete');
  w.run(moved?.ID ?? '', 'n2');
  w.report(moved?.ID ?? '', 'complete');
  t.deepEqual(w.step(decideJob, 'job').plan.steps, []);
});

test('a global job runs once on every node that existed when it started', (t) => {
  const w = new World();
  w.addNode('n1');
  w.addNode('n2', { availability: 'drain' });
  w.advance(1_000);
  w.addService('job', { Mode: { GlobalJob: {} }, TaskTemplate: { ContainerSpec: { Image: 'busybox' }, RestartPolicy: { Delay: 0 } } });
  w.advance(1_000);
  w.addNode('late');
  w.converge(decideJob, 'job');
  t.deepEqual(w.live('job').map((x) => x.NodeID), ['n1']);
  const [task] = w.live('job');
  w.run(task?.ID ?? '', 'n1');
  w.report(task?.ID ?? '', 'failed');
  w.converge(decideJob, 'job');
  const [again] = w.live('job').filter((x) => x.ID !== task?.ID);
  t.is(String(again?.NodeID), 'n1');
  t.is(again?.DesiredState, 'complete');
  w.run(again?.ID ?? '', 'n1');
  w.report(again?.ID ?? '', 'complete');
  w.converge(decideJob, 'job');
  t.is(w.tasks('job').length, 2);
  // The drained node at the start runs it once it is active again (as swarmkit).
  w.setNode('n2', { availability: 'active' });
  w.converge(decideJob, 'job');
  t.deepEqual(w.live('job').filter((x) => x.Status.State === 'pending').map((x) => x.NodeID), ['n2']);
});

test('a global job task on a node that goes down is shut down, not moved', (t) => {
  const w = new World();
  w.addNode('n1');
  w.advance(1);
  w.addService('job', { Mode: { GlobalJob: {} } });
  w.converge(decideJob, 'job');
  const [task] = w.live('job');
  w.run(task?.ID ?? '', 'n1');
  w.setNode('n1', { state: 'down' });
  w.converge(decideJob, 'job');
  t.is(w.task(task?.ID ?? '').DesiredState, 'shutdown');
  t.is(w.tasks('job').length, 1);
});
