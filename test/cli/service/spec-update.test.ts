// `service update` flags applied to a stored spec: docker's --X-add/--X-rm
// semantics, plain replacements, --force, --rollback alone, and errors.
import test from 'ava';
import { ExitError } from '../../../src/cli/framework/command.js';
import { Flags, parseFlags, UsageError } from '../../../src/cli/framework/flags.js';
import { checkRollbackAlone, updateSpecFromFlags } from '../../../src/cli/commands/service/spec-update.js';
import { UPDATE_FLAGS } from '../../../src/cli/commands/service/service-flags.js';
import { parseServiceSpec } from '../../../src/api/service-validate.js';
import type { ServiceSpec } from '../../../src/api/service-spec.js';

const base: ServiceSpec = parseServiceSpec({
  Name: 'web',
  Labels: { tier: 'front', old: 'x' },
  TaskTemplate: {
    ContainerSpec: {
      Image: 'nginx:1.24',
      Env: ['A=1', 'B=2', 'C=3'],
      Labels: { keep: 'y' },
      Mounts: [
        { Type: 'volume', Source: 'logs', Target: '/var/log' },
        { Type: 'bind', Source: '/srv', Target: '/srv' },
      ],
      Secrets: [{ SecretID: 's1', SecretName: 'db', File: { Name: 'db' } }],
    },
    Placement: { Constraints: ['node.role==worker', 'node.labels.zone==a'] },
    Networks: [{ Target: 'net-a' }],
  },
  Mode: { Replicated: { Replicas: 3 } },
  EndpointSpec: { Ports: [{ TargetPort: 80, PublishedPort: 8080 }, { TargetPort: 443, PublishedPort: 8443 }] },
});

function update(argv: string[], spec: ServiceSpec = base, env: Record<string, string> = {}): ServiceSpec {
  const parsed = parseFlags(UPDATE_FLAGS, argv);
  return updateSpecFromFlags(spec, new Flags(parsed.flags), env);
}

test('no flags: the spec is unchanged', (t) => {
  t.deepEqual(update([]), base);
});

test('seed 000: --image replaces the image only', (t) => {
  const s = update(['--image', 'nginx:1.25']);
  t.is(s.TaskTemplate.ContainerSpec.Image, 'nginx:1.25');
  t.deepEqual({ ...s, TaskTemplate: { ...s.TaskTemplate, ContainerSpec: { ...s.TaskTemplate.ContainerSpec, Image: 'nginx:1.24' } } }, base);
});

test('seed 000: --replicas 6 --image --update-parallelism 3 --update-delay 1m', (t) => {
  const s = update(['--replicas', '6', '--image', 'nginx:3.0', '--update-parallelism', '3', '--update-delay', '1m']);
  t.deepEqual(s.Mode, { Replicated: { Replicas: 6 } });
  t.deepEqual(s.UpdateConfig, { Parallelism: 3, Delay: 60e9, FailureAction: 'pause', Monitor: 5e9, MaxFailureRatio: 0, Order: 'stop-first' });
  t.deepEqual(s.RollbackConfig, base.RollbackConfig);
});

test('--env-add replaces by key in place and appends new keys; --env-rm removes by key', (t) => {
  t.deepEqual(update(['--env-add', 'B=20', '--env-add', 'D=4', '--env-rm', 'A']).TaskTemplate.ContainerSpec.Env, ['B=20', 'C=3', 'D=4']);
  t.deepEqual(update(['--env-add', 'HOME'], base, { HOME: '/root' }).TaskTemplate.ContainerSpec.Env, ['A=1', 'B=2', 'C=3', 'HOME=/root']);
});

test('--label-add/--label-rm and --container-label-add/--container-label-rm edit the maps', (t) => {
  const s = update(['--label-add', 'tier=back', '--label-add', 'new', '--label-rm', 'old', '--container-label-add', 'c=1', '--container-label-rm', 'keep']);
  t.deepEqual(s.Labels, { tier: 'back', new: '' });
  t.deepEqual(s.TaskTemplate.ContainerSpec.Labels, { c: '1' });
});

test('--constraint-add/--constraint-rm: removals, additions, sorted', (t) => {
  const s = update(['--constraint-add', 'node.hostname!=n3', '--constraint-rm', 'node.role==worker']);
  t.deepEqual(s.TaskTemplate.Placement.Constraints, ['node.hostname!=n3', 'node.labels.zone==a']);
});

test('--publish-add keeps existing ports and sorts (as text, like docker); --publish-rm removes by target port', (t) => {
  const s = update(['--publish-add', '80:80', '--publish-rm', '443']);
  t.deepEqual(s.EndpointSpec.Ports, [
    { Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' },
    { Protocol: 'tcp', TargetPort: 80, PublishedPort: 80, PublishMode: 'ingress' },
  ]);
  t.deepEqual(update(['--publish-add', '8080:80']).EndpointSpec.Ports, base.EndpointSpec.Ports, 'an existing port is not added twice');
});

test('seed 002: --publish-add 80:80 on a service without ports', (t) => {
  const s = update(['--publish-add', '80:80'], { ...base, EndpointSpec: { Mode: 'vip', Ports: [] } });
  t.deepEqual(s.EndpointSpec.Ports, [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 80, PublishMode: 'ingress' }]);
});

