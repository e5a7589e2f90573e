// Golden output of `service inspect --pretty`: docker/cli's template (the
// fields of its service-inspect-pretty.golden shoal has), then the history.
import test from 'ava';
import { dockerPretty, renderPretty, specChanges, specHistoryLines } from '../../../src/cli/commands/service/inspect-pretty.js';
import { updateServiceSpec } from '../../../src/api/service.js';
import { parseServiceSpec } from '../../../src/api/service-validate.js';
import { service, T0, SECOND_MS } from './fixtures.js';

const now = { nowMs: T0 + 90 * SECOND_MS };

test('pretty: the fields of docker/cli service-inspect-pretty.golden', (t) => {
  const svc = service(1, {
    Name: 'my_service',
    Labels: { 'com.label': 'foo' },
    TaskTemplate: {
      ContainerSpec: {
        Image: 'foo/bar@sha256:' + 'c'.repeat(64),
        Configs: [{ ConfigID: 'mtc3i44r1awdoziy2iceg73z8', ConfigName: 'configtest.conf', File: { Name: '/configtest.conf' } }],
        Secrets: [{ SecretID: '3hv39ehbbb4hdozo7spod9ftn', SecretName: 'secrettest.conf', File: { Name: '/secrettest.conf' } }],
        Healthcheck: { Test: ['CMD-SHELL', 'curl'], Interval: 4e6, Retries: 3, StartPeriod: 2e6, Timeout: 1e6 },
      },
      Resources: { Limits: { NanoCPUs: 100e9, MemoryBytes: 10490000 } },
      Networks: [{ Target: '5vpyomhb6ievnk0i0o60gcnei', Aliases: ['web'] }],
    },
    Mode: { Replicated: { Replicas: 2 } },
    EndpointSpec: { Ports: [{ TargetPort: 5000 }] },
  });
  const withEndpoint = { ...svc, Endpoint: { Spec: svc.Spec.EndpointSpec, Ports: [{ Protocol: 'tcp' as const, TargetPort: 5000, PublishedPort: 30000, PublishMode: 'ingress' as const }] } };
  t.is(
    dockerPretty(withEndpoint, { ...now, networkNames: new Map([['5vpyomhb6ievnk0i0o60gcnei', 'mynetwork']]) }),
    [
      '',
      `ID:\t\t${svc.ID}`,
      'Name:\t\tmy_service',
      'Labels:',
      ' com.label=foo',
      'Service Mode:\tReplicated',
      ' Replicas:\t2',
      'Placement:',
      'UpdateConfig:',
      ' Parallelism:\t1',
      ' On failure:\tpause',
      ' Monitoring Period: 5s',
      ' Max failure ratio: 0',
      ' Update order:      stop-first',
      'RollbackConfig:',
      ' Parallelism:\t1',
      ' On failure:\tpause',
      ' Monitoring Period: 5s',
      ' Max failure ratio: 0',
      ' Rollback order:    stop-first',
      'ContainerSpec:',
      ` Image:\t\tfoo/bar@sha256:${'c'.repeat(64)}`,
      'Configs:',
      ' Target:\t/configtest.conf',
      '  Source:\tconfigtest.conf',
      'Secrets:',
      ' Target:\t/secrettest.conf',
      '  Source:\tsecrettest.conf',
      'Resources:',
      ' Limits:',
      '  CPU:\t\t100',
      '  Memory:\t10MiB',
      'Networks: mynetwork ',
      'Endpoint Mode:\tvip',
      'Ports:',
      ' PublishedPort = 30000',
      '  Protocol = tcp',
      '  TargetPort = 5000',
      '  PublishMode = ingress ',
      ' Healthcheck:',
      '  Interval = 4ms',
      '  Retries = 3',
      '  StartPeriod =\t2ms',
      '  Timeout =\t1ms',
      '  Tests:',
      '\t Test = CMD-SHELL',
      '\t Test = curl ',
      '',
    ].join('\n'),
  );
});

