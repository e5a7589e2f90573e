import test from 'ava';
import {
  containerCreateOptions,
  engineHealthcheck,
  entrypointAndCmd,
  portBindings,
} from '../../../../src/agent/runtime/docker/container-config.js';
import type { RuntimeTaskSpec } from '../../../../src/agent/runtime/types.js';

const base: RuntimeTaskSpec = {
  taskId: 'tid1',
  serviceId: 'sid1',
  serviceName: 'web',
  slot: 2,
  nodeId: 'nid1',
  image: 'local/busybox:1',
  env: ['A=1'],
  labels: { team: 'x', 'com.shoal.task.id': 'spoofed' },
  mounts: [],
  resources: {},
  ports: [],
  stopGracePeriodMs: 10_000,
  secrets: [],
  configs: [],
};

test('Command replaces the entrypoint and Args follow it; Args alone are Cmd (as swarmkit)', (t) => {
  t.deepEqual(entrypointAndCmd({ command: ['/bin/app', '-v'], args: ['x'] }), { Entrypoint: ['/bin/app', '-v'], Cmd: ['x'] });
  t.deepEqual(entrypointAndCmd({ command: ['/bin/app'] }), { Entrypoint: ['/bin/app'], Cmd: [] });
  t.deepEqual(entrypointAndCmd({ args: ['sleep', '5'] }), { Cmd: ['sleep', '5'] });
  t.deepEqual(entrypointAndCmd({}), {});
});

test('name is <service>.<slot>.<task>, or <service>.<node>.<task> for global services', (t) => {
  t.is(containerCreateOptions(base, []).name, 'web.2.tid1');
  const { slot: _slot, ...global } = base;
  t.is(containerCreateOptions(global, []).name, 'web.nid1.tid1');
});

test('identity labels are set and win over the spec labels', (t) => {
  const { body } = containerCreateOptions(base, []);
  t.deepEqual(body.Labels, {
    team: 'x',
    'com.shoal.task.id': 'tid1',
    'com.shoal.service.id': 'sid1',
    'com.shoal.service.name': 'web',
    'com.shoal.node.id': 'nid1',
  });
});

test('resources, stop settings, user and dir map to the engine fields', (t) => {
  const { body } = containerCreateOptions(
    { ...base, resources: { nanoCPUs: 1.5e9, memoryBytes: 1 << 26 }, stopSignal: 'SIGQUIT', stopGracePeriodMs: 1500, user: '1000', dir: '/w' },
    [],
  );
  t.is(body.HostConfig.NanoCpus, 1.5e9);
  t.is(body.HostConfig.Memory, 1 << 26);
  t.is(body.StopSignal, 'SIGQUIT');
  t.is(body.StopTimeout, 2);
  t.is(body.User, '1000');
  t.is(body.WorkingDir, '/w');
  t.deepEqual(body.HostConfig.RestartPolicy, { Name: 'no' });
  const plain = containerCreateOptions(base, []).body;
  t.false('NanoCpus' in plain.HostConfig || 'Memory' in plain.HostConfig || 'StopSignal' in plain || 'User' in plain);
});

test('mounts: bind, volume, tmpfs, then the read-only file mounts', (t) => {
  const { body } = containerCreateOptions(
    {
      ...base,
      mounts: [
        { type: 'bind', source: '/srv', target: '/data', readOnly: true },
        { type: 'volume', source: 'v1', target: '/v' },
        { type: 'volume', target: '/anon' },
        { type: 'tmpfs', target: '/scratch' },
      ],
    },
    [{ source: '/dev/shm/s/t/run', target: '/run/secrets' }],
  );
  t.deepEqual(body.HostConfig.Mounts, [
    { Type: 'bind', Source: '/srv', Target: '/data', ReadOnly: true },
    { Type: 'volume', Source: 'v1', Target: '/v' },
    { Type: 'volume', Target: '/anon' },
    { Type: 'tmpfs', Target: '/scratch' },
    { Type: 'bind', Source: '/dev/shm/s/t/run', Target: '/run/secrets', ReadOnly: true },
  ]);
});

test('host-mode ports: exposed and bound, several host ports per target allowed', (t) => {
  t.deepEqual(
    portBindings({
      ports: [
        { protocol: 'tcp', targetPort: 80, publishedPort: 8080 },
        { protocol: 'udp', targetPort: 53, publishedPort: 5353 },
        { protocol: 'tcp', targetPort: 80, publishedPort: 8081 },
      ],
    }),
    {
      ExposedPorts: { '80/tcp': {}, '53/udp': {} },
      PortBindings: { '80/tcp': [{ HostPort: '8080' }, { HostPort: '8081' }], '53/udp': [{ HostPort: '5353' }] },
    },
  );
  t.deepEqual(portBindings({ ports: [] }), {});
});

test('health checks in nanoseconds; NONE disables the image check', (t) => {
  t.deepEqual(engineHealthcheck({ test: ['CMD', 'true'], intervalMs: 200, timeoutMs: 1000, retries: 2, startPeriodMs: 5 }), {
    Test: ['CMD', 'true'],
    Interval: 200_000_000,
    Timeout: 1_000_000_000,
    Retries: 2,
    StartPeriod: 5_000_000,
  });
  t.deepEqual(engineHealthcheck({ test: ['NONE'], intervalMs: 1, timeoutMs: 1, retries: 1, startPeriodMs: 1 }), { Test: ['NONE'] });
});

test('secret data never reaches the create body', (t) => {
  const spec = { ...base, secrets: [{ name: 's', target: 's', data: Buffer.from('TOPSECRET'), mode: 0o400 }] };
  t.false(JSON.stringify(containerCreateOptions(spec, [])).includes('TOPSECRET'));
});
