// What the worker does against a real runtime, run against the process
// runtime and the docker runtime by their test files. Each test has its own
// node id (so workers never see each other's tasks) and removes what it made.
import type { ExecutionContext, TestFn } from 'ava';
import { randomBytes } from 'node:crypto';
import { isShoalError } from '../../../../src/api/errors.js';
import type { Task } from '../../../../src/api/task.js';
import type { TaskRuntime } from '../../../../src/agent/runtime/types.js';
import { Worker } from '../../../../src/agent/worker/worker.js';
import { waitFor } from '../../runtime/helpers/wait-for.js';
import { FakeDispatcher } from './fake-dispatcher.js';
import { makeTask, type TaskOptions } from './tasks.js';

export interface WorkerFixture {
  readonly name: 'docker' | 'process';
  /** A runtime for this node id (a second call: the agent after a restart). */
  runtime(nodeId: string): TaskRuntime;
  /** SIGKILL the task's main process outside the runtime. */
  killBehindBack(runtime: TaskRuntime, taskId: string): Promise<void>;
  /** A writable working dir for tasks (docker: /tmp), or undefined for the runtime's default. */
  readonly workDir: string | undefined;
}

export interface Harness {
  readonly nodeId: string;
  readonly runtime: TaskRuntime;
  readonly worker: Worker;
  readonly dispatcher: FakeDispatcher;
  task(o?: Omit<TaskOptions, 'nodeId'>): Task;
}

export async function harness(t: ExecutionContext, fx: WorkerFixture, runtime?: TaskRuntime, nodeId = `wnode${randomBytes(4).toString('hex')}`, dispatcher = new FakeDispatcher()): Promise<Harness> {
  const rt = runtime ?? fx.runtime(nodeId);
  const logs: string[] = [];
  const worker = new Worker({ nodeId, runtime: rt, report: dispatcher.send, flushMs: 20, defaultGraceMs: 500, resyncMs: 2000, retryMinMs: 50, retryMaxMs: 500, log: (l) => logs.push(l) });
  await worker.start();
  dispatcher.attach(worker);
  t.teardown(async () => {
    await worker.stop(0);
    for (const task of await rt.list().catch(() => [])) await rt.remove(task.taskId).catch(() => undefined);
    await rt.close();
    if (logs.length > 0) t.log(`worker log (${fx.name}):\n  ${logs.slice(-20).join('\n  ')}`);
  });
  return {
    nodeId,
    runtime: rt,
    worker,
    dispatcher,
    task: (o = {}) => makeTask({ ...o, nodeId, container: { ...(fx.workDir !== undefined ? { Dir: fx.workDir } : {}), ...o.container } }),
  };
}

const sh = (script: string) => ({ Command: ['sh', '-c', script] });

async function runningPid(runtime: TaskRuntime, taskId: string): Promise<{ runtimeId: string; pid: number }> {
  const o = await runtime.inspect(taskId);
  if (o.observed.state !== 'running' && o.observed.state !== 'starting') throw new Error(`task ${taskId} is ${o.observed.state}`);
  return { runtimeId: o.runtimeId, pid: o.observed.pid };
}

async function isGone(runtime: TaskRuntime, taskId: string): Promise<boolean> {
  try {
    await runtime.inspect(taskId);
    return false;
  } catch (error) {
    if (isShoalError(error) && error.code === 'NotFound') return true;
    throw error;
  }
}

