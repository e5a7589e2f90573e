// The docker runtime against the real dockerd (`bash .ci/docker-up` starts it
// and builds local/busybox:1). Every container is created under a node id
// unique to this run and removed by id afterwards.
import anyTest, { type TestFn } from 'ava';
import Docker from 'dockerode';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isShoalError } from '../../../src/api/errors.js';
import { DockerRuntime } from '../../../src/agent/runtime/docker/docker-runtime.js';
import { DockerodeClient } from '../../../src/agent/runtime/docker/dockerode-client.js';
import { LABEL_NODE_ID } from '../../../src/agent/runtime/labels.js';
import { FlakyClient } from './helpers/flaky-client.js';
import { registerScenarios, taskSpec, uniqueId, type RuntimeFixture } from './helpers/scenarios.js';
import { collectWithin, EventRecorder, waitFor } from './helpers/wait-for.js';

const test = anyTest as TestFn;
const docker = new Docker({ socketPath: '/var/run/docker.sock' });
const nodeId = uniqueId('node');
const secretsDir = join('/dev/shm/shoal-secrets-test', nodeId);
const tracked = new Set<string>();
const volumes = new Set<string>();
let stateDir = '';
let fixture: RuntimeFixture | undefined;

function fx(): RuntimeFixture {
  if (fixture === undefined) throw new Error('no fixture');
  return fixture;
}

test.before(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'shoal-docker-rt-'));
  const runtime = new DockerRuntime({ nodeId, stateDir, secretsDir, client: new DockerodeClient(docker) });
  const recorder = new EventRecorder((signal) => runtime.events(signal));
  await recorder.ready;
  fixture = {
    name: 'docker',
    nodeId,
    runtime,
    recorder,
    workDir: '/tmp',
    secretPath: (target) => `/run/secrets/${target}`,
    configPath: (target) => target,
    restartedRuntime: () => new DockerRuntime({ nodeId, stateDir, secretsDir }),
    killBehindBack: async (task) => {
      await docker.getContainer(task.runtimeId).kill({ signal: 'SIGKILL' });
    },
    envOf: async (taskId) => {
      const task = await runtime.inspect(taskId);
      const info: unknown = await docker.getContainer(task.runtimeId).inspect();
      return (info as { Config: { Env: string[] } }).Config.Env;
    },
    track: (taskId) => tracked.add(taskId),
  };
});

test.after.always(async () => {
  const f = fixture;
  if (f !== undefined) {
    await f.recorder.stop();
    for (const taskId of tracked) await f.runtime.remove(taskId).catch(() => {});
    // Anything left under this run's unique node label, by id.
    const left = await docker.listContainers({ all: true, filters: { label: [`${LABEL_NODE_ID}=${nodeId}`] } });
    for (const container of left) await docker.getContainer(container.Id).remove({ force: true }).catch(() => {});
    await f.runtime.close();
  }
  for (const name of volumes) await docker.getVolume(name).remove().catch(() => {});
  await rm(stateDir, { recursive: true, force: true });
  await rm(secretsDir, { recursive: true, force: true });
});

registerScenarios(test, fx);

test('docker: a missing image that cannot be pulled fails prepare with "No such image"', async (t) => {
  const counting = new FlakyClient(new DockerodeClient(docker));
  const runtime = new DockerRuntime({ nodeId, stateDir, secretsDir, client: counting });
  const spec = taskSpec(fx(), { image: 'local/x:9' });
  const error = await t.throwsAsync(runtime.prepare(spec));
  t.true(isShoalError(error) && error.code === 'NotFound');
  t.regex(error?.message ?? '', /^No such image: local\/x:9 \(pull failed: .+\)$/);
  t.is(counting.pulls, 1);
});

test('docker: an image that is present is never pulled', async (t) => {
  const counting = new FlakyClient(new DockerodeClient(docker));
  const runtime = new DockerRuntime({ nodeId, stateDir, secretsDir, client: counting });
  await runtime.prepare(taskSpec(fx()));
  t.is(counting.pulls, 0);
});

