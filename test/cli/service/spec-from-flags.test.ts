// `service create` flags -> spec: golden specs for the seeds' commands and
// many flag combinations (each one also accepted by the manager's decoder),
// and docker's errors for bad values.
import test from 'ava';
import { ExitError } from '../../../src/cli/framework/command.js';
import { Flags, parseFlags, UsageError } from '../../../src/cli/framework/flags.js';
import { createSpecFromFlags } from '../../../src/cli/commands/service/spec-from-flags.js';
import { CREATE_FLAGS } from '../../../src/cli/commands/service/service-flags.js';
import { decodeServiceSpec } from '../../../src/api/service-validate.js';
import type { ServiceSpecInput } from '../../../src/api/service-spec.js';
import { withReferenceIds } from './fake-control.js';

function create(argv: string[], env: Record<string, string> = {}): ServiceSpecInput {
  const parsed = parseFlags(CREATE_FLAGS, argv);
  return createSpecFromFlags(new Flags(parsed.flags), parsed.args, env);
}

const image = (name: string) => ({ ContainerSpec: { Image: name } });

const golden: [string, string[], ServiceSpecInput][] = [
  ['seed 000: constraint on a hostname', ['--replicas', '3', '--constraint', 'node.hostname==docker03', '--name', 'test', 'nginx'], { Name: 'test', TaskTemplate: { ContainerSpec: { Image: 'nginx' }, Placement: { Constraints: ['node.hostname==docker03'] } }, Mode: { Replicated: { Replicas: 3 } } }],
  [
    'seed 000: published port',
    ['--name', 'newnginx', '-p', '80:80', '--replicas', '3', 'registry.example.com/nginx:1.0'],
    { Name: 'newnginx', TaskTemplate: image('registry.example.com/nginx:1.0'), Mode: { Replicated: { Replicas: 3 } }, EndpointSpec: { Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 80, PublishMode: 'ingress' }] } },
  ],
  ['seed 003: update delay', ['--replicas', '3', '--name', 'redis', '--update-delay', '10s', 'redis:3.0.6'], { Name: 'redis', TaskTemplate: image('redis:3.0.6'), Mode: { Replicated: { Replicas: 3 } }, UpdateConfig: { Delay: 10e9 } }],
  [
    'seed 003: tcp and udp',
    ['--name', 'dns-cache', '-p', '53:53/tcp', '-p', '53:53/udp', 'dns-cache'],
    {
      Name: 'dns-cache',
      TaskTemplate: image('dns-cache'),
      Mode: { Replicated: {} },
      EndpointSpec: {
        Ports: [
          { Protocol: 'tcp', TargetPort: 53, PublishedPort: 53, PublishMode: 'ingress' },
          { Protocol: 'udp', TargetPort: 53, PublishedPort: 53, PublishMode: 'ingress' },
        ],
      },
    },
  ],
  [
    'seed 001: mounts',
    ['--name', 'm', '--mount', 'type=volume,src=data,dst=/data', '--mount', 'type=bind,src=/srv/www,dst=/usr/share/nginx/html,readonly', 'nginx'],
    {
      Name: 'm',
      TaskTemplate: {
        ContainerSpec: {
          Image: 'nginx',
          Mounts: [
            { Type: 'volume', Source: 'data', Target: '/data' },
            { Type: 'bind', Source: '/srv/www', Target: '/usr/share/nginx/html', ReadOnly: true },
          ],
        },
      },
      Mode: { Replicated: {} },
    },
  ],
  ['seed 001: dnsrr', ['--name', 'd', '--endpoint-mode', 'dnsrr', 'nginx'], { Name: 'd', TaskTemplate: image('nginx'), Mode: { Replicated: {} }, EndpointSpec: { Mode: 'dnsrr' } }],
  [
    'seed 001: config file',
    ['--name', 'c', '--config', 'source=site.conf,target=/etc/nginx/conf.d/site.conf', 'nginx'],
    { Name: 'c', TaskTemplate: { ContainerSpec: { Image: 'nginx', Configs: [{ ConfigName: 'site.conf', File: { Name: '/etc/nginx/conf.d/site.conf', UID: '0', GID: '0', Mode: 0o444 } }] } }, Mode: { Replicated: {} } },
  ],
  [
    'seed 001: rollback settings',
    ['--name', 'r', '--rollback-monitor', '20s', '--rollback-max-failure-ratio', '.2', '--update-failure-action', 'rollback', '--update-parallelism', '2', 'nginx'],
    { Name: 'r', TaskTemplate: image('nginx'), Mode: { Replicated: {} }, UpdateConfig: { Parallelism: 2, FailureAction: 'rollback' }, RollbackConfig: { Monitor: 20e9, MaxFailureRatio: 0.2 } },
  ],
  ['seed 004: network', ['--replicas', '3', '--name', 'my-web', '--network', 'my-network', 'nginx'], { Name: 'my-web', TaskTemplate: { ContainerSpec: { Image: 'nginx' }, Networks: [{ Target: 'my-network' }] }, Mode: { Replicated: { Replicas: 3 } } }],
  [
    'network long syntax, sorted',
    ['--name', 'n', '--network', 'name=zeta,alias=web,alias=www', '--network', 'alpha', 'nginx'],
    { Name: 'n', TaskTemplate: { ContainerSpec: { Image: 'nginx' }, Networks: [{ Target: 'alpha' }, { Target: 'zeta', Aliases: ['web', 'www'] }] }, Mode: { Replicated: {} } },
  ],
  [
    'host-mode port, long syntax',
    ['--name', 'h', '--publish', 'published=8080,target=80,mode=host,protocol=udp', 'nginx'],
    { Name: 'h', TaskTemplate: image('nginx'), Mode: { Replicated: {} }, EndpointSpec: { Ports: [{ Protocol: 'udp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'host' }] } },
  ],
  [
    'port ranges and an unpublished port',
    ['--name', 'p', '-p', '8000-8001:80-81', '-p', '9000-9001:90', '-p', '443', 'nginx'],
    {
      Name: 'p',
      TaskTemplate: image('nginx'),
      Mode: { Replicated: {} },
      EndpointSpec: {
        Ports: [
          { Protocol: 'tcp', TargetPort: 80, PublishedPort: 8000, PublishMode: 'ingress' },
          { Protocol: 'tcp', TargetPort: 81, PublishedPort: 8001, PublishMode: 'ingress' },
          { Protocol: 'tcp', TargetPort: 90, PublishedPort: 9000, PublishMode: 'ingress' },
          { Protocol: 'tcp', TargetPort: 90, PublishedPort: 9001, PublishMode: 'ingress' },
          { Protocol: 'tcp', TargetPort: 443, PublishMode: 'ingress' },
        ],
      },
    },
  ],
  ['global mode', ['--mode', 'global', '--name', 'agent', 'agent:1'], { Name: 'agent', TaskTemplate: image('agent:1'), Mode: { Global: {} } }],
  ['replicated job', ['--mode', 'replicated-job', '--replicas', '5', '--max-concurrent', '2', '--name', 'j', 'busybox', 'true'], { Name: 'j', TaskTemplate: { ContainerSpec: { Image: 'busybox', Args: ['true'] } }, Mode: { ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 5 } } }],
  ['replicated job: concurrency defaults to replicas', ['--mode', 'replicated-job', '--replicas', '3', '--name', 'j', 'busybox'], { Name: 'j', TaskTemplate: image('busybox'), Mode: { ReplicatedJob: { MaxConcurrent: 3, TotalCompletions: 3 } } }],
  ['global job', ['--mode', 'global-job', '--name', 'g', 'busybox'], { Name: 'g', TaskTemplate: image('busybox'), Mode: { GlobalJob: {} } }],
  [
    'resources',
    ['--name', 'r', '--limit-cpu', '0.5', '--limit-memory', '512m', '--reserve-cpu', '1/4', '--reserve-memory', '128MiB', 'nginx'],
    { Name: 'r', TaskTemplate: { ContainerSpec: { Image: 'nginx' }, Resources: { Limits: { NanoCPUs: 5e8, MemoryBytes: 512 * 1024 ** 2 }, Reservations: { NanoCPUs: 2.5e8, MemoryBytes: 128 * 1024 ** 2 } } }, Mode: { Replicated: {} } },
  ],
  [
    'seed 001 stack: restart policy',
    ['--name', 'a', '--restart-condition', 'on-failure', '--restart-delay', '5s', '--restart-max-attempts', '3', '--restart-window', '30s', 'alone:1.0'],
    { Name: 'a', TaskTemplate: { ContainerSpec: { Image: 'alone:1.0' }, RestartPolicy: { Condition: 'on-failure', Delay: 5e9, MaxAttempts: 3, Window: 30e9 } }, Mode: { Replicated: {} } },
  ],
  [
    'health check',
    ['--name', 'h', '--health-cmd', 'curl -f http://localhost/', '--health-interval', '5s', '--health-retries', '3', 'nginx'],
    { Name: 'h', TaskTemplate: { ContainerSpec: { Image: 'nginx', Healthcheck: { Test: ['CMD-SHELL', 'curl -f http://localhost/'], Interval: 5e9, Timeout: 0, Retries: 3, StartPeriod: 0 } } }, Mode: { Replicated: {} } },
  ],
  ['no health check', ['--name', 'h', '--no-healthcheck', 'nginx'], { Name: 'h', TaskTemplate: { ContainerSpec: { Image: 'nginx', Healthcheck: { Test: ['NONE'] } } }, Mode: { Replicated: {} } }],
  [
    'labels, container labels, env, workdir, user, signal, grace',
    ['--name', 'l', '-l', 'tier=web', '--label', 'team', '--container-label', 'a=b', '-e', 'A=1', '--env', 'A=2', '-w', '/app', '-u', '1000:1000', '--stop-signal', 'SIGTERM', '--stop-grace-period', '30s', '--hostname', 'box', 'nginx'],
    {
      Name: 'l',
      Labels: { tier: 'web', team: '' },
      TaskTemplate: { ContainerSpec: { Image: 'nginx', Labels: { a: 'b' }, Env: ['A=2'], Dir: '/app', User: '1000:1000', Hostname: 'box', StopSignal: 'SIGTERM', StopGracePeriod: 30e9 } },
      Mode: { Replicated: {} },
    },
  ],
  [
    'secrets, short and long',
    ['--name', 's', '--secret', 'db_pass', '--secret', 'source=tls_key,target=server.key,uid=33,gid=33,mode=0400', 'nginx'],
    {
      Name: 's',
      TaskTemplate: {
        ContainerSpec: {
          Image: 'nginx',
          Secrets: [
            { SecretName: 'db_pass', File: { Name: 'db_pass', UID: '0', GID: '0', Mode: 0o444 } },
            { SecretName: 'tls_key', File: { Name: 'server.key', UID: '33', GID: '33', Mode: 0o400 } },
          ],
        },
      },
      Mode: { Replicated: {} },
    },
  ],
  [
    'entrypoint, command and args',
    ['--name', 'e', '--entrypoint', '/bin/sh -c', 'busybox', 'echo hello; sleep 3600'],
    { Name: 'e', TaskTemplate: { ContainerSpec: { Image: 'busybox', Command: ['/bin/sh', '-c'], Args: ['echo hello; sleep 3600'] } }, Mode: { Replicated: {} } },
  ],
  [
    'placement preference and max per node',
    ['--name', 'p', '--placement-pref', 'spread=node.labels.zone', '--replicas-max-per-node', '2', '--constraint', 'node.role==worker', 'nginx'],
    { Name: 'p', TaskTemplate: { ContainerSpec: { Image: 'nginx' }, Placement: { Constraints: ['node.role==worker'], Preferences: [{ Spread: { SpreadDescriptor: 'node.labels.zone' } }], MaxReplicas: 2 } }, Mode: { Replicated: {} } },
  ],
  ['update order, monitor and ratio; tty, read-only, init', ['--name', 'u', '--update-order', 'start-first', '--update-monitor', '1m30s', '--update-max-failure-ratio', '0.25', '-t', '--read-only', '--init', 'nginx'], { Name: 'u', TaskTemplate: { ContainerSpec: { Image: 'nginx', TTY: true, ReadOnly: true, Init: true } }, Mode: { Replicated: {} }, UpdateConfig: { Order: 'start-first', Monitor: 90e9, MaxFailureRatio: 0.25 } }],
  ['replicas in hexadecimal, as ParseUint base 0 reads them', ['--name', 'x', '--replicas', '0x10', 'nginx'], { Name: 'x', TaskTemplate: image('nginx'), Mode: { Replicated: { Replicas: 16 } } }],
];

for (const [title, argv, expected] of golden) {
  test(`create spec: ${title}`, (t) => {
    const spec = create(argv);
    t.deepEqual(spec, expected);
    const decoded = decodeServiceSpec(withReferenceIds(spec));
    t.true(decoded.ok, decoded.ok ? '' : JSON.stringify(decoded.issue));
  });
}

test('create spec: -e KEY takes the value from the client environment; later values of a key win', (t) => {
  const spec = create(['--name', 'e', '-e', 'HOME', '-e', 'A=1', '-e', 'MISSING', '-e', 'A=2', 'nginx'], { HOME: '/root' });
  t.deepEqual(spec.TaskTemplate.ContainerSpec.Env, ['HOME=/root', 'MISSING', 'A=2']);
});

test('create spec: the manager fills Docker defaults into the minimal spec', (t) => {
  const decoded = decodeServiceSpec(create(['--name', 'web', 'nginx']));
  if (!decoded.ok) return t.fail(JSON.stringify(decoded.issue));
  const s = decoded.value;
  t.deepEqual(s.Mode, { Replicated: { Replicas: 1 } });
  t.deepEqual(s.UpdateConfig, { Parallelism: 1, Delay: 0, FailureAction: 'pause', Monitor: 5e9, MaxFailureRatio: 0, Order: 'stop-first' });
  t.deepEqual(s.TaskTemplate.RestartPolicy, { Condition: 'any', Delay: 5e9, MaxAttempts: 0, Window: 0 });
  t.is(s.TaskTemplate.ContainerSpec.StopGracePeriod, 10e9);
  t.is(s.EndpointSpec.Mode, 'vip');
});

const usageErrors: [string[], string][] = [
  [['--replicas', 'x', 'nginx'], 'invalid argument "x" for "--replicas" flag: strconv.ParseUint: parsing "x": invalid syntax'],
  [['--replicas', '-1', 'nginx'], 'invalid argument "-1" for "--replicas" flag: strconv.ParseUint: parsing "-1": invalid syntax'],
  [['--update-parallelism', '1.5', 'nginx'], 'invalid argument "1.5" for "--update-parallelism" flag: strconv.ParseUint: parsing "1.5": invalid syntax'],
  [['--update-delay', 'abc', 'nginx'], 'invalid argument "abc" for "--update-delay" flag: time: invalid duration "abc"'],
  [['--restart-window', '10', 'nginx'], 'invalid argument "10" for "--restart-window" flag: time: missing unit in duration "10"'],
  [['--health-interval', '-1s', 'nginx'], 'invalid argument "-1s" for "--health-interval" flag: duration cannot be negative'],
  [['--update-max-failure-ratio', 'x', 'nginx'], 'invalid argument "x" for "--update-max-failure-ratio" flag: strconv.ParseFloat: parsing "x": invalid syntax'],
  [['--limit-cpu', 'abc', 'nginx'], 'invalid argument "abc" for "--limit-cpu" flag: failed to parse abc as a rational number'],
  [['--limit-memory', '12x', 'nginx'], `invalid argument "12x" for "--limit-memory" flag: invalid suffix: 'x'`],
  [['-e', '=x', 'nginx'], 'invalid argument "=x" for "-e, --env" flag: invalid environment variable: =x'],
  [['-l', '=x', 'nginx'], `invalid argument "=x" for "-l, --label" flag: invalid label '=x': empty name`],
  [['-p', 'abc', 'nginx'], 'invalid argument "abc" for "-p, --publish" flag: invalid containerPort: abc'],
  [['-p', '70000:80', 'nginx'], 'invalid argument "70000:80" for "-p, --publish" flag: invalid hostPort: 70000'],
  [['-p', '127.0.0.1:80:80', 'nginx'], 'invalid argument "127.0.0.1:80:80" for "-p, --publish" flag: hostip is not supported'],
  [['-p', '80-81:90-93', 'nginx'], 'invalid argument "80-81:90-93" for "-p, --publish" flag: invalid ranges specified for container and host Ports: 90-93 and 80-81'],
  [['-p', 'published=8080', 'nginx'], 'invalid argument "published=8080" for "-p, --publish" flag: missing mandatory field "target"'],
  [['-p', 'target=80,mode=bridge', 'nginx'], 'invalid argument "target=80,mode=bridge" for "-p, --publish" flag: invalid publish mode value bridge'],
  [['-p', 'target=80,port=1', 'nginx'], 'invalid argument "target=80,port=1" for "-p, --publish" flag: invalid field key port'],
  [['--mount', 'type=bind', 'nginx'], 'invalid argument "type=bind" for "--mount" flag: target is required'],
  [['--mount', 'src=a,dst=/b,foo=bar', 'nginx'], `invalid argument "src=a,dst=/b,foo=bar" for "--mount" flag: unexpected key 'foo' in 'foo=bar'`],
  [['--mount', 'dst=/b,readonly=maybe', 'nginx'], 'invalid argument "dst=/b,readonly=maybe" for "--mount" flag: invalid value for readonly: maybe'],
  [['--secret', 'source=a,color=red', 'nginx'], 'invalid argument "source=a,color=red" for "--secret" flag: invalid field in secret request: color'],
  [['--secret', 'target=x', 'nginx'], 'invalid argument "target=x" for "--secret" flag: source is required'],
  [['--placement-pref', 'pack=node.labels.zone', 'nginx'], 'invalid argument "pack=node.labels.zone" for "--placement-pref" flag: unsupported placement preference pack (only spread is supported)'],
  [['--placement-pref', 'spread', 'nginx'], 'invalid argument "spread" for "--placement-pref" flag: placement preference must be of the format "<strategy>=<arg>"'],
  [['--entrypoint', "sh -c 'oops", 'nginx'], `invalid argument "sh -c 'oops" for "--entrypoint" flag: EOF found when expecting closing quote`],
  [['--health-retries', 'x', 'nginx'], 'invalid argument "x" for "--health-retries" flag: strconv.ParseInt: parsing "x": invalid syntax'],
];

for (const [argv, message] of usageErrors) {
  test(`create spec usage error: ${argv.slice(0, 2).join(' ')}`, (t) => {
    const err = t.throws(() => create(argv));
    t.true(err instanceof UsageError, String(err));
    t.is(err?.message, message);
  });
}

const conflicts: [string[], string][] = [
  [['--mode', 'global', '--replicas', '3', 'nginx'], 'replicas can only be used with replicated or replicated-job mode'],
  [['--mode', 'global', '--replicas-max-per-node', '1', 'nginx'], 'replicas-max-per-node can only be used with replicated or replicated-job mode'],
  [['--max-concurrent', '2', 'nginx'], 'max-concurrent can only be used with replicated-job mode'],
  [['--mode', 'bogus', 'nginx'], 'Unknown mode: bogus, only replicated and global supported'],
  [['--mode', 'replicated-job', '--update-delay', '1s', 'nginx'], 'update and rollback configuration is not supported for jobs'],
  [['--no-healthcheck', '--health-cmd', 'true', 'nginx'], '--no-healthcheck conflicts with --health-* options'],
  [['--secret', 'a', '--secret', 'source=b,target=a', 'nginx'], 'duplicate secret target for b not allowed'],
];

for (const [argv, message] of conflicts) {
  test(`create spec conflict: ${message}`, (t) => {
    const err = t.throws(() => create(argv));
    t.true(err instanceof ExitError, String(err));
    t.is((err as ExitError).status, 1);
    t.is(err?.message, message);
  });
}
