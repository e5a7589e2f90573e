// Golden output of the convergence display (docker/cli progress.go and
// jsonmessage): the tracker is stepped through service/task states with a
// fixed clock, the screen turns its messages into terminal bytes and the
// final frame.
import test from 'ava';
import { ConvergenceTracker, type ProgressView, type StepResult } from '../../../src/cli/commands/service/progress.js';
import { ProgressScreen, progressBar } from '../../../src/cli/commands/service/progress-screen.js';
import { truncError } from '../../../src/cli/commands/service/progress-updaters.js';
import type { Service } from '../../../src/api/service.js';
import type { Task } from '../../../src/api/task.js';
import { replicated, resetTaskIds, service, task, T0 } from './fixtures.js';

const N1 = 'node1000000000000000000000';
const N2 = 'node2000000000000000000000';
const nodes = new Set([N1, N2]);
const BAR = '[==================================================>]';

/** Steps the tracker through `rounds` (service, tasks, ms after T0); returns the frame and the last outcome. */
function run(rounds: { service: Service; tasks: Task[]; at: number }[], columns = 200): { frame: string; last: StepResult; bytes: string } {
  const tracker = new ConvergenceTracker();
  const screen = new ProgressScreen(columns);
  let bytes = '';
  let last: StepResult | undefined;
  for (const r of rounds) {
    const view: ProgressView = { service: r.service, tasks: r.tasks, activeNodes: nodes, nowMs: T0 + r.at };
    last = tracker.step(view);
    bytes += screen.applyAll(last.messages);
  }
  if (last === undefined) throw new Error('no rounds');
  return { frame: screen.frame(), last, bytes };
}

test.beforeEach(() => resetTaskIds());

test.serial('seed 002: create with 3 replicas converges after the monitor period', (t) => {
  const web = replicated(1, 'web', 'nginx', 3);
  const assigned = [1, 2, 3].map((slot) => task(web, { slot, node: N1, state: 'assigned' }));
  const running = assigned.map((x) => ({ ...x, Status: { ...x.Status, State: 'running' as const } }));
  const r = run([
    { service: web, tasks: [], at: 0 },
    { service: web, tasks: assigned, at: 100 },
    { service: web, tasks: running, at: 300 },
    { service: web, tasks: running, at: 1300 },
    { service: web, tasks: running, at: 5300 },
  ]);
  t.is(r.frame, ['overall progress: 3 out of 3 tasks', `1/3: running   ${BAR}`, `2/3: running   ${BAR}`, `3/3: running   ${BAR}`, 'verify: Service converged', ''].join('\n'));
  t.deepEqual(r.last.outcome, { kind: 'converged' });
});

test.serial('the countdown wakes the loop each second and at the end of the monitor period', (t) => {
  const web = replicated(1, 'web', 'nginx', 1, { UpdateConfig: { Monitor: 2e9 } });
  const running = [task(web, { slot: 1, node: N1, state: 'running' })];
  const tracker = new ConvergenceTracker();
  const at = (ms: number) => tracker.step({ service: web, tasks: running, activeNodes: nodes, nowMs: T0 + ms });
  const first = at(0);
  t.deepEqual(first.outcome, { kind: 'waiting', wakeAtMs: T0 + 1000 });
  t.deepEqual(first.messages.at(-1), { kind: 'progress', id: 'verify', action: 'Waiting 2 seconds to verify that tasks are stable...' });
  const second = at(1000);
  t.deepEqual(second.messages.at(-1), { kind: 'progress', id: 'verify', action: 'Waiting 1 seconds to verify that tasks are stable...' });
  t.deepEqual(second.outcome, { kind: 'waiting', wakeAtMs: T0 + 2000 });
  const late = at(1500);
  t.deepEqual(late.outcome, { kind: 'waiting', wakeAtMs: T0 + 2000 });
  t.deepEqual(at(2000).outcome, { kind: 'converged' });
});

test.serial('assigned tasks draw a partial bar; a narrow terminal draws none', (t) => {
  const web = replicated(1, 'web', 'nginx', 2);
  const tasks = [task(web, { slot: 1, node: N1, state: 'assigned' }), task(web, { slot: 2, node: N1, state: 'preparing' })];
  const wide = run([{ service: web, tasks, at: 0 }]);
  const bar = (n: number) => `[${'='.repeat(n)}>${' '.repeat(50 - n)}]`;
  t.is(wide.frame, ['overall progress: 0 out of 2 tasks', `1/2: assigned  ${bar(22)}`, `2/2: preparing ${bar(33)}`, ''].join('\n'));
  const narrow = run([{ service: web, tasks, at: 0 }], 80);
  t.is(narrow.frame, ['overall progress: 0 out of 2 tasks', '1/2: assigned', '2/2: preparing', ''].join('\n'));
  t.is(progressBar(0, 0, 200), '');
});

