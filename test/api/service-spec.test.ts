// Service specs: the schema takes what clients send, withServiceDefaults
// fills Docker's defaults, and the rules refuse what Docker refuses, naming
// the field.
import test from 'ava';
import { isShoalError } from '../../src/api/errors.js';
import { decodeServiceSpec, checkServiceSpecChange, parseServiceSpec } from '../../src/api/service-validate.js';
import { isJobMode, replicaCount, serviceModeKind, withServiceDefaults, type ServiceSpec } from '../../src/api/service-spec.js';

const minimal = { Name: 'web', TaskTemplate: { ContainerSpec: { Image: 'nginx:1.7.9' } } };

function refusal(value: unknown): { path: string; message: string } {
  const r = decodeServiceSpec(value);
  if (r.ok) throw new Error('expected a refusal');
  return { path: r.issue.path, message: r.issue.message };
}

function withChange(change: (spec: Record<string, unknown>) => void): unknown {
  const spec = structuredClone(minimal) as Record<string, unknown>;
  change(spec);
  return spec;
}

test('a minimal spec gets Docker\'s defaults', (t) => {
  const spec = parseServiceSpec(minimal);
  const expected: ServiceSpec = {
    Name: 'web',
    Labels: {},
    TaskTemplate: {
      ContainerSpec: { Image: 'nginx:1.7.9', Labels: {}, StopGracePeriod: 10_000_000_000 },
      Resources: { Limits: { NanoCPUs: 0, MemoryBytes: 0 }, Reservations: { NanoCPUs: 0, MemoryBytes: 0 } },
      RestartPolicy: { Condition: 'any', Delay: 5_000_000_000, MaxAttempts: 0, Window: 0 },
      Placement: { Constraints: [], Preferences: [], MaxReplicas: 0 },
      ForceUpdate: 0,
    },
    Mode: { Replicated: { Replicas: 1 } },
    UpdateConfig: { Parallelism: 1, Delay: 0, FailureAction: 'pause', Monitor: 5_000_000_000, MaxFailureRatio: 0, Order: 'stop-first' },
    RollbackConfig: { Parallelism: 1, Delay: 0, FailureAction: 'pause', Monitor: 5_000_000_000, MaxFailureRatio: 0, Order: 'stop-first' },
    EndpointSpec: { Mode: 'vip', Ports: [] },
  };
  t.deepEqual(spec, expected);
  // Keys come out in Docker's inspect order.
  t.deepEqual(Object.keys(spec), ['Name', 'Labels', 'TaskTemplate', 'Mode', 'UpdateConfig', 'RollbackConfig', 'EndpointSpec']);
});

test('the seeds\' compose deploy section round-trips with its values kept', (t) => {
  // deploy: replicas 3; restart_policy on-failure/5s/3/30s; update_config 1/5s/rollback/5s/start-first;
  // limits cpus 0.2, memory 1024M; ports 8088:8082.
  const spec = parseServiceSpec({
    Name: 'aloneService',
    TaskTemplate: {
      ContainerSpec: { Image: 'alonedockerhub/alone:1.0' },
      Resources: { Limits: { NanoCPUs: 200_000_000, MemoryBytes: 1024 * 1024 * 1024 } },
      RestartPolicy: { Condition: 'on-failure', Delay: 5e9, MaxAttempts: 3, Window: 30e9 },
    },
    Mode: { Replicated: { Replicas: 3 } },
    UpdateConfig: { Parallelism: 1, Delay: 5e9, FailureAction: 'rollback', Monitor: 5e9, Order: 'start-first' },
    EndpointSpec: { Ports: [{ TargetPort: 8082, PublishedPort: 8088 }] },
  });
  t.deepEqual(spec.TaskTemplate.RestartPolicy, { Condition: 'on-failure', Delay: 5e9, MaxAttempts: 3, Window: 30e9 });
  t.deepEqual(spec.UpdateConfig, { Parallelism: 1, Delay: 5e9, FailureAction: 'rollback', Monitor: 5e9, MaxFailureRatio: 0, Order: 'start-first' });
  t.deepEqual(spec.EndpointSpec.Ports, [{ Protocol: 'tcp', TargetPort: 8082, PublishedPort: 8088, PublishMode: 'ingress' }]);
  t.deepEqual(spec.TaskTemplate.Resources.Reservations, { NanoCPUs: 0, MemoryBytes: 0 });
  t.is(replicaCount(spec.Mode), 3);
});

