// Each filter on its own, with swarmkit's words (manager/scheduler/filter.go
// Explain, pipeline.go Explain, scheduler.go noSuitableNode).
import test from 'ava';
import type { Node } from '../../../src/api/node.js';
import type { Service } from '../../../src/api/service.js';
import type { Task } from '../../../src/api/task.js';
import { explainFilter, FILTER_NAMES, noSuitableNode } from '../../../src/manager/scheduler/explain.js';
import { seededRng } from '../../../src/manager/scheduler/rng.js';
import { schedule } from '../../../src/manager/scheduler/schedule.js';
import { countByNode, GB, globalTask, node, NOW, pending, service, task } from './fixtures.js';

function run(nodes: Node[], tasks: Task[], services: Service[]) {
  return schedule({ nodes, tasks, services }, NOW, seededRng(1));
}

function placedOn(nodes: Node[], tasks: Task[], services: Service[]): string[] {
  return [...new Set(run(nodes, tasks, services).assignments.map((a) => a.nodeId))].sort();
}

test('explanations use swarmkit\'s words, singular and plural', (t) => {
  t.deepEqual(
    FILTER_NAMES.map((f) => explainFilter(f, 1)),
    [
      '1 node not available for new tasks',
      'insufficient resources on 1 node',
      'scheduling constraints not satisfied on 1 node',
      'unsupported platform on 1 node',
      'host-mode port already in use on 1 node',
      'max replicas per node limit exceed',
    ],
  );
  t.is(explainFilter('ready', 2), '2 nodes not available for new tasks');
  t.is(explainFilter('max-replicas', 3), 'max replicas per node limit exceed');
  t.is(noSuitableNode(''), 'no suitable node');
  t.is(noSuitableNode('insufficient resources on 2 nodes'), 'no suitable node (insufficient resources on 2 nodes)');
});

test('ready: only nodes that are ready and active take new tasks', (t) => {
  const web = service('web');
  const nodes = [node('up'), node('down', { state: 'down' }), node('paused', { availability: 'pause' }), node('drained', { availability: 'drain' }), node('gone', { state: 'disconnected' })];
  t.deepEqual(placedOn(nodes, pending(web, 5), [web]), ['up']);
  const plan = run(nodes.slice(1), pending(web, 2), [web]);
  t.is(plan.assignments.length, 0);
  t.is(plan.unschedulable.length, 2);
  const e = plan.unschedulable[0]?.explanation;
  t.is(e?.Summary, 'no suitable node (4 nodes not available for new tasks)');
  t.deepEqual(e?.Rejections, [{ Filter: 'ready', Nodes: 4 }]);
  t.is(e?.CheckedAt, '2026-11-22T00:00:00Z');
});

test('an empty cluster: "no suitable node" with nothing in parentheses', (t) => {
  const web = service('web');
  const plan = run([], pending(web, 1), [web]);
  t.is(plan.unschedulable[0]?.explanation.Summary, 'no suitable node');
  t.deepEqual(plan.unschedulable[0]?.explanation.Rejections, []);
});

test('resources: reservations must fit in what the node\'s tasks leave free', (t) => {
  const big = service('big', { cpus: 3, memory: 2 * GB });
  const nodes = [node('a', { cpus: 4 }), node('b', { cpus: 2 }), node('c', { cpus: 8, memory: 1 * GB })];
  t.deepEqual(placedOn(nodes, pending(big, 1), [big]), ['a']);
  // A running task reserving 2 CPUs on a leaves 2: not enough for 3.
  const hog = service('hog', { cpus: 2 });
  const running = task(hog, 1, { node: 'a', state: 'running' });
  const plan = run(nodes, [running, ...pending(big, 1)], [big, hog]);
  t.is(plan.unschedulable[0]?.explanation.Summary, 'no suitable node (insufficient resources on 3 nodes)');
  // A task that finished gives its reservation back.
  const done = task(hog, 1, { node: 'a', state: 'complete' });
  t.deepEqual(placedOn(nodes, [done, ...pending(big, 1)], [big, hog]), ['a']);
});