test('pretty: update status, placement, delays, container details, reservations, global mode', (t) => {
  const svc = service(2, {
    Name: 'agent',
    TaskTemplate: {
      ContainerSpec: { Image: 'agent:2', Args: ['--verbose', '-p'], Env: ['A=1', 'B=2'], Dir: '/work', User: 'nobody', Init: true, Mounts: [{ Type: 'bind', Source: '/var/run', Target: '/run', ReadOnly: true }] },
      Placement: { Constraints: ['node.role==worker', 'node.labels.zone==a'], Preferences: [{ Spread: { SpreadDescriptor: 'node.labels.rack' } }] },
      Resources: { Reservations: { NanoCPUs: 5e8, MemoryBytes: 256 * 1024 ** 2 } },
    },
    Mode: { Global: {} },
    UpdateConfig: { Delay: 10e9, Monitor: 0, MaxFailureRatio: 0.2, FailureAction: 'rollback', Parallelism: 2, Order: 'start-first' },
  });
  const withStatus = { ...svc, UpdateStatus: { State: 'completed' as const, StartedAt: '2020-06-20T05:57:47Z', CompletedAt: '2020-06-20T05:58:27Z', Message: 'update completed' } };
  const text = dockerPretty(withStatus, now);
  t.true(
    text.startsWith(
      [
        '',
        `ID:\t\t${svc.ID}`,
        'Name:\t\tagent',
        'Service Mode:\tGlobal',
        'UpdateStatus:',
        ' State:\t\tcompleted',
        ' Started:\tAbout a minute ago',
        ' Completed:\t20 seconds ago',
        ' Message:\tupdate completed',
        'Placement:',
        ' Constraints:\t[node.role==worker node.labels.zone==a]',
        ' Preferences:   [spread=node.labels.rack]',
        'UpdateConfig:',
        ' Parallelism:\t2',
        ' Delay:\t\t10s',
        ' On failure:\trollback',
        ' Max failure ratio: 0.2',
        ' Update order:      start-first',
      ].join('\n'),
    ),
    text,
  );
  t.true(
    text.includes(
      [
        'ContainerSpec:',
        ' Image:\t\tagent:2',
        ' Args:\t\t--verbose -p ',
        ' Env:\t\tA=1 B=2 ',
        ' Dir:\t\t/work',
        ' Init:\t\ttrue',
        ' User: nobody',
        'Mounts:',
        ' Target:\t/run',
        '  Source:\t/var/run',
        '  ReadOnly:\ttrue',
        '  Type:\t\tbind',
        'Resources:',
        ' Reservations:',
        '  CPU:\t\t0.5',
        '  Memory:\t256MiB',
        'Endpoint Mode:\tvip',
        '',
      ].join('\n'),
    ),
    text,
  );
});

test('pretty: shoal adds the kept spec versions and what changed between them', (t) => {
  const v0 = service(3, { Name: 'web', TaskTemplate: { ContainerSpec: { Image: 'nginx:1.24' } }, Mode: { Replicated: { Replicas: 3 } } });
  const v1 = updateServiceSpec({ ...v0, Version: { Index: 15 } }, parseServiceSpec({ Name: 'web', TaskTemplate: { ContainerSpec: { Image: 'nginx:1.25', Env: ['A=1'] } }, Mode: { Replicated: { Replicas: 6 } } }), T0 + 30 * SECOND_MS);
  const v2 = updateServiceSpec({ ...v1, Version: { Index: 21 } }, v1.Spec, T0 + 60 * SECOND_MS);
  t.is(
    specHistoryLines(v2, now.nowMs),
    [
      'Spec History:',
      ' Version 0:\tcreated About a minute ago',
      ' Version 15 (previous):\tapplied 1 minute ago'.replace('1 minute', 'About a minute'),
      '  Mode.Replicated.Replicas: 3 -> 6',
      '  ContainerSpec.Env: (none) -> ["A=1"]',
      '  ContainerSpec.Image: nginx:1.24 -> nginx:1.25',
      ' Version 21 (current):\tapplied 30 seconds ago',
      '  (no change)',
      '',
    ].join('\n'),
  );
  t.deepEqual(specChanges(v0.Spec, v0.Spec), []);
  const full = renderPretty(v2, now);
  t.true(full.endsWith('  (no change)\n\n'));
  t.true(full.startsWith(`\nID:\t\t${v0.ID}\nName:\t\tweb\nService Mode:\tReplicated\n Replicas:\t6\n`));
});