test('modes: global, replicated jobs default their concurrency, jobs get no update config', (t) => {
  const global = parseServiceSpec({ ...minimal, Mode: { Global: {} } });
  t.is(serviceModeKind(global.Mode), 'global');
  t.is(replicaCount(global.Mode), undefined);
  const job = parseServiceSpec({ ...minimal, Mode: { ReplicatedJob: { MaxConcurrent: 2 } } });
  t.deepEqual(job.Mode, { ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 2 } });
  t.true(isJobMode(job.Mode));
  t.is(job.UpdateConfig, undefined);
  t.is(job.RollbackConfig, undefined);
  t.is(job.TaskTemplate.RestartPolicy.Condition, 'on-failure');
  const globalJob = parseServiceSpec({ ...minimal, Mode: { GlobalJob: {} } });
  t.is(serviceModeKind(globalJob.Mode), 'global-job');
});

test('shape errors name the field', (t) => {
  t.deepEqual(refusal({ Name: 'web' }), { path: 'TaskTemplate', message: 'expected an object, got nothing' });
  t.deepEqual(refusal({ Name: 'web', TaskTemplate: {} }), { path: 'TaskTemplate.ContainerSpec', message: 'expected an object, got nothing' });
  t.deepEqual(refusal(withChange((s) => (s.Mode = { Replicated: { Replicas: 1.5 } }))), {
    path: 'Mode.Replicated.Replicas',
    message: 'expected an integer, got 1.5',
  });
  t.deepEqual(refusal(withChange((s) => (s.Mode = { Replicated: {}, Global: {} }))), {
    path: 'Mode',
    message: 'expected an object with exactly one of "Replicated", "Global", "ReplicatedJob", "GlobalJob", got Replicated and Global',
  });
  t.deepEqual(refusal(withChange((s) => (s.UpdateConfig = { Parallelism: -1 }))), {
    path: 'UpdateConfig.Parallelism',
    message: 'expected an integer >= 0, got -1',
  });
  t.deepEqual(refusal(withChange((s) => (s.UpdateConfig = { FailureAction: 'explode' }))), {
    path: 'UpdateConfig.FailureAction',
    message: 'expected "pause" or "continue" or "rollback", got "explode"',
  });
  t.deepEqual(refusal(withChange((s) => (s.RollbackConfig = { FailureAction: 'rollback' }))), {
    path: 'RollbackConfig.FailureAction',
    message: 'expected "pause" or "continue", got "rollback"',
  });
  t.deepEqual(refusal(withChange((s) => (s.EndpointSpec = { Ports: [{ TargetPort: 70000 }] }))), {
    path: 'EndpointSpec.Ports[0].TargetPort',
    message: 'expected an integer >= 1 <= 65535, got 70000',
  });
});

test('Docker\'s rules refuse with Docker\'s words, naming the field', (t) => {
  const cases: Array<[unknown, string, string]> = [
    [{ ...minimal, Name: '' }, 'Name', 'name must be provided'],
    [{ TaskTemplate: minimal.TaskTemplate }, 'Name', 'name must be provided'],
    [{ ...minimal, Name: 'my.web' }, 'Name', 'name must be valid as a DNS name component'],
    [{ ...minimal, Name: '-web' }, 'Name', 'name must be valid as a DNS name component'],
    [{ ...minimal, Name: 'a'.repeat(64) }, 'Name', 'name must be 63 characters or fewer'],
    [{ ...minimal, Mode: { Replicated: { Replicas: -1 } } }, 'Mode.Replicated.Replicas', 'Number of replicas must be non-negative'],
    [{ ...minimal, Mode: { ReplicatedJob: { MaxConcurrent: -1 } } }, 'Mode.ReplicatedJob.MaxConcurrent', 'Maximum concurrent jobs must not be negative'],
    [{ ...minimal, Mode: { ReplicatedJob: { TotalCompletions: -2 } } }, 'Mode.ReplicatedJob.TotalCompletions', 'Total completed jobs must not be negative'],
    [{ ...minimal, Mode: { GlobalJob: {} }, UpdateConfig: {} }, 'UpdateConfig', 'Jobs may not have an update config'],
    [{ ...minimal, UpdateConfig: { Delay: -1 } }, 'UpdateConfig.Delay', 'update-delay cannot be negative'],
    [{ ...minimal, UpdateConfig: { Monitor: -1 } }, 'UpdateConfig.Monitor', 'update-monitor cannot be negative'],
    [{ ...minimal, UpdateConfig: { MaxFailureRatio: 1.5 } }, 'UpdateConfig.MaxFailureRatio', 'update-maxfailureratio cannot be less than 0 or bigger than 1'],
    [{ ...minimal, UpdateConfig: { MaxFailureRatio: -0.1 } }, 'UpdateConfig.MaxFailureRatio', 'update-maxfailureratio cannot be less than 0 or bigger than 1'],
    [{ ...minimal, RollbackConfig: { Delay: -1 } }, 'RollbackConfig.Delay', 'rollback-delay cannot be negative'],
    [
      { ...minimal, EndpointSpec: { Mode: 'dnsrr', Ports: [{ TargetPort: 80, PublishedPort: 8080 }] } },
      'EndpointSpec.Ports[0]',
      "port published with ingress mode can't be used with dnsrr mode",
    ],
    [
      { ...minimal, EndpointSpec: { Ports: [{ TargetPort: 80, PublishedPort: 8080 }, { TargetPort: 81, PublishedPort: 8080 }] } },
      'EndpointSpec.Ports[1].PublishedPort',
      'duplicate published ports provided',
    ],
  ];
  for (const [value, path, message] of cases) t.deepEqual(refusal(value), { path, message }, message);
  // Same port, different protocols: allowed, as in swarmkit.
  t.true(decodeServiceSpec({ ...minimal, EndpointSpec: { Ports: [{ TargetPort: 53, PublishedPort: 53 }, { TargetPort: 53, PublishedPort: 53, Protocol: 'udp' }] } }).ok);
  // dnsrr with host-mode ports is fine.
  t.true(decodeServiceSpec({ ...minimal, EndpointSpec: { Mode: 'dnsrr', Ports: [{ TargetPort: 80, PublishedPort: 80, PublishMode: 'host' }] } }).ok);
});