test('--mount-add replaces a mount with the same target; --mount-rm removes by target; sorted by source', (t) => {
  const s = update(['--mount-add', 'type=volume,src=applogs,dst=/var/log', '--mount-add', 'type=tmpfs,dst=/tmp', '--mount-rm', '/srv']);
  t.deepEqual(s.TaskTemplate.ContainerSpec.Mounts, [
    { Type: 'tmpfs', Target: '/tmp' },
    { Type: 'volume', Source: 'applogs', Target: '/var/log' },
  ]);
  const err = t.throws(() => update(['--mount-add', 'dst=/a', '--mount-add', 'dst=/a']));
  t.is(err?.message, 'duplicate mount target');
});

test('--secret-add/--secret-rm by name; new references carry the name for the manager to resolve', (t) => {
  const s = update(['--secret-rm', 'db', '--secret-add', 'source=api_key,target=key']);
  t.deepEqual(s.TaskTemplate.ContainerSpec.Secrets, [{ SecretID: '', SecretName: 'api_key', File: { Name: 'key', UID: '0', GID: '0', Mode: 0o444 } }]);
});

test('--network-add/--network-rm, sorted by target; adding an attached network is refused', (t) => {
  t.deepEqual(update(['--network-add', 'net-0', '--network-rm', 'net-a']).TaskTemplate.Networks, [{ Target: 'net-0' }]);
  t.deepEqual(update(['--network-add', 'name=net-b,alias=api']).TaskTemplate.Networks, [{ Target: 'net-a' }, { Target: 'net-b', Aliases: ['api'] }]);
  const err = t.throws(() => update(['--network-add', 'net-a']));
  t.is(err?.message, 'service is already attached to network net-a');
});

test('--force bumps ForceUpdate; --args replaces the arguments (shell words)', (t) => {
  const s = update(['--force', '--args', 'nginx -g "daemon off;"']);
  t.is(s.TaskTemplate.ForceUpdate, base.TaskTemplate.ForceUpdate + 1);
  t.deepEqual(s.TaskTemplate.ContainerSpec.Args, ['nginx', '-g', 'daemon off;']);
});

test('resources, restart policy, health check and rollback config update only what is given', (t) => {
  const s = update(['--limit-memory', '1g', '--restart-condition', 'none', '--health-cmd', 'true', '--rollback-parallelism', '0', '--endpoint-mode', 'DNSRR', '--publish-rm', '80', '--publish-rm', '443']);
  t.deepEqual(s.TaskTemplate.Resources.Limits, { NanoCPUs: 0, MemoryBytes: 1024 ** 3 });
  t.deepEqual(s.TaskTemplate.RestartPolicy, { ...base.TaskTemplate.RestartPolicy, Condition: 'none' });
  t.deepEqual(s.TaskTemplate.ContainerSpec.Healthcheck, { Test: ['CMD-SHELL', 'true'], Interval: 0, Timeout: 0, Retries: 0, StartPeriod: 0 });
  t.is(s.RollbackConfig?.Parallelism, 0);
  t.is(s.EndpointSpec.Mode, 'dnsrr');
  t.deepEqual(s.EndpointSpec.Ports, []);
  const none = update(['--no-healthcheck'], s);
  t.deepEqual(none.TaskTemplate.ContainerSpec.Healthcheck?.Test, ['NONE']);
  t.deepEqual(update(['--health-retries', '2'], none).TaskTemplate.ContainerSpec.Healthcheck?.Test, [], 'a setting after NONE drops NONE');
});

test('--workdir "" clears the field, as docker updateString does', (t) => {
  const withDir = update(['-w', '/app']);
  t.is(withDir.TaskTemplate.ContainerSpec.Dir, '/app');
  t.false('Dir' in update(['--workdir', ''], withDir).TaskTemplate.ContainerSpec);
});

test('--replicas on a global service: docker refuses it', (t) => {
  const global = { ...base, Mode: { Global: {} } } as ServiceSpec;
  const err = t.throws(() => update(['--replicas', '2'], global));
  t.true(err instanceof ExitError);
  t.is(err?.message, 'replicas can only be used with replicated mode');
});

test('--rollback may only come with -d and -q', (t) => {
  const flags = (argv: string[]) => new Flags(parseFlags(UPDATE_FLAGS, argv).flags);
  t.notThrows(() => checkRollbackAlone(flags(['--rollback', '-d', '-q'])));
  const err = t.throws(() => checkRollbackAlone(flags(['--rollback', '--image', 'x'])));
  t.is(err?.message, 'other flags may not be combined with --rollback');
});

test('bad values are usage errors in pflag words', (t) => {
  const err = t.throws(() => update(['--replicas', 'many']));
  t.true(err instanceof UsageError);
  t.is(err?.message, 'invalid argument "many" for "--replicas" flag: strconv.ParseUint: parsing "many": invalid syntax');
  t.is(t.throws(() => update(['--publish-add', 'x:80']))?.message, 'invalid argument "x:80" for "--publish-add" flag: invalid hostPort: x');
});

test('every updated spec still passes the manager rules', (t) => {
  const s = update(['--image', 'nginx:1.25', '--env-add', 'X=1', '--constraint-add', 'node.labels.disk==ssd', '--publish-add', 'published=9000,target=90,protocol=udp', '--update-order', 'start-first']);
  t.notThrows(() => parseServiceSpec(s));
});
