// The process runtime: the shared scenarios, plus what only it has
// (supervisors that outlive the agent, process groups, task dirs).
import anyTest, { type TestFn } from 'ava';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isShoalError } from '../../../src/api/errors.js';
import { ProcessRuntime } from '../../../src/agent/runtime/process/process-runtime.js';
import { readProcStat } from '../../../src/agent/runtime/process/proc-stat.js';
import { readTaskRecord, taskDir } from '../../../src/agent/runtime/process/task-record.js';
import { registerScenarios, taskSpec, uniqueId, waitForLogLine, type RuntimeFixture } from './helpers/scenarios.js';
import { collectWithin, EventRecorder, waitFor } from './helpers/wait-for.js';

const test = anyTest as TestFn;
const nodeId = uniqueId('node');
const tracked = new Set<string>();
let stateDir = '';
let fixture: RuntimeFixture | undefined;

function fx(): RuntimeFixture {
  if (fixture === undefined) throw new Error('no fixture');
  return fixture;
}

const newRuntime = (): ProcessRuntime => new ProcessRuntime({ nodeId, stateDir, livenessPollMs: 200 });

test.before(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'shoal-process-rt-'));
  const runtime = newRuntime();
  const recorder = new EventRecorder((signal) => runtime.events(signal));
  await recorder.ready;
  fixture = {
    name: 'process',
    nodeId,
    runtime,
    recorder,
    workDir: undefined,
    secretPath: (target) => `secrets/${target}`,
    configPath: (target) => `configs/${target.replace(/^\//, '')}`,
    restartedRuntime: newRuntime,
    killBehindBack: async (task) => {
      if (task.observed.state !== 'running' && task.observed.state !== 'starting') throw new Error('not running');
      process.kill(task.observed.pid, 'SIGKILL');
    },
    envOf: async (taskId) => {
      const record = await readTaskRecord(taskDir(stateDir, taskId));
      return Object.entries(record?.env ?? {}).map(([key, value]) => `${key}=${value}`);
    },
    track: (taskId) => tracked.add(taskId),
  };
});

test.after.always(async () => {
  const f = fixture;
  if (f !== undefined) {
    await f.recorder.stop();
    // remove() kills each task's process group (by its recorded pid) and deletes its dir.
    for (const taskId of tracked) await f.runtime.remove(taskId).catch(() => {});
    await f.runtime.close();
  }
  await rm(stateDir, { recursive: true, force: true });
});

registerScenarios(test, fx);

test('process: the task runs in its own process group, led by its supervisor', async (t) => {
  const spec = taskSpec(fx());
  await fx().runtime.prepare(spec);
  await fx().runtime.start(spec.taskId);
  const task = await fx().runtime.inspect(spec.taskId);
  t.is(task.observed.state, 'running');
  const pid = task.observed.state === 'running' ? task.observed.pid : 0;
  const main = await readProcStat(pid);
  const supervisorPid = Number(task.runtimeId.replace('pid:', ''));
  t.is(main?.pgrp, supervisorPid);
  t.not(main?.pgrp, (await readProcStat(process.pid))?.pgrp);
});

test.serial('process: the exit is recorded while no agent watches, and a new runtime reads it and the logs', async (t) => {
  const first = newRuntime();
  const spec = taskSpec(fx(), { command: ['sh', '-c', 'echo waiting; while ! test -f go; do sleep 0.05; done; echo done; exit 5'] });
  await first.prepare(spec);
  await first.start(spec.taskId);
  await first.close(); // the agent is gone
  const dir = taskDir(stateDir, spec.taskId);
  await writeFile(join(dir, 'go'), '');
  await waitFor('exit.json', async () => (await stat(join(dir, 'exit.json')).catch(() => undefined)) ?? undefined);
  const second = newRuntime();
  try {
    const found = (await second.list()).find((task) => task.taskId === spec.taskId);
    t.like(found?.observed, { state: 'exited', exitCode: 5 });
    const lines = (await collectWithin(second.logs(spec.taskId), 10_000, 'logs')).map((e) => e.line);
    t.deepEqual(lines, ['waiting', 'done']);
  } finally {
    await second.close();
  }
});