test('resources: a group fills a node only as far as it fits', (t) => {
  const svc = service('svc', { cpus: 1 });
  const plan = run([node('a', { cpus: 2 }), node('b', { cpus: 1 })], pending(svc, 5), [svc]);
  t.deepEqual(Object.fromEntries(countByNode(plan.assignments)), { a: 2, b: 1 });
  t.is(plan.unschedulable.length, 2);
  t.is(plan.unschedulable[0]?.explanation.Summary, 'no suitable node (insufficient resources on 2 nodes)');
});

test('constraints: every key, == and !=', (t) => {
  const nodes = [
    node('n1', { hostname: 'alpha', role: 'manager', labels: { zone: 'east', ssd: 'true' }, engineLabels: { provider: 'aws' }, addr: '10.0.0.5', os: 'linux', arch: 'x86_64' }),
    node('n2', { hostname: 'beta', role: 'worker', labels: { zone: 'west' }, engineLabels: { provider: 'gcp' }, addr: '10.0.1.5', os: 'windows', arch: 'arm64' }),
  ];
  const cases: Array<[string, string[]]> = [
    ['node.id==n2', ['n2']],
    ['node.hostname==ALPHA', ['n1']],
    ['node.hostname!=alpha', ['n2']],
    ['node.ip==10.0.1.0/24', ['n2']],
    ['node.ip==10.0.0.5', ['n1']],
    ['node.role==manager', ['n1']],
    ['node.role!=manager', ['n2']],
    ['node.platform.os==windows', ['n2']],
    ['node.platform.arch==x86_64', ['n1']],
    ['node.labels.zone==west', ['n2']],
    ['node.labels.ssd!=true', ['n2']],
    ['engine.labels.provider==aws', ['n1']],
  ];
  for (const [expr, want] of cases) {
    const svc = service('svc', { constraints: [expr] });
    t.deepEqual(placedOn(nodes, pending(svc, 4), [svc]), want, expr);
  }
  const none = service('none', { constraints: ['node.labels.zone==north'] });
  t.is(run(nodes, pending(none, 1), [none]).unschedulable[0]?.explanation.Summary, 'no suitable node (scheduling constraints not satisfied on 2 nodes)');
  const both = service('both', { constraints: ['node.role==worker', 'node.labels.zone==east'] });
  t.is(run(nodes, pending(both, 1), [both]).assignments.length, 0, 'all constraints must hold');
});

test('platform: one of the image\'s platforms, with x86_64/amd64 and aarch64/arm64 alike', (t) => {
  const nodes = [node('intel', { arch: 'x86_64' }), node('arm', { arch: 'aarch64' }), node('win', { os: 'windows', arch: 'amd64' })];
  const amd = service('amd', { platforms: [{ OS: 'linux', Architecture: 'amd64' }] });
  t.deepEqual(placedOn(nodes, pending(amd, 3), [amd]), ['intel']);
  const anyArch = service('any', { platforms: [{ OS: 'linux', Architecture: '' }] });
  t.deepEqual(placedOn(nodes, pending(anyArch, 4), [anyArch]), ['arm', 'intel']);
  const s390 = service('s390', { platforms: [{ OS: 'linux', Architecture: 's390x' }] });
  t.is(run(nodes, pending(s390, 1), [s390]).unschedulable[0]?.explanation.Summary, 'no suitable node (unsupported platform on 3 nodes)');
});

test('host ports: one task per node per published host-mode port', (t) => {
  const web = service('web', { hostPorts: [8080] });
  const nodes = [node('a'), node('b'), node('c')];
  const plan = run(nodes, pending(web, 5), [web]);
  t.deepEqual([...countByNode(plan.assignments).values()], [1, 1, 1]);
  t.is(plan.unschedulable.length, 2);
  t.is(plan.unschedulable[0]?.explanation.Summary, 'no suitable node (host-mode port already in use on 3 nodes)');
  // Another service holding the port on a node keeps it off that node; ingress ports do not count.
  const other = service('other', { hostPorts: [8080] });
  const mesh = service('mesh', { ingressPorts: [8080] });
  const tasks = [task(other, 1, { node: 'a', state: 'running' }), task(mesh, 1, { node: 'b', state: 'running' }), ...pending(web, 1)];
  for (let seed = 0; seed < 10; seed++) {
    const p = schedule({ nodes, tasks, services: [web, other, mesh] }, NOW, seededRng(seed));
    t.not(p.assignments[0]?.nodeId, 'a');
  }
});