test('docker: container name, labels, Entrypoint/Cmd as service tasks set them', async (t) => {
  const spec = taskSpec(fx(), { command: undefined, args: ['sleep', '1000'], slot: 3 });
  const task = await fx().runtime.prepare(spec);
  const info = (await docker.getContainer(task.runtimeId).inspect()) as unknown as {
    Name: string;
    Config: { Labels: Record<string, string>; Entrypoint: string[] | null; Cmd: string[] };
  };
  t.is(info.Name, `/rtest.3.${spec.taskId}`);
  t.like(info.Config.Labels, { 'com.shoal.task.id': spec.taskId, 'com.shoal.node.id': nodeId, 'test.label': 'yes' });
  t.is(info.Config.Entrypoint, null);
  t.deepEqual(info.Config.Cmd, ['sleep', '1000']);
});

test('docker: secrets are on a tmpfs at /run/secrets, read-only, and not in the container config', async (t) => {
  const secret = `pw-${uniqueId('')}`;
  const spec = taskSpec(fx(), {
    command: ['sh', '-c', 'grep " /run/secrets " /proc/mounts; cat /run/secrets/pw'],
    secrets: [{ name: 'pw', target: 'pw', data: Buffer.from(secret), mode: 0o400 }],
  });
  await fx().runtime.prepare(spec);
  await fx().runtime.start(spec.taskId);
  await fx().recorder.waitFor('exit', (e) => e.taskId === spec.taskId && e.kind === 'exited');
  const lines = (await collectWithin(fx().runtime.logs(spec.taskId), 10_000, 'logs')).map((e) => e.line);
  t.regex(lines[0] ?? '', /^tmpfs \/run\/secrets tmpfs ro[, ]/);
  t.is(lines[1], secret);
  const task = await fx().runtime.inspect(spec.taskId);
  const raw = JSON.stringify(await docker.getContainer(task.runtimeId).inspect());
  t.false(raw.includes(secret), 'the secret is not in docker inspect');
  await fx().runtime.remove(spec.taskId);
  await t.throwsAsync(rm(join(secretsDir, spec.taskId), { recursive: false }), undefined, 'secret files removed');
});

test('docker: bind, volume and tmpfs mounts are applied', async (t) => {
  const hostDir = await mkdtemp(join(tmpdir(), 'shoal-bind-'));
  await writeFile(join(hostDir, 'hello'), 'from the host\n');
  const volume = uniqueId('shoalvol');
  volumes.add(volume);
  const spec = taskSpec(fx(), {
    command: ['sh', '-c', 'cat /data/hello; echo kept > /vol/f; cat /vol/f; grep -c " /scratch tmpfs " /proc/mounts; echo x > /data/nope || echo read-only'],
    mounts: [
      { type: 'bind', source: hostDir, target: '/data', readOnly: true },
      { type: 'volume', source: volume, target: '/vol' },
      { type: 'tmpfs', target: '/scratch' },
    ],
  });
  try {
    await fx().runtime.prepare(spec);
    await fx().runtime.start(spec.taskId);
    await fx().recorder.waitFor('exit', (e) => e.taskId === spec.taskId && e.kind === 'exited');
    const lines = (await collectWithin(fx().runtime.logs(spec.taskId), 10_000, 'logs'))
      .filter((e) => e.stream === 'stdout')
      .map((e) => e.line);
    t.deepEqual(lines, ['from the host', 'kept', '1', 'read-only']);
  } finally {
    await fx().runtime.remove(spec.taskId);
    await rm(hostDir, { recursive: true, force: true });
  }
});