test.serial('a pending task shows the scheduler explanation on its line', (t) => {
  const web = replicated(1, 'web', 'nginx', 1);
  const pending = { ...task(web, { slot: 1, state: 'pending' }), PendingExplanation: { Summary: 'no suitable node (1 node not available for new tasks)', Rejections: [], CheckedAt: '' } };
  const r = run([{ service: web, tasks: [pending], at: 0 }]);
  t.is(r.frame, ['overall progress: 0 out of 1 tasks', '1/1: no suitable node (1 node not available for new tasks)', ''].join('\n'));
  t.deepEqual(r.last.outcome, { kind: 'waiting' });
});

test.serial('an update paused by a failure ends with docker\'s message', (t) => {
  const web = replicated(1, 'web', 'nginx', 1);
  const failed = task(web, { slot: 1, node: N1, state: 'failed', desired: 'shutdown', err: 'task: non-zero exit (1)' });
  const paused = { ...web, UpdateStatus: { State: 'paused' as const, StartedAt: '', Message: `update paused due to failure or early termination of task ${failed.ID}` } };
  const r = run([
    { service: { ...web, UpdateStatus: { State: 'updating', StartedAt: '', Message: 'update in progress' } }, tasks: [failed], at: 0 },
    { service: paused, tasks: [failed], at: 100 },
  ]);
  t.is(r.frame, ['overall progress: 0 out of 1 tasks', '1/1: task: non-zero exit (1)', ''].join('\n'));
  t.deepEqual(r.last.outcome, { kind: 'failed', message: `service update paused: update paused due to failure or early termination of task ${failed.ID}` });
});

test.serial('an automatic rollback: rolling back, the reason, converged, then "rollback completed"', (t) => {
  const web = replicated(1, 'web', 'nginx', 2);
  const tasks = [1, 2].map((slot) => task(web, { slot, node: N2, state: 'running' }));
  const reason = 'update rolled back due to failure or early termination of task taskx';
  const started = { ...web, UpdateStatus: { State: 'rollback_started' as const, StartedAt: '', Message: reason } };
  const done = { ...web, UpdateStatus: { State: 'rollback_completed' as const, StartedAt: '', Message: 'rollback completed' } };
  const updating = { ...web, UpdateStatus: { State: 'updating' as const, StartedAt: '', Message: 'update in progress' } };
  const r = run([
    { service: updating, tasks: tasks.slice(0, 1), at: 0 },
    { service: started, tasks: tasks.slice(0, 1), at: 50 },
    { service: done, tasks, at: 100 },
    { service: done, tasks, at: 5200 },
  ]);
  t.is(
    r.frame,
    [
      'overall progress: rolling back update: 2 out of 2 tasks',
      `1/2: running   ${BAR}`,
      `2/2: running   ${BAR}`,
      `rollback: ${reason}`,
      'verify: Service converged',
      'rollback: rollback completed',
      '',
    ].join('\n'),
  );
  t.deepEqual(r.last.outcome, { kind: 'converged', rolledBack: reason });
});

test.serial('a manual rollback announces itself first, as in docker\'s docs', (t) => {
  const web = replicated(1, 'web', 'nginx', 1, { UpdateConfig: { Monitor: 1e9 } });
  const tasks = [task(web, { slot: 1, node: N1, state: 'running' })];
  const started = { ...web, UpdateStatus: { State: 'rollback_started' as const, StartedAt: '', Message: 'manually requested rollback' } };
  const r = run([
    { service: started, tasks, at: 0 },
    { service: started, tasks, at: 1000 },
  ]);
  t.is(r.frame, ['rollback: manually requested rollback', 'overall progress: rolling back update: 1 out of 1 tasks', `1/1: running   ${BAR}`, 'verify: Service converged', ''].join('\n'));
});

test.serial('a task failing during the verify wait is detected, and the wait starts over', (t) => {
  const web = replicated(1, 'web', 'nginx', 1);
  const ok = task(web, { slot: 1, node: N1, state: 'running' });
  const bad = { ...ok, Status: { ...ok.Status, State: 'failed' as const, Err: 'task: non-zero exit (137)' }, DesiredState: 'shutdown' as const };
  const again = task(web, { slot: 1, node: N1, state: 'running', created: 3 });
  const r = run([
    { service: web, tasks: [ok], at: 0 },
    { service: web, tasks: [bad], at: 2000 },
    { service: web, tasks: [bad, again], at: 3000 },
  ]);
  t.is(r.frame, ['overall progress: 1 out of 1 tasks', `1/1: running   ${BAR}`, 'verify: Waiting 5 seconds to verify that tasks are stable...', ''].join('\n'));
  t.true(r.bytes.includes('verify: Detected task failure'));
  t.deepEqual(r.last.outcome, { kind: 'waiting', wakeAtMs: T0 + 4000 });
});