test('max replicas per node: never more active tasks of the service than allowed', (t) => {
  const web = service('web', { maxReplicas: 2 });
  const nodes = [node('a'), node('b')];
  const plan = run(nodes, [task(web, 1, { node: 'a', state: 'running' }), ...pending(web, 5, 2)], [web]);
  t.deepEqual(Object.fromEntries(countByNode(plan.assignments)), { a: 1, b: 2 });
  t.is(plan.unschedulable.length, 2);
  t.is(plan.unschedulable[0]?.explanation.Summary, 'no suitable node (max replicas per node limit exceed)');
  t.deepEqual(plan.unschedulable[0]?.explanation.Rejections, [{ Filter: 'max-replicas', Nodes: 2 }]);
  // A task desired to shut down no longer counts.
  const leaving = task(web, 1, { node: 'a', state: 'running', desired: 'shutdown' });
  t.is(run(nodes, [leaving, ...pending(web, 4, 2)], [web]).assignments.length, 4);
});

test('several reasons: most rejected nodes first, joined with "; "', (t) => {
  const svc = service('svc', { constraints: ['node.labels.tier==db'], cpus: 2 });
  const nodes = [
    node('down1', { state: 'down' }),
    node('web1', { labels: { tier: 'web' } }),
    node('web2', { labels: { tier: 'web' } }),
    node('small', { labels: { tier: 'db' }, cpus: 1 }),
  ];
  const e = run(nodes, pending(svc, 1), [svc]).unschedulable[0]?.explanation;
  t.is(e?.Summary, 'no suitable node (scheduling constraints not satisfied on 2 nodes; 1 node not available for new tasks; insufficient resources on 1 node)');
  t.deepEqual(e?.Rejections, [
    { Filter: 'constraints', Nodes: 2 },
    { Filter: 'ready', Nodes: 1 },
    { Filter: 'resources', Nodes: 1 },
  ]);
});

test('only pending tasks that are still wanted are scheduled', (t) => {
  const web = service('web');
  const tasks = [
    task(web, 1, { state: 'new' }),
    task(web, 2, { desired: 'shutdown' }),
    task(web, 3, { desired: 'remove' }),
    task(web, 4, { desired: 'complete' }),
    task(web, 5, { desired: 'ready' }),
    task(web, 6),
  ];
  t.deepEqual(run([node('a')], tasks, [web]).assignments.map((a) => a.taskId), ['web.4', 'web.5', 'web.6']);
});

test('a task whose service is gone is placed if it fits, but never explained', (t) => {
  const web = service('web', { constraints: ['node.labels.x==y'] });
  t.deepEqual(run([node('a')], pending(web, 1), []), { assignments: [], unschedulable: [] });
  const free = service('free');
  t.deepEqual(run([node('a')], pending(free, 1), []).assignments.map((a) => a.nodeId), ['a']);
});

test('preassigned (global) tasks: confirmed on their node, or told why with swarmkit\'s bare words', (t) => {
  const agent = service('agent', { global: true, cpus: 2 });
  const nodes = [node('a'), node('b', { availability: 'drain' }), node('c', { cpus: 1 })];
  const plan = run(nodes, [globalTask(agent, 'a'), globalTask(agent, 'b'), globalTask(agent, 'c'), globalTask(agent, 'gone')], [agent]);
  t.deepEqual(plan.assignments, [{ taskId: 'agent.a', taskVersion: 1, nodeId: 'a', kind: 'confirmed' }]);
  t.deepEqual(
    plan.unschedulable.map((u) => [u.taskId, u.explanation.Summary]),
    [
      ['agent.b', '1 node not available for new tasks'],
      ['agent.c', 'insufficient resources on 1 node'],
    ],
  );
});

test('confirmed global tasks reserve their node before replicated tasks are placed', (t) => {
  const agent = service('agent', { global: true, cpus: 3 });
  const web = service('web', { cpus: 2 });
  const plan = run([node('a', { cpus: 4 }), node('b', { cpus: 4 })], [...pending(web, 2), globalTask(agent, 'a')], [agent, web]);
  t.deepEqual(Object.fromEntries(countByNode(plan.assignments)), { a: 1, b: 2 });
  t.deepEqual(plan.assignments.filter((a) => a.nodeId === 'a').map((a) => a.kind), ['confirmed']);
});
