// Golden output of `service ls` and `service ps` (the pure renderers).
import test from 'ava';
import { renderServiceList, portsText, serviceStatus } from '../../../src/cli/commands/service/ls-table.js';
import { renderTaskList } from '../../../src/cli/commands/service/ps-table.js';
import type { Service } from '../../../src/api/service.js';
import type { Task } from '../../../src/api/task.js';
import { replicated, resetTaskIds, service, task, T0, SECOND_MS } from './fixtures.js';

const N2 = 'node2000000000000000000000';
const N3 = 'node3000000000000000000000';
const nodeNames = new Map([
  [N2, 'docker-node02'],
  [N3, 'docker-node03'],
]);
const up = new Set([N2, N3]);

function ls(services: Service[], tasks: Task[], opts: { quiet?: boolean; format?: 'table' | 'json'; active?: Set<string> } = {}): string {
  return renderServiceList({ services, tasks, activeNodes: opts.active ?? up, quiet: opts.quiet ?? false, format: opts.format ?? 'table' });
}

test.beforeEach(() => resetTaskIds());

test.serial('ls: seed 002 after scaling, sorted by name', (t) => {
  const web = replicated(2, 'web', 'docker-registry.io/test/nginx:latest', 5);
  const myweb = replicated(1, 'myweb', 'docker-registry.io/test/nginx:latest', 3);
  const tasks = [
    ...[1, 2, 3].map((slot) => task(myweb, { slot, node: N2, state: 'running' })),
    ...[1, 2, 3, 4, 5].map((slot) => task(web, { slot, node: N3, state: 'running' })),
    task(web, { slot: 3, node: N2, state: 'shutdown', desired: 'shutdown' }),
  ];
  t.is(
    ls([web, myweb], tasks),
    [
      'ID             NAME      MODE         REPLICAS   IMAGE                                  PORTS',
      'svc100000000   myweb     replicated   3/3        docker-registry.io/test/nginx:latest   ',
      'svc200000000   web       replicated   5/5        docker-registry.io/test/nginx:latest   ',
      '',
    ].join('\n'),
  );
});

test.serial('ls: REPLICAS counts running tasks on nodes that are up; max per node; jobs; global', (t) => {
  const capped = replicated(1, 'capped', 'nginx:1.25', 4, { TaskTemplate: { ContainerSpec: { Image: 'nginx:1.25' }, Placement: { MaxReplicas: 2 } } });
  const job = service(2, { Name: 'job', TaskTemplate: { ContainerSpec: { Image: 'busybox' } }, Mode: { ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 5 } } });
  const gjob = service(3, { Name: 'gjob', TaskTemplate: { ContainerSpec: { Image: 'busybox' } }, Mode: { GlobalJob: {} } });
  const agent = service(4, { Name: 'agent', TaskTemplate: { ContainerSpec: { Image: 'agent@sha256:' + 'a'.repeat(64) } }, Mode: { Global: {} } });
  const jobTask = (svc: Service, o: Parameters<typeof task>[1]) => ({ ...task(svc, { ...o, desired: 'complete' }), JobIteration: { Index: 0 } });
  const tasks = [
    task(capped, { slot: 1, node: N2, state: 'running' }),
    task(capped, { slot: 2, node: 'gone', state: 'running' }),
    task(capped, { slot: 3, node: N3, state: 'starting' }),
    jobTask(job, { slot: 1, node: N2, state: 'complete' }),
    jobTask(job, { slot: 2, node: N2, state: 'complete' }),
    jobTask(job, { slot: 3, node: N3, state: 'running' }),
    jobTask(gjob, { node: N2, state: 'complete' }),
    jobTask(gjob, { node: N3, state: 'running' }),
    task(agent, { node: N2, state: 'running' }),
    task(agent, { node: N3, state: 'preparing' }),
  ];
  t.is(
    ls([capped, job, gjob, agent], tasks),
    [
      'ID             NAME      MODE             REPLICAS               IMAGE                                                                           PORTS',
      'svc400000000   agent     global           1/2                    agent@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa   ',
      'svc100000000   capped    replicated       1/4 (max 2 per node)   nginx:1.25                                                                      ',
      'svc300000000   gjob      global job       1/1 (1/2 completed)    busybox                                                                         ',
      'svc200000000   job       replicated job   1/2 (2/5 completed)    busybox                                                                         ',
      '',
    ].join('\n'),
  );
  t.deepEqual(serviceStatus(job, tasks, up), { running: 1, desired: 2, completed: 2 });
});