export function registerWorkerScenarios(test: TestFn, fixture: () => WorkerFixture): void {
  const name = (s: string): string => `${fixture().name}: ${s}`;

  test(name('lifecycle: accepted .. running, shutdown with the grace period, removed once unassigned'), async (t) => {
    const h = await harness(t, fixture());
    const task = h.task();
    h.dispatcher.add(task);
    const running = await h.dispatcher.untilState(task.ID, 'running');
    t.is(running.Status.Message, 'started');
    const { runtimeId, pid } = await runningPid(h.runtime, task.ID);
    t.is(running.Status.ContainerStatus?.ContainerID, runtimeId);
    t.is(running.Status.ContainerStatus?.PID, pid);
    const states = h.dispatcher.statesOf(task.ID);
    t.deepEqual([...states].sort(), [...new Set(states)].sort(), 'each state once');
    t.is(states.at(-1), 'running');
    h.dispatcher.desire(task.ID, 'shutdown');
    const down = await h.dispatcher.untilState(task.ID, 'shutdown');
    t.is(down.Status.Message, 'shutdown');
    t.is(typeof down.Status.ContainerStatus?.ExitCode, 'number');
    t.is((await h.runtime.inspect(task.ID)).observed.state, 'exited', 'the stopped container stays while assigned');
    h.dispatcher.drop(task.ID);
    await waitFor('the container to be removed', async () => ((await isGone(h.runtime, task.ID)) ? true : undefined));
    await h.worker.settled();
    t.false(h.worker.taskIds().includes(task.ID), 'forgotten');
  });

  test(name('exit codes: 0 completes ("finished"), 3 fails with "task: non-zero exit (3)"'), async (t) => {
    const h = await harness(t, fixture());
    const ok = h.task({ container: sh('echo done') });
    const bad = h.task({ container: sh('exit 3') });
    h.dispatcher.add(ok, bad);
    const done = await h.dispatcher.untilState(ok.ID, 'complete');
    t.like(done.Status, { Message: 'finished', ContainerStatus: { ExitCode: 0 } });
    const failed = await h.dispatcher.untilState(bad.ID, 'failed');
    t.like(failed.Status, { Err: 'task: non-zero exit (3)', ContainerStatus: { ExitCode: 3 } });
  });

  test(name("a task killed behind the agent's back fails with exit code 137"), async (t) => {
    const h = await harness(t, fixture());
    const task = h.task();
    h.dispatcher.add(task);
    await h.dispatcher.untilState(task.ID, 'running');
    await fixture().killBehindBack(h.runtime, task.ID);
    const failed = await h.dispatcher.untilState(task.ID, 'failed');
    t.like(failed.Status, { Message: 'started', Err: 'task: non-zero exit (137)', ContainerStatus: { ExitCode: 137 } });
  });

  test(name('health: starting until the check passes, then running; a failing check -> failed "unhealthy container"'), async (t) => {
    const h = await harness(t, fixture());
    const ms = 1_000_000;
    const healthy = h.task({
      container: { ...sh('sleep 1; echo > ready; exec sleep 1000'), Healthcheck: { Test: ['CMD-SHELL', 'test -f ready'], Interval: 200 * ms, Timeout: 2000 * ms, Retries: 2, StartPeriod: 30_000 * ms } },
    });
    const sick = h.task({ container: { ...sh('exec sleep 1000'), Healthcheck: { Test: ['CMD', 'false'], Interval: 100 * ms, Timeout: 1000 * ms, Retries: 2 } } });
    h.dispatcher.add(healthy, sick);
    const starting = await h.dispatcher.untilState(healthy.ID, 'starting');
    const running = await h.dispatcher.untilState(healthy.ID, 'running');
    // The check cannot pass before the task made its file, a second after it started.
    const waited = Date.parse(running.Status.Timestamp) - Date.parse(starting.Status.Timestamp);
    t.true(waited >= 900, `running ${waited} ms after starting`);
    const failed = await h.dispatcher.untilState(sick.ID, 'failed');
    t.regex(failed.Status.Err ?? '', /^task: non-zero exit \(\d+\): unhealthy container$/);
    t.false(h.dispatcher.statesOf(sick.ID).includes('running'), 'never counted as running');
  });

  test(name('agent restart: running tasks that are still assigned are adopted (same container, same pid); others removed'), async (t) => {
    const fx = fixture();
    const first = await harness(t, fx);
    const keep = first.task();
    const stale = first.task({ slot: 2 });
    first.dispatcher.add(keep, stale);
    await first.dispatcher.untilState(keep.ID, 'running');
    await first.dispatcher.untilState(stale.ID, 'running');
    const before = await runningPid(first.runtime, keep.ID);
    await first.worker.stop();
    await first.runtime.close();
    // While the agent was away, `stale` went to another node (the store no longer sends it here).
    first.dispatcher.tasks.delete(stale.ID);
    const sent = first.dispatcher.updates.length;
    const second = await harness(t, fx, fx.runtime(first.nodeId), first.nodeId, first.dispatcher);
    await waitFor('the unassigned task found at startup to be removed', async () => ((await isGone(second.runtime, stale.ID)) ? true : undefined));
    await second.worker.settled();
    t.deepEqual(await runningPid(second.runtime, keep.ID), before, 'adopted, not restarted');
    t.is(second.dispatcher.get(keep.ID).Status.State, 'running');
    t.deepEqual(second.dispatcher.updates.slice(sent).filter((u) => u.TaskID === keep.ID), [], 'nothing to report for an adopted task');
  });

  test(name('desired ready prepares without starting; running then starts it'), async (t) => {
    const h = await harness(t, fixture());
    const task = h.task({ desired: 'ready' });
    h.dispatcher.add(task);
    await h.dispatcher.untilState(task.ID, 'ready');
    await h.worker.settled();
    t.is((await h.runtime.inspect(task.ID)).observed.state, 'created');
    t.is(h.dispatcher.get(task.ID).Status.Message, 'prepared');
    h.dispatcher.desire(task.ID, 'running');
    await h.dispatcher.untilState(task.ID, 'running');
    t.pass();
  });

  test(name('failures end as task statuses and the worker keeps serving the other tasks'), async (t) => {
    const h = await harness(t, fixture());
    const good = h.task();
    const badMount = h.task({ slot: 2, container: { Mounts: [{ Type: 'bind', Source: `/nonexistent-${randomBytes(3).toString('hex')}`, Target: '/data' }] } });
    const badCommand = h.task({ slot: 3, container: { Command: ['/nonexistent/command'] } });
    h.dispatcher.add(badMount, badCommand, good);
    const rejected = await h.dispatcher.untilState(badMount.ID, 'rejected');
    t.is(rejected.Status.Message, 'preparing');
    t.regex(rejected.Status.Err ?? '', /bind source path does not exist/);
    const failed = await h.dispatcher.until(badCommand.ID, 'to fail', (x) => x.Status.State === 'failed' || x.Status.State === 'rejected');
    t.is(failed.Status.State, 'failed');
    t.regex(failed.Status.Err ?? '', /nonexistent\/command|no such file|not found/i);
    await h.dispatcher.untilState(good.ID, 'running');
  });

  test(name('leaving the swarm: every task is stopped, reported shut down and removed, though assignments keep arriving'), async (t) => {
    const h = await harness(t, fixture());
    const a = h.task();
    const b = h.task({ slot: 2 });
    h.dispatcher.add(a, b);
    await h.dispatcher.untilState(a.ID, 'running');
    await h.dispatcher.untilState(b.ID, 'running');
    // The fake dispatcher sends the (unchanged) assignment set again after every report, as the real one does.
    t.true(await h.worker.removeAll(20_000));
    t.true(await isGone(h.runtime, a.ID));
    t.true(await isGone(h.runtime, b.ID));
    t.deepEqual(h.worker.taskIds(), []);
    await h.dispatcher.untilState(a.ID, 'shutdown');
    await h.dispatcher.untilState(b.ID, 'shutdown');
  });

  test(name('reports are kept while the session reconnects, and the latest is sent'), async (t) => {
    const h = await harness(t, fixture());
    h.dispatcher.failing = true;
    const task = h.task();
    h.dispatcher.add(task);
    // The worker runs the task all the same.
    await waitFor('the task to run', async () => ((await h.runtime.inspect(task.ID).catch(() => undefined))?.observed.state === 'running' ? true : undefined));
    await h.worker.settled();
    t.true(h.worker.reporter.backlog > 0, 'reports wait');
    t.is(h.dispatcher.updates.length, 0);
    h.dispatcher.failing = false;
    const running = await h.dispatcher.untilState(task.ID, 'running');
    t.is(running.Status.Message, 'started');
  });
}
