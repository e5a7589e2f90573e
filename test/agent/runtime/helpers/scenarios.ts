// The scenarios every runtime passes, run against the docker runtime (real
// dockerd) and the process runtime by their test files.
import type { TestFn } from 'ava';
import { randomBytes } from 'node:crypto';
import { isShoalError } from '../../../../src/api/errors.js';
import type { ObservedTask, RuntimeTaskSpec, TaskRuntime } from '../../../../src/agent/runtime/types.js';
import { collectWithin, EventRecorder, waitFor } from './wait-for.js';

export interface RuntimeFixture {
  readonly name: 'docker' | 'process';
  readonly nodeId: string;
  readonly runtime: TaskRuntime;
  /** Subscribed (and ready) before any test acts. */
  readonly recorder: EventRecorder;
  /** A writable working dir for tasks (docker: /tmp), or undefined for the runtime's default. */
  readonly workDir: string | undefined;
  /** Where a task finds a secret / config file with this target. */
  secretPath(target: string): string;
  configPath(target: string): string;
  /** A second runtime instance on the same node and state: the agent after a restart. */
  restartedRuntime(): TaskRuntime;
  /** Kill the task's main process with SIGKILL outside the runtime. */
  killBehindBack(task: ObservedTask): Promise<void>;
  /** The task's environment as the engine / the record holds it. */
  envOf(taskId: string): Promise<string[]>;
  /** Remember a task for cleanup (by id) after the run. */
  track(taskId: string): void;
}

