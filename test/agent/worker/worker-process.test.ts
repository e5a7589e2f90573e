// The worker against the real process runtime (supervised child processes).
import anyTest, { type TestFn } from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProcessRuntime } from '../../../src/agent/runtime/process/process-runtime.js';
import { registerWorkerScenarios, type WorkerFixture } from './helpers/worker-scenarios.js';

const test = anyTest as TestFn;
let stateDir = '';

const fixture: WorkerFixture = {
  name: 'process',
  runtime: (nodeId) => new ProcessRuntime({ nodeId, stateDir, livenessPollMs: 200 }),
  killBehindBack: async (runtime, taskId) => {
    const task = await runtime.inspect(taskId);
    if (task.observed.state !== 'running' && task.observed.state !== 'starting') throw new Error(`task ${taskId} is not running`);
    process.kill(task.observed.pid, 'SIGKILL');
  },
  workDir: undefined,
};

test.before(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'shoal-worker-process-'));
});

test.after.always(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

registerWorkerScenarios(test, () => fixture);
