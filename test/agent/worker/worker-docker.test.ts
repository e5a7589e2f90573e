// The worker against the real docker runtime (`bash .ci/docker-up` starts
// dockerd and builds local/busybox:1). Each test's containers carry a node id
// unique to it; anything left under those ids is removed by id at the end.
import anyTest, { type TestFn } from 'ava';
import Docker from 'dockerode';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerRuntime } from '../../../src/agent/runtime/docker/docker-runtime.js';
import { DockerodeClient } from '../../../src/agent/runtime/docker/dockerode-client.js';
import { LABEL_NODE_ID } from '../../../src/agent/runtime/labels.js';
import { harness, registerWorkerScenarios, type WorkerFixture } from './helpers/worker-scenarios.js';

const test = anyTest as TestFn;
const docker = new Docker({ socketPath: '/var/run/docker.sock' });
const nodeIds = new Set<string>();
let stateDir = '';

const fixture: WorkerFixture = {
  name: 'docker',
  runtime: (nodeId) => {
    nodeIds.add(nodeId);
    return new DockerRuntime({ nodeId, stateDir, secretsDir: join('/dev/shm/shoal-secrets-test', nodeId), client: new DockerodeClient(docker) });
  },
  killBehindBack: async (runtime, taskId) => {
    const task = await runtime.inspect(taskId);
    await docker.getContainer(task.runtimeId).kill({ signal: 'SIGKILL' });
  },
  workDir: '/tmp',
};

test.before(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'shoal-worker-docker-'));
});

test.after.always(async () => {
  for (const nodeId of nodeIds) {
    const left = await docker.listContainers({ all: true, filters: { label: [`${LABEL_NODE_ID}=${nodeId}`] } });
    for (const c of left) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
    await rm(join('/dev/shm/shoal-secrets-test', nodeId), { recursive: true, force: true });
  }
  await rm(stateDir, { recursive: true, force: true });
});

registerWorkerScenarios(test, () => fixture);

test('docker: a missing image that cannot be pulled rejects the task with "No such image"', async (t) => {
  const h = await harness(t, fixture);
  const task = h.task({ container: { Image: 'local/nonexistent:9' } });
  h.dispatcher.add(task);
  const rejected = await h.dispatcher.untilState(task.ID, 'rejected', 60_000);
  t.is(rejected.Status.Message, 'preparing');
  t.regex(rejected.Status.Err ?? '', /^No such image: local\/nonexistent:9/);
});

test('docker: a container removed behind the agent\'s back fails the task', async (t) => {
  const h = await harness(t, fixture);
  const task = h.task();
  h.dispatcher.add(task);
  const running = await h.dispatcher.untilState(task.ID, 'running');
  await docker.getContainer(running.Status.ContainerStatus?.ContainerID ?? '').remove({ force: true });
  const failed = await h.dispatcher.untilState(task.ID, 'failed');
  t.regex(failed.Status.Err ?? '', /non-zero exit \(137\)|removed behind the agent's back/);
});