test.serial('ls: PORTS folds consecutive ingress ports into ranges, per protocol, without host-mode ports', (t) => {
  const svc = replicated(1, 'p', 'nginx', 1, {
    EndpointSpec: {
      Ports: [
        { TargetPort: 80, PublishedPort: 8080 },
        { TargetPort: 81, PublishedPort: 8081 },
        { TargetPort: 53, PublishedPort: 53, Protocol: 'udp' },
        { TargetPort: 90, PublishedPort: 9000 },
        { TargetPort: 90, PublishedPort: 9001 },
        { TargetPort: 22, PublishedPort: 2222, PublishMode: 'host' },
      ],
    },
  });
  t.is(portsText({ ...svc, Endpoint: { Spec: svc.Spec.EndpointSpec, Ports: svc.Spec.EndpointSpec.Ports } }), '*:8080-8081->80-81/tcp, *:9000-9001->90/tcp, *:53->53/udp');
  t.is(portsText(replicated(2, 'q', 'nginx', 1)), '');
});

test.serial('ls -q prints short ids; --format json one object per service, Go-escaped', (t) => {
  const web = replicated(1, 'web', 'nginx:1.25@sha256:' + 'b'.repeat(64), 2, { EndpointSpec: { Ports: [{ TargetPort: 80, PublishedPort: 8080 }] } });
  t.is(ls([web], [], { quiet: true }), 'svc100000000\n');
  t.is(ls([], [], { quiet: true }), '');
  t.is(ls([web], [task(web, { slot: 1, node: N2, state: 'running' })], { format: 'json' }), '{"ID":"svc100000000","Image":"nginx:1.25","Mode":"replicated","Name":"web","Ports":"*:8080-\\u003e80/tcp","Replicas":"1/2"}\n');
  t.is(ls([], []), 'ID        NAME      MODE      REPLICAS   IMAGE     PORTS\n');
});

function ps(tasks: Task[], services: Service[], opts: { trunc?: boolean; quiet?: boolean; format?: 'table' | 'json'; nowS?: number } = {}): string {
  return renderTaskList({
    tasks,
    serviceNames: new Map(services.map((s) => [s.ID, s.Spec.Name])),
    nodeNames,
    nowMs: T0 + (opts.nowS ?? 60) * SECOND_MS,
    trunc: opts.trunc ?? true,
    quiet: opts.quiet ?? false,
    format: opts.format ?? 'table',
  });
}

test.serial('ps: seed 003, a rolling update leaves the old task of each slot indented under the new one', (t) => {
  const v1 = replicated(1, 'redis', 'redis:3.0.6', 3);
  const v2 = { ...v1, Spec: { ...v1.Spec, TaskTemplate: { ...v1.Spec.TaskTemplate, ContainerSpec: { ...v1.Spec.TaskTemplate.ContainerSpec, Image: 'redis:3.0.7' } } }, SpecVersion: { Index: 20 } };
  const tasks = [
    task(v1, { slot: 1, node: N2, state: 'shutdown', desired: 'shutdown', created: 0, changed: 115 }),
    task(v1, { slot: 2, node: N2, state: 'shutdown', desired: 'shutdown', created: 0, changed: 66 }),
    task(v1, { slot: 3, node: N2, state: 'shutdown', desired: 'shutdown', created: 0, changed: 30 }),
    task(v2, { slot: 1, node: N2, state: 'running', created: 115, changed: 115 }),
    task(v2, { slot: 2, node: N2, state: 'running', created: 66, changed: 67 }),
    task(v2, { slot: 3, node: N2, state: 'running', created: 30, changed: 30 }),
  ];
  t.is(
    ps(tasks, [v2], { nowS: 120 }),
    [
      'ID             NAME          IMAGE         NODE            DESIRED STATE   CURRENT STATE                 ERROR     PORTS',
      'task40000000   redis.1       redis:3.0.7   docker-node02   Running         Running 5 seconds ago                   ',
      'task10000000    \\_ redis.1   redis:3.0.6   docker-node02   Shutdown        Shutdown 5 seconds ago                  ',
      'task50000000   redis.2       redis:3.0.7   docker-node02   Running         Running 53 seconds ago                  ',
      'task20000000    \\_ redis.2   redis:3.0.6   docker-node02   Shutdown        Shutdown 54 seconds ago                 ',
      'task60000000   redis.3       redis:3.0.7   docker-node02   Running         Running about a minute ago              ',
      'task30000000    \\_ redis.3   redis:3.0.6   docker-node02   Shutdown        Shutdown about a minute ago             ',
      '',
    ].join('\n'),
  );
});