function task(change: (tt: Record<string, unknown>, c: Record<string, unknown>) => void): unknown {
  const c: Record<string, unknown> = { Image: 'nginx' };
  const tt: Record<string, unknown> = { ContainerSpec: c };
  change(tt, c);
  return { Name: 'web', TaskTemplate: tt };
}

test('task template rules: resources, restart policy, placement, container', (t) => {
  const cases: Array<[unknown, string, string]> = [
    [task((tt) => (tt.Resources = { Limits: { NanoCPUs: 500 } })), 'TaskTemplate.Resources.Limits.NanoCPUs', 'invalid cpu value 5e-07: Must be at least 0.001'],
    [task((tt) => (tt.Resources = { Reservations: { MemoryBytes: 1024 } })), 'TaskTemplate.Resources.Reservations.MemoryBytes', 'invalid memory value 1024: Must be at least 4MiB'],
    [task((tt) => (tt.RestartPolicy = { Delay: -1 })), 'TaskTemplate.RestartPolicy.Delay', 'restart-delay cannot be negative'],
    [task((tt) => (tt.RestartPolicy = { Window: -1 })), 'TaskTemplate.RestartPolicy.Window', 'restart-window cannot be negative'],
    [
      task((tt) => (tt.Placement = { Constraints: ['node.role==manager', 'node.labels.mem=max'] })),
      'TaskTemplate.Placement.Constraints[1]',
      'invalid constraint "node.labels.mem=max": constraint expected one operator from ==, !=',
    ],
    [task((_tt, c) => (c.Image = '')), 'TaskTemplate.ContainerSpec.Image', 'image reference must be provided'],
    [task((_tt, c) => (c.Image = 'Nginx')), 'TaskTemplate.ContainerSpec.Image', '"Nginx" is not a valid repository/tag'],
    [task((_tt, c) => (c.Image = 'nginx:')), 'TaskTemplate.ContainerSpec.Image', '"nginx:" is not a valid repository/tag'],
    [task((_tt, c) => (c.StopGracePeriod = -1)), 'TaskTemplate.ContainerSpec.StopGracePeriod', 'stop-grace-period cannot be negative'],
    [task((_tt, c) => (c.Env = ['=x'])), 'TaskTemplate.ContainerSpec.Env[0]', 'invalid environment variable: =x'],
    [
      task((_tt, c) => (c.Mounts = [{ Type: 'bind', Source: 'rel', Target: '/data' }])),
      'TaskTemplate.ContainerSpec.Mounts[0].Source',
      'invalid bind mount source, must be an absolute path: rel',
    ],
    [
      task((_tt, c) => (c.Mounts = [{ Type: 'volume', Source: 'v', Target: 'data' }])),
      'TaskTemplate.ContainerSpec.Mounts[0].Target',
      'invalid mount target, must be an absolute path: data',
    ],
    [
      task((_tt, c) => (c.Mounts = [{ Type: 'volume', Source: '/abs', Target: '/data' }])),
      'TaskTemplate.ContainerSpec.Mounts[0].Source',
      'invalid volume mount source, must not be an absolute path: /abs',
    ],
    [
      task((_tt, c) => (c.Mounts = [{ Type: 'tmpfs', Source: 'x', Target: '/tmp' }])),
      'TaskTemplate.ContainerSpec.Mounts[0].Source',
      'invalid tmpfs source, source must be empty',
    ],
    [
      task((_tt, c) => (c.Mounts = [{ Type: 'volume', Source: 'a', Target: '/data' }, { Type: 'volume', Source: 'b', Target: '/data' }])),
      'TaskTemplate.ContainerSpec.Mounts[1].Target',
      'duplicate mount point: /data',
    ],
    [
      task((_tt, c) => (c.Healthcheck = { Test: ['CMD-SHELL', 'true'], Interval: 500 })),
      'TaskTemplate.ContainerSpec.Healthcheck.Interval',
      'Interval in HealthConfig cannot be less than 1ms',
    ],
    [
      task((_tt, c) => (c.Healthcheck = { Test: ['CMD-SHELL', 'true'], Retries: -1 })),
      'TaskTemplate.ContainerSpec.Healthcheck.Retries',
      'Retries in HealthConfig cannot be negative',
    ],
    [task((_tt, c) => (c.Secrets = [{ SecretName: 'db' }])), 'TaskTemplate.ContainerSpec.Secrets[0]', 'malformed secret reference'],
    [task((_tt, c) => (c.Secrets = [{ SecretID: 'x', SecretName: 'db' }])), 'TaskTemplate.ContainerSpec.Secrets[0]', 'malformed secret reference, no target provided'],
    [
      task(
        (_tt, c) =>
          (c.Secrets = [
            { SecretID: 'a', SecretName: 'one', File: { Name: 'pw' } },
            { SecretID: 'b', SecretName: 'two', File: { Name: 'pw' } },
          ]),
      ),
      'TaskTemplate.ContainerSpec.Secrets[1].File.Name',
      "secret references 'one' and 'two' have a conflicting target: 'pw'",
    ],
    [task((_tt, c) => (c.Configs = [{ ConfigID: 'x', ConfigName: 'site', File: { Name: '' } }])), 'TaskTemplate.ContainerSpec.Configs[0].File.Name', 'malformed file config reference, invalid target file name provided'],
  ];
  for (const [value, path, message] of cases) t.deepEqual(refusal(value), { path, message }, message);
});