let counter = 0;
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}${randomBytes(5).toString('hex')}${counter}`;
}

export function taskSpec(fixture: RuntimeFixture, overrides: Partial<RuntimeTaskSpec> = {}): RuntimeTaskSpec {
  const taskId = overrides.taskId ?? uniqueId('task');
  fixture.track(taskId);
  return {
    taskId,
    serviceId: 'svc0001',
    serviceName: 'rtest',
    slot: 1,
    nodeId: fixture.nodeId,
    image: 'local/busybox:1',
    command: ['sleep', '1000'],
    env: ['GREETING=hello'],
    labels: { 'test.label': 'yes' },
    mounts: [],
    resources: {},
    ports: [],
    stopGracePeriodMs: 500,
    secrets: [],
    configs: [],
    ...(fixture.workDir === undefined ? {} : { dir: fixture.workDir }),
    ...overrides,
  };
}

const sh = (script: string): { command: string[] } => ({ command: ['sh', '-c', script] });

/** Follow the task's log until `line` appears (the task says it is ready). */
export async function waitForLogLine(runtime: TaskRuntime, taskId: string, line: string, timeoutMs = 15_000): Promise<void> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    for await (const entry of runtime.logs(taskId, { follow: true, signal: controller.signal })) {
      if (entry.line === line) return;
    }
    throw new Error(`${taskId}: no log line ${JSON.stringify(line)} within ${timeoutMs} ms`);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

async function prepareAndStart(fixture: RuntimeFixture, spec: RuntimeTaskSpec): Promise<ObservedTask> {
  await fixture.runtime.prepare(spec);
  await fixture.runtime.start(spec.taskId);
  return fixture.runtime.inspect(spec.taskId);
}

export function registerScenarios(test: TestFn, fixture: () => RuntimeFixture): void {
  test('lifecycle: prepare -> created, start -> running, stop -> exited, remove -> gone', async (t) => {
    const fx = fixture();
    const spec = taskSpec(fx);
    const prepared = await fx.runtime.prepare(spec);
    t.is(prepared.observed.state, 'created');
    t.like(prepared, { taskId: spec.taskId, serviceName: 'rtest', nodeId: fx.nodeId, image: 'local/busybox:1' });
    await fx.runtime.start(spec.taskId);
    await fx.recorder.waitFor('started', (e) => e.taskId === spec.taskId && e.kind === 'started');
    const running = await fx.runtime.inspect(spec.taskId);
    t.is(running.observed.state, 'running');
    t.true(running.observed.state === 'running' && running.observed.pid > 0);
    t.true((await fx.runtime.list()).some((task) => task.taskId === spec.taskId));
    await fx.runtime.stop(spec.taskId, 500);
    t.is((await fx.runtime.inspect(spec.taskId)).observed.state, 'exited');
    await fx.recorder.waitFor('exited', (e) => e.taskId === spec.taskId && e.kind === 'exited');
    await fx.runtime.remove(spec.taskId);
    await fx.recorder.waitFor('removed', (e) => e.taskId === spec.taskId && e.kind === 'removed');
    const error = await t.throwsAsync(fx.runtime.inspect(spec.taskId));
    t.true(isShoalError(error) && error.code === 'NotFound');
    await t.notThrowsAsync(fx.runtime.remove(spec.taskId), 'removing twice is not an error');
  });

  test('an exit code is reported: exit 3 -> exited 3', async (t) => {
    const fx = fixture();
    const spec = taskSpec(fx, sh('exit 3'));
    await prepareAndStart(fx, spec);
    const event = await fx.recorder.waitFor('exit 3', (e) => e.taskId === spec.taskId && e.kind === 'exited');
    t.deepEqual(event, { taskId: spec.taskId, kind: 'exited', exitCode: 3 });
    t.like((await fx.runtime.inspect(spec.taskId)).observed, { state: 'exited', exitCode: 3 });
  });

  test('a task killed behind the runtime\'s back is reported exited (137)', async (t) => {
    const fx = fixture();
    const spec = taskSpec(fx);
    const task = await prepareAndStart(fx, spec);
    await fx.killBehindBack(task);
    const event = await fx.recorder.waitFor('exit', (e) => e.taskId === spec.taskId && e.kind === 'exited');
    t.deepEqual(event, { taskId: spec.taskId, kind: 'exited', exitCode: 137 });
  });

  test('stop delivers the stop signal: a task that handles it exits its own way', async (t) => {
    const fx = fixture();
    const spec = taskSpec(fx, { ...sh('trap "exit 7" TERM; echo ready; while true; do sleep 0.1; done'), stopGracePeriodMs: 10_000 });
    await prepareAndStart(fx, spec);
    await waitForLogLine(fx.runtime, spec.taskId, 'ready');
    await fx.runtime.stop(spec.taskId, 10_000);
    t.like((await fx.runtime.inspect(spec.taskId)).observed, { state: 'exited', exitCode: 7 });
  });

  test('stop kills (137) a task that ignores the stop signal, after the grace period', async (t) => {
    const fx = fixture();
    const spec = taskSpec(fx, sh('trap "" TERM; echo ready; while true; do sleep 0.1; done'));
    await prepareAndStart(fx, spec);
    await waitForLogLine(fx.runtime, spec.taskId, 'ready');
    const before = Date.now();
    await fx.runtime.stop(spec.taskId, 300);
    t.true(Date.now() - before >= 250, 'waited for the grace period');
    t.like((await fx.runtime.inspect(spec.taskId)).observed, { state: 'exited', exitCode: 137 });
  });

  test('health check: starting until the check passes, then healthy', async (t) => {
    const fx = fixture();
    const spec = taskSpec(fx, {
      ...sh('sleep 1; echo > ready; exec sleep 1000'),
      healthcheck: { test: ['CMD-SHELL', 'test -f ready'], intervalMs: 200, timeoutMs: 2000, retries: 2, startPeriodMs: 30_000 },
    });
    const task = await prepareAndStart(fx, spec);
    t.like(task.observed, { state: 'starting', health: 'starting' });
    await fx.recorder.waitFor('healthy', (e) => e.taskId === spec.taskId && e.kind === 'health' && e.status === 'healthy');
    t.like((await fx.runtime.inspect(spec.taskId)).observed, { state: 'running', health: 'healthy' });
  });

  test('health check: failing probes past the retries make the task unhealthy (reported, still running)', async (t) => {
    const fx = fixture();
    const spec = taskSpec(fx, {
      healthcheck: { test: ['CMD', 'false'], intervalMs: 200, timeoutMs: 2000, retries: 2, startPeriodMs: 0 },
    });
    await prepareAndStart(fx, spec);
    await fx.recorder.waitFor('unhealthy', (e) => e.taskId === spec.taskId && e.kind === 'health' && e.status === 'unhealthy');
    t.like((await fx.runtime.inspect(spec.taskId)).observed, { state: 'running', health: 'unhealthy' });
  });

  test('logs: both streams with times; tail gives the last lines', async (t) => {
    const fx = fixture();
    const spec = taskSpec(fx, sh('echo one; echo two >&2; echo three; echo four'));
    await prepareAndStart(fx, spec);
    await fx.recorder.waitFor('exit', (e) => e.taskId === spec.taskId && e.kind === 'exited');
    const all = await collectWithin(fx.runtime.logs(spec.taskId), 10_000, 'logs');
    // The order within a stream is kept; across streams it is the capture's.
    t.deepEqual(all.filter((e) => e.stream === 'stdout').map((e) => e.line), ['one', 'three', 'four']);
    t.deepEqual(all.filter((e) => e.stream === 'stderr').map((e) => e.line), ['two']);
    t.true(all.every((e) => Math.abs(e.time.getTime() - Date.now()) < 60_000));
    const tail = await collectWithin(fx.runtime.logs(spec.taskId, { tail: 2 }), 10_000, 'tail');
    t.deepEqual(tail.map((e) => e.line), all.slice(-2).map((e) => e.line));
    t.deepEqual(await collectWithin(fx.runtime.logs(spec.taskId, { tail: 0 }), 10_000, 'tail 0'), []);
  });

  test('logs: follow streams new lines and ends when the task exits', async (t) => {
    const fx = fixture();
    const spec = taskSpec(fx, sh('echo first; sleep 0.5; echo second'));
    await prepareAndStart(fx, spec);
    const followed = await collectWithin(fx.runtime.logs(spec.taskId, { follow: true }), 15_000, 'follow');
    t.deepEqual(followed.map((e) => e.line), ['first', 'second']);
  });

  test('secrets and configs arrive as files, never in the env', async (t) => {
    const fx = fixture();
    const secret = `s3cr3t-${uniqueId('')}`;
    const spec = taskSpec(fx, {
      ...sh(`cat ${fx.secretPath('db_password')}; echo; cat ${fx.configPath('/etc/app.conf')}`),
      secrets: [{ name: 'db', target: 'db_password', data: Buffer.from(secret), mode: 0o444 }],
      configs: [{ name: 'app', target: '/etc/app.conf', data: Buffer.from('answer=42'), mode: 0o444 }],
    });
    await prepareAndStart(fx, spec);
    await fx.recorder.waitFor('exit', (e) => e.taskId === spec.taskId && e.kind === 'exited');
    const lines = (await collectWithin(fx.runtime.logs(spec.taskId), 10_000, 'logs')).map((e) => e.line);
    t.deepEqual(lines, [secret, 'answer=42']);
    const env = await fx.envOf(spec.taskId);
    t.true(env.includes('GREETING=hello'));
    t.false(env.some((entry) => entry.includes(secret)));
  });

  test('a bind mount whose source does not exist fails prepare clearly', async (t) => {
    const fx = fixture();
    const source = `/nonexistent-${uniqueId('')}`;
    const spec = taskSpec(fx, { mounts: [{ type: 'bind', source, target: '/data' }] });
    const error = await t.throwsAsync(fx.runtime.prepare(spec));
    t.true(isShoalError(error) && error.code === 'InvalidArgument', String(error));
    t.regex(error?.message ?? '', /bind source path does not exist/);
    t.true(error?.message.includes(source));
  });

  // Serial: a second runtime on the same state lists (and adopts) every task there.
  test.serial('a new runtime instance adopts running tasks without restarting them', async (t) => {
    const fx = fixture();
    const spec = taskSpec(fx);
    const before = await prepareAndStart(fx, spec);
    const restarted = fx.restartedRuntime();
    const recorder = new EventRecorder((signal) => restarted.events(signal));
    try {
      await recorder.ready;
      const adopted = (await restarted.list()).find((task) => task.taskId === spec.taskId);
      t.truthy(adopted);
      t.is(adopted?.runtimeId, before.runtimeId);
      t.deepEqual(adopted?.observed, before.observed, 'same pid, still running');
      t.like(adopted, { serviceId: spec.serviceId, serviceName: spec.serviceName, nodeId: fx.nodeId });
      await fx.killBehindBack(before);
      await recorder.waitFor('the adopted task exits', (e) => e.taskId === spec.taskId && e.kind === 'exited');
    } finally {
      await recorder.stop();
      await restarted.close();
    }
  });

  test('prepare is idempotent: the same task is not created twice', async (t) => {
    const fx = fixture();
    const spec = taskSpec(fx);
    const first = await fx.runtime.prepare(spec);
    const second = await fx.runtime.prepare(spec);
    t.is(second.runtimeId, first.runtimeId);
    const ours = (await fx.runtime.list()).filter((task) => task.taskId === spec.taskId);
    t.is(ours.length, 1);
  });
}

/** Wait until the runtime sees the task in `state`. */
export function waitForState(runtime: TaskRuntime, taskId: string, state: ObservedTask['observed']['state']): Promise<ObservedTask> {
  return waitFor(`${taskId} ${state}`, async () => {
    const task = await runtime.inspect(taskId);
    return task.observed.state === state ? task : undefined;
  });
}