test.serial('a replicated job: progress of completions, active tasks, then "job complete"', (t) => {
  const job = { ...service(1, { Name: 'job', TaskTemplate: { ContainerSpec: { Image: 'busybox' } }, Mode: { ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 3 } } }) };
  const jt = (slot: number, state: Task['Status']['State']) => ({ ...task(job, { slot, node: N1, state, desired: 'complete' }), JobIteration: { Index: 0 } });
  const r = run([
    { service: job, tasks: [jt(1, 'running'), jt(2, 'complete')], at: 0 },
    { service: job, tasks: [jt(1, 'complete'), jt(2, 'complete'), jt(3, 'complete')], at: 100 },
  ]);
  t.is(
    r.frame,
    [
      `job progress: 3 out of 3 complete ${BAR}`,
      'active tasks: 0 out of 0 tasks',
      `1/3: complete  ${BAR}`,
      `2/3: complete  ${BAR}`,
      `3/3: complete  ${BAR}`,
      'job complete',
      '',
    ].join('\n'),
  );
  t.deepEqual(r.last.outcome, { kind: 'converged' });
});

test.serial('a global service waits for its tasks, then draws one line per node', (t) => {
  const agent = service(1, { Name: 'agent', TaskTemplate: { ContainerSpec: { Image: 'agent' } }, Mode: { Global: {} } });
  const tasks = [task(agent, { node: N1, state: 'running' }), task(agent, { node: N2, state: 'starting' })];
  const r = run([
    { service: agent, tasks: [], at: 0 },
    { service: agent, tasks, at: 100 },
  ]);
  t.is(r.frame, ['overall progress: 1 out of 2 tasks', `node10000000: running   ${BAR}`, 'node20000000: starting  [============================================>      ]', ''].join('\n'));
});

test.serial('more than 20 replicas: only the overall line', (t) => {
  const big = replicated(1, 'big', 'nginx', 21);
  const r = run([{ service: big, tasks: [task(big, { slot: 1, node: N1, state: 'running' })], at: 0 }]);
  t.is(r.frame, 'overall progress: 1 out of 21 tasks\n');
});

test.serial('an update already completed before anything converged ends at once, silently (docker)', (t) => {
  const web = { ...replicated(1, 'web', 'nginx', 1), UpdateStatus: { State: 'completed' as const, StartedAt: '', Message: 'update completed' } };
  const r = run([{ service: web, tasks: [], at: 0 }]);
  t.deepEqual(r.last, { messages: [], outcome: { kind: 'converged' } });
});

test.serial('shoal: a task that failed with restart condition none cannot converge', (t) => {
  const web = replicated(1, 'web', 'nginx', 2, { TaskTemplate: { ContainerSpec: { Image: 'nginx' }, RestartPolicy: { Condition: 'none' } } });
  const tasks = [task(web, { slot: 1, node: N1, state: 'running' }), task(web, { slot: 2, node: N1, state: 'failed', desired: 'shutdown', err: 'task: non-zero exit (2)' })];
  const r = run([{ service: web, tasks, at: 0 }]);
  t.deepEqual(r.last.outcome, {
    kind: 'failed',
    message: `service web cannot converge: task web.2 (task20000000) is failed: task: non-zero exit (2); its restart policy (condition none) starts no replacement`,
  });
});

test.serial('shoal: restarts used up (MaxAttempts without a window) cannot converge', (t) => {
  const web = replicated(1, 'web', 'nginx', 1, { TaskTemplate: { ContainerSpec: { Image: 'nginx' }, RestartPolicy: { MaxAttempts: 2 } } });
  const last = { ...task(web, { slot: 1, node: N1, state: 'failed', desired: 'shutdown' }), RestartHistory: { SpecVersion: web.SpecVersion, TotalRestarts: 2, RecentRestarts: [] } };
  const r = run([{ service: web, tasks: [last], at: 0 }]);
  t.is(r.last.outcome.kind, 'failed');
  t.regex(r.last.outcome.kind === 'failed' ? r.last.outcome.message : '', /allows 2 restarts and all were used$/);
});

test('the screen: new ids add a line, known ids are redrawn in place, a message starts a new group', (t) => {
  const screen = new ProgressScreen(200);
  const bytes = screen.applyAll([
    { kind: 'progress', id: 'overall progress', action: '0 out of 1 tasks' },
    { kind: 'progress', id: '1/1', action: 'running  ', current: 9, total: 9 },
    { kind: 'progress', id: 'overall progress', action: '1 out of 1 tasks' },
    { kind: 'message', id: 'rollback', text: 'rollback completed' },
    { kind: 'progress', id: 'verify', action: 'Service converged' },
  ]);
  const E = '\u001b[';
  t.is(
    bytes,
    [
      `\n${E}1A${E}2K\roverall progress: 0 out of 1 tasks \r${E}1B`,
      `\n${E}1A${E}2K\r1/1: running   ${BAR} \r${E}1B`,
      `${E}2A${E}2K\roverall progress: 1 out of 1 tasks \r${E}2B`,
      'rollback: rollback completed\n',
      `\n${E}1A${E}2K\rverify: Service converged \r${E}1B`,
    ].join(''),
  );
  t.is(screen.frame(), ['overall progress: 1 out of 1 tasks', `1/1: running   ${BAR}`, 'rollback: rollback completed', 'verify: Service converged', ''].join('\n'));
});

test('truncError keeps errors on one line of at most 75 characters', (t) => {
  t.is(truncError('a\nb'), 'a b');
  t.is(truncError('x'.repeat(80)), `${'x'.repeat(74)}…`);
});
