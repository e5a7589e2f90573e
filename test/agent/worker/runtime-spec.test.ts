// Task -> RuntimeTaskSpec: every field the runtime takes, and the defaults.
import test from 'ava';
import type { Task } from '../../../src/api/task.js';
import { hasHealthcheck, hostPorts, runtimeHealthcheck, runtimeSpecOf, stopGraceMs } from '../../../src/agent/worker/runtime-spec.js';
import { makeTask } from './helpers/tasks.js';

const nodeId = 'node1';

test('a full container spec maps field by field', (t) => {
  const task = makeTask({
    id: 'task1',
    nodeId,
    slot: 3,
    serviceId: 'svc1',
    container: {
      Image: 'local/busybox:2',
      Command: ['sh', '-c'],
      Args: ['echo hi'],
      Env: ['A=1', 'B=two'],
      Dir: '/work',
      User: 'nobody',
      Labels: { team: 'a' },
      Mounts: [
        { Type: 'bind', Source: '/srv/data', Target: '/data', ReadOnly: true },
        { Type: 'volume', Source: 'cache', Target: '/cache' },
        { Type: 'tmpfs', Target: '/scratch' },
      ],
      StopSignal: 'SIGINT',
      StopGracePeriod: 3_000_000_000,
      Healthcheck: { Test: ['CMD-SHELL', 'true'], Interval: 2_000_000_000, Timeout: 1_000_000_000, Retries: 4, StartPeriod: 5_000_000_000 },
    },
    spec: { Resources: { Limits: { NanoCPUs: 500_000_000, MemoryBytes: 64 * 1024 * 1024 } } },
  });
  t.deepEqual(runtimeSpecOf(task, { nodeId, serviceName: 'web' }), {
    taskId: 'task1',
    serviceId: 'svc1',
    serviceName: 'web',
    slot: 3,
    nodeId,
    image: 'local/busybox:2',
    command: ['sh', '-c'],
    args: ['echo hi'],
    env: ['A=1', 'B=two'],
    dir: '/work',
    user: 'nobody',
    labels: { team: 'a' },
    mounts: [
      { type: 'bind', source: '/srv/data', target: '/data', readOnly: true },
      { type: 'volume', source: 'cache', target: '/cache' },
      { type: 'tmpfs', target: '/scratch' },
    ],
    resources: { nanoCPUs: 500_000_000, memoryBytes: 64 * 1024 * 1024 },
    ports: [],
    stopSignal: 'SIGINT',
    stopGracePeriodMs: 3000,
    healthcheck: { test: ['CMD-SHELL', 'true'], intervalMs: 2000, timeoutMs: 1000, retries: 4, startPeriodMs: 5000 },
    secrets: [],
    configs: [],
  });
});

test('a minimal spec: no command, no limits, Docker\'s 10 s grace, service id when the name is unknown', (t) => {
  const base = makeTask({ id: 'task2', nodeId, serviceId: 'svc2', container: { Command: undefined, StopGracePeriod: undefined } });
  const task: Task = { ...base, Slot: undefined };
  const spec = runtimeSpecOf(task, { nodeId, serviceName: undefined });
  t.is(spec.serviceName, 'svc2');
  t.false('slot' in spec, 'global tasks have no slot');
  t.false('command' in spec);
  t.false('args' in spec);
  t.deepEqual(spec.resources, {});
  t.is(spec.stopGracePeriodMs, 10_000);
  t.false('healthcheck' in spec);
  t.false('stopSignal' in spec);
  t.deepEqual(spec.env, []);
});

test('health checks: an empty test keeps the image\'s; NONE is passed on; zero durations stay zero (engine defaults)', (t) => {
  t.is(runtimeHealthcheck({ Test: [], Interval: 1, Timeout: 1, Retries: 1, StartPeriod: 1 }), undefined);
  t.deepEqual(runtimeHealthcheck({ Test: ['NONE'], Interval: 0, Timeout: 0, Retries: 0, StartPeriod: 0 }), { test: ['NONE'], intervalMs: 0, timeoutMs: 0, retries: 0, startPeriodMs: 0 });
  t.true(hasHealthcheck(makeTask({ nodeId, container: { Healthcheck: { Test: ['CMD', 'true'] } } })));
  t.false(hasHealthcheck(makeTask({ nodeId, container: { Healthcheck: { Test: ['NONE'] } } })));
});

test('only host-mode ports with a published port are bound by the task', (t) => {
  t.deepEqual(
    hostPorts([
      { Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'host' },
      { Protocol: 'udp', TargetPort: 53, PublishedPort: 5353, PublishMode: 'host' },
      { Protocol: 'tcp', TargetPort: 443, PublishedPort: 8443, PublishMode: 'ingress' },
      { Protocol: 'tcp', TargetPort: 81, PublishMode: 'host' },
    ]),
    [
      { protocol: 'tcp', targetPort: 80, publishedPort: 8080 },
      { protocol: 'udp', targetPort: 53, publishedPort: 5353 },
    ],
  );
  const task = makeTask({ nodeId });
  const withPorts: Task = { ...task, Status: { ...task.Status, PortStatus: { Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 30080, PublishMode: 'host' }] } } };
  t.deepEqual(runtimeSpecOf(withPorts, { nodeId, serviceName: 'web' }).ports, [{ protocol: 'tcp', targetPort: 80, publishedPort: 30080 }]);
});

test('stop grace: nanoseconds to milliseconds', (t) => {
  t.is(stopGraceMs(makeTask({ nodeId, container: { StopGracePeriod: 1_500_000_000 } })), 1500);
  t.is(stopGraceMs(makeTask({ nodeId, container: { StopGracePeriod: 0 } })), 0);
});