test('image references Docker accepts are accepted', (t) => {
  for (const image of ['nginx', 'nginx:1.7.9', 'redis:3.0.6', 'docker-registry.io/test/nginx:latest', 'localhost:5000/a/b', 'alonedockerhub/alone:1.0', 'busybox@sha256:' + 'a'.repeat(64), 'my_repo/x__y', 'a-b.c/d']) {
    t.true(decodeServiceSpec({ Name: 'web', TaskTemplate: { ContainerSpec: { Image: image } } }).ok, image);
  }
});

test('parseServiceSpec throws InvalidArgument naming the field', (t) => {
  const err = t.throws(() => parseServiceSpec({ ...minimal, Mode: { Replicated: { Replicas: -1 } } }));
  t.true(isShoalError(err));
  if (isShoalError(err)) {
    t.is(err.code, 'InvalidArgument');
    t.is(err.detail, 'Mode.Replicated.Replicas');
    t.is(err.message, 'invalid service spec field Mode.Replicated.Replicas: Number of replicas must be non-negative');
  }
});

test('an update keeps the mode kind and the name', (t) => {
  const a = parseServiceSpec(minimal);
  const b = parseServiceSpec({ ...minimal, Mode: { Replicated: { Replicas: 6 } } });
  t.is(checkServiceSpecChange(a, b), undefined);
  t.deepEqual(checkServiceSpecChange(a, parseServiceSpec({ ...minimal, Mode: { Global: {} } })), { path: 'Mode', message: 'service mode change is not allowed' });
  t.deepEqual(checkServiceSpecChange(a, { ...a, Name: 'other' }), { path: 'Name', message: 'renaming services is not supported' });
});

test('defaults never drop what was sent', (t) => {
  const sent = {
    Name: 'api',
    Labels: { tier: 'back' },
    TaskTemplate: {
      ContainerSpec: { Image: 'busybox', Command: ['sleep'], Args: ['1d'], Env: ['A=1'], Dir: '/w', User: 'nobody', StopGracePeriod: 1e9 },
      Placement: { Constraints: ['node.role==worker'], Preferences: [{ Spread: { SpreadDescriptor: 'node.labels.zone' } }], MaxReplicas: 2 },
      Networks: [{ Target: 'n1', Aliases: ['api'] }],
      ForceUpdate: 3,
    },
  };
  const spec = withServiceDefaults(sent);
  t.deepEqual(spec.Labels, sent.Labels);
  t.like(spec.TaskTemplate.ContainerSpec, sent.TaskTemplate.ContainerSpec);
  t.deepEqual(spec.TaskTemplate.Placement, sent.TaskTemplate.Placement);
  t.deepEqual(spec.TaskTemplate.Networks, sent.TaskTemplate.Networks);
  t.is(spec.TaskTemplate.ForceUpdate, 3);
});