test('process: the whole group killed behind the runtime\'s back is an exit 137', async (t) => {
  const spec = taskSpec(fx());
  await fx().runtime.prepare(spec);
  await fx().runtime.start(spec.taskId);
  const task = await fx().runtime.inspect(spec.taskId);
  process.kill(-Number(task.runtimeId.replace('pid:', '')), 'SIGKILL');
  const event = await fx().recorder.waitFor('exit', (e) => e.taskId === spec.taskId && e.kind === 'exited');
  t.deepEqual(event, { taskId: spec.taskId, kind: 'exited', exitCode: 137 });
  const observed = (await fx().runtime.inspect(spec.taskId)).observed;
  t.like(observed, { state: 'exited', exitCode: 137 });
  t.regex(observed.state === 'exited' ? (observed.error ?? '') : '', /supervisor was killed by SIGKILL/);
});

test('process: a command that does not exist fails start clearly (127)', async (t) => {
  const spec = taskSpec(fx(), { command: ['no-such-command-shoal'] });
  await fx().runtime.prepare(spec);
  const error = await t.throwsAsync(fx().runtime.start(spec.taskId));
  t.true(isShoalError(error) && error.code === 'InvalidArgument');
  t.regex(error?.message ?? '', /executable file not found/);
  const observed = await waitFor('exited', async () => {
    const task = await fx().runtime.inspect(spec.taskId);
    return task.observed.state === 'exited' ? task.observed : undefined;
  });
  t.like(observed, { state: 'exited', exitCode: 127 });
});

test('process: a spec without a command is refused at prepare', async (t) => {
  const spec = taskSpec(fx(), { command: [], args: [] });
  const error = await t.throwsAsync(fx().runtime.prepare(spec));
  t.true(isShoalError(error) && error.code === 'InvalidArgument');
  t.regex(error?.message ?? '', /needs a command/);
});

test('process: a single command string runs through /bin/sh -c', async (t) => {
  const spec = taskSpec(fx(), { command: ['echo hi && echo there'] });
  await fx().runtime.prepare(spec);
  await fx().runtime.start(spec.taskId);
  await fx().recorder.waitFor('exit', (e) => e.taskId === spec.taskId && e.kind === 'exited');
  const lines = (await collectWithin(fx().runtime.logs(spec.taskId), 10_000, 'logs')).map((e) => e.line);
  t.deepEqual(lines, ['hi', 'there']);
});

test('process: secret files are 0400 in the task dir; the record holds no secret', async (t) => {
  const secret = `pw-${uniqueId('')}`;
  const spec = taskSpec(fx(), { secrets: [{ name: 'pw', target: 'pw', data: Buffer.from(secret), mode: 0o444 }] });
  await fx().runtime.prepare(spec);
  const dir = taskDir(stateDir, spec.taskId);
  t.is((await stat(join(dir, 'secrets', 'pw'))).mode & 0o777, 0o400);
  t.is((await stat(join(dir, 'secrets'))).mode & 0o777, 0o700);
  t.is(await readFile(join(dir, 'secrets', 'pw'), 'utf8'), secret);
  t.false((await readFile(join(dir, 'task.json'), 'utf8')).includes(secret));
});

test.serial('process: an adopted task is stopped by the new runtime, with its stop signal', async (t) => {
  const spec = taskSpec(fx(), { command: ['sh', '-c', 'trap "exit 9" TERM; echo ready; while true; do sleep 0.1; done'] });
  await fx().runtime.prepare(spec);
  await fx().runtime.start(spec.taskId);
  await waitForLogLine(fx().runtime, spec.taskId, 'ready');
  const second = newRuntime();
  const recorder = new EventRecorder((signal) => second.events(signal));
  try {
    await second.list();
    await second.stop(spec.taskId, 10_000);
    t.like((await second.inspect(spec.taskId)).observed, { state: 'exited', exitCode: 9 });
    await recorder.waitFor('exit seen by the new runtime', (e) => e.taskId === spec.taskId && e.kind === 'exited');
  } finally {
    await recorder.stop();
    await second.close();
  }
});

test.serial('process: an adopted task keeps its health status', async (t) => {
  const spec = taskSpec(fx(), {
    healthcheck: { test: ['CMD', 'true'], intervalMs: 100, timeoutMs: 2000, retries: 1, startPeriodMs: 0 },
  });
  await fx().runtime.prepare(spec);
  await fx().runtime.start(spec.taskId);
  await fx().recorder.waitFor('healthy', (e) => e.taskId === spec.taskId && e.kind === 'health' && e.status === 'healthy');
  const second = newRuntime();
  try {
    const adopted = (await second.list()).find((task) => task.taskId === spec.taskId);
    t.like(adopted?.observed, { state: 'running', health: 'healthy' });
  } finally {
    await second.close();
  }
});