test('docker: CPU and memory limits and a host-mode published port', async (t) => {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const spec = taskSpec(fx(), {
    command: ['httpd', '-f', '-p', '80', '-h', '/www'],
    resources: { nanoCPUs: 500_000_000, memoryBytes: 64 * 1024 * 1024 },
    ports: [{ protocol: 'tcp', targetPort: 80, publishedPort: port }],
  });
  const task = await fx().runtime.prepare(spec);
  await fx().runtime.start(spec.taskId);
  const info = (await docker.getContainer(task.runtimeId).inspect()) as unknown as {
    HostConfig: { NanoCpus: number; Memory: number; PortBindings: Record<string, { HostPort: string }[]> };
  };
  t.is(info.HostConfig.NanoCpus, 500_000_000);
  t.is(info.HostConfig.Memory, 64 * 1024 * 1024);
  t.deepEqual(info.HostConfig.PortBindings['80/tcp']?.map((b) => b.HostPort), [String(port)]);
  const body = await waitFor('httpd answers', async () => {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`);
      return await response.text();
    } catch {
      return undefined;
    }
  });
  t.regex(body, /shoal test image version 1/);
});

test('docker: a lost event stream reconnects and reports an exit that happened meanwhile', async (t) => {
  const flaky = new FlakyClient(new DockerodeClient(docker));
  const lost: string[] = [];
  const runtime = new DockerRuntime({
    nodeId,
    stateDir,
    secretsDir,
    client: flaky,
    minBackoffMs: 20,
    maxBackoffMs: 100,
    onEventStreamLost: (reason) => lost.push(reason),
  });
  const recorder = new EventRecorder((signal) => runtime.events(signal));
  try {
    await recorder.ready;
    const spec = taskSpec(fx());
    const task = await fx().runtime.prepare(spec);
    await fx().runtime.start(spec.taskId);
    await recorder.waitFor('started', (e) => e.taskId === spec.taskId && e.kind === 'started');
    flaky.cut();
    await waitFor('a refused reconnect', () => (flaky.refused >= 1 ? true : undefined));
    await docker.getContainer(task.runtimeId).kill({ signal: 'SIGKILL' });
    await waitFor('the engine sees the exit', async () => {
      const info = (await docker.getContainer(task.runtimeId).inspect()) as unknown as { State: { Running: boolean } };
      return info.State.Running ? undefined : true;
    });
    t.false(recorder.forTask(spec.taskId).some((e) => e.kind === 'exited'), 'not seen while disconnected');
    flaky.heal();
    const exited = await recorder.waitFor('exit after resync', (e) => e.taskId === spec.taskId && e.kind === 'exited');
    t.deepEqual(exited, { taskId: spec.taskId, kind: 'exited', exitCode: 137 });
    t.true(flaky.connects >= 2);
    t.true(lost.length >= 2, 'the lost stream and the refused reconnect were both reported');
  } finally {
    await recorder.stop();
    await runtime.close();
  }
});

test('docker: events end cleanly when the subscriber aborts', async (t) => {
  const controller = new AbortController();
  const stream = fx().runtime.events(controller.signal);
  await stream.ready;
  controller.abort();
  const seen = await collectWithin(stream, 5000, 'events end on abort');
  t.true(Array.isArray(seen));
});

test('docker: secrets are refused when the secrets dir is not on a tmpfs', async (t) => {
  const diskDir = await mkdtemp(join(tmpdir(), 'shoal-not-tmpfs-'));
  try {
    const runtime = new DockerRuntime({ nodeId, stateDir, secretsDir: diskDir, client: new DockerodeClient(docker) });
    const spec = taskSpec(fx(), { secrets: [{ name: 's', target: 's', data: Buffer.from('x'), mode: 0o400 }] });
    const error = await t.throwsAsync(runtime.prepare(spec));
    t.true(isShoalError(error) && error.code === 'FailedPrecondition');
    t.regex(error?.message ?? '', /not on a tmpfs/);
  } finally {
    await rm(diskDir, { recursive: true, force: true });
  }
});