test.serial('ps: a pending task shows the scheduler explanation, cut to 30 characters unless --no-trunc', (t) => {
  const web = replicated(1, 'web', 'nginx', 2);
  const pending = { ...task(web, { slot: 2, state: 'pending' }), PendingExplanation: { Summary: 'no suitable node (1 node not available for new tasks)', Rejections: [], CheckedAt: '' } };
  const failed = task(web, { slot: 1, node: N3, state: 'failed', desired: 'shutdown', err: 'task: non-zero exit (1)' });
  const running = task(web, { slot: 1, node: N3, state: 'running', created: 5 });
  const ports = { ...running, Status: { ...running.Status, PortStatus: { Ports: [{ Protocol: 'tcp' as const, TargetPort: 80, PublishedPort: 30000, PublishMode: 'host' as const }] } } };
  t.is(
    ps([pending, failed, ports], [web]),
    [
      'ID             NAME        IMAGE     NODE            DESIRED STATE   CURRENT STATE                ERROR                              PORTS',
      'task30000000   web.1       nginx     docker-node03   Running         Running 55 seconds ago                                          *:30000->80/tcp',
      'task20000000    \\_ web.1   nginx     docker-node03   Shutdown        Failed about a minute ago    "task: non-zero exit (1)"          ',
      'task10000000   web.2       nginx                     Running         Pending about a minute ago   "no suitable node (1 node not …"   ',
      '',
    ].join('\n'),
  );
  const full = ps([pending], [web], { trunc: false });
  t.true(full.includes('"no suitable node (1 node not available for new tasks)"'));
  t.true(full.includes(pending.ID));
});

test.serial('ps -q prints full ids, history included; --format json has no indentation', (t) => {
  const web = replicated(1, 'web', 'nginx:1.25', 1);
  const old = task(web, { slot: 1, node: N2, state: 'shutdown', desired: 'shutdown', created: 0 });
  const cur = task(web, { slot: 1, node: N2, state: 'running', created: 10 });
  t.is(ps([old, cur], [web], { quiet: true }), `${cur.ID}\n${old.ID}\n`);
  const json = ps([old, cur], [web], { format: 'json' }).trim().split('\n');
  t.is(json.length, 2);
  t.deepEqual(JSON.parse(json[1] ?? '{}'), { CurrentState: 'Shutdown about a minute ago', DesiredState: 'Shutdown', Error: '', ID: 'task10000000', Image: 'nginx:1.25', Name: 'web.1', Node: 'docker-node02', Ports: '' });
});

test.serial('ps: global tasks are named after the node id; an unknown node shows its id', (t) => {
  const agent = service(1, { Name: 'agent', TaskTemplate: { ContainerSpec: { Image: 'agent' } }, Mode: { Global: {} } });
  const out = ps([task(agent, { node: N2, state: 'running' }), task(agent, { node: 'nodeX', state: 'running' })], [agent]);
  t.true(out.includes(`agent.${N2}   agent     docker-node02`));
  t.true(out.includes('agent.nodeX '));
});
