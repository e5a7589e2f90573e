// Ranking: spread over nodes (fewest tasks of the service, then fewest in
// all), placement preferences as a tree, recent failures, seeded tie-breaks.
import test from 'ava';
import type { Node } from '../../../src/api/node.js';
import { timestampOf } from '../../../src/api/object-meta.js';
import type { Service } from '../../../src/api/service.js';
import type { Task } from '../../../src/api/task.js';
import { waterFill } from '../../../src/manager/scheduler/decision-tree.js';
import { seededRng } from '../../../src/manager/scheduler/rng.js';
import { schedule } from '../../../src/manager/scheduler/schedule.js';
import { countByNode, node, NOW, pending, service, task } from './fixtures.js';

function counts(nodes: Node[], tasks: Task[], services: Service[], seed = 1): Record<string, number> {
  const plan = schedule({ nodes, tasks, services }, NOW, seededRng(seed));
  return Object.fromEntries([...countByNode(plan.assignments)].sort(([a], [b]) => a.localeCompare(b)));
}

function sum(values: Iterable<number>): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

test('waterFill raises the emptiest branches first and gives the rest one each, earliest first', (t) => {
  t.deepEqual(waterFill([0, 0, 0], 7), [3, 2, 2]);
  t.deepEqual(waterFill([5, 0, 0], 4), [0, 2, 2]);
  t.deepEqual(waterFill([5, 0, 1], 4), [0, 3, 1]);
  t.deepEqual(waterFill([2, 2, 0], 3), [1, 0, 2]);
  t.deepEqual(waterFill([10, 0], 2), [0, 2]);
  t.deepEqual(waterFill([1, 1], 0), [0, 0]);
  t.deepEqual(waterFill([], 3), []);
  t.deepEqual(waterFill([3], 4), [4]);
});

test('spread: tasks of a service go to the nodes with the fewest of them', (t) => {
  const web = service('web');
  const nodes = [node('a'), node('b'), node('c')];
  t.deepEqual(Object.values(counts(nodes, pending(web, 10), [web])).sort(), [3, 3, 4]);
  const existing = [1, 2, 3, 4, 5].map((s) => task(web, s, { node: 'a', state: 'running' }));
  t.deepEqual(counts(nodes, [...existing, ...pending(web, 4, 6)], [web]), { b: 2, c: 2 });
});

test('spread: equal counts of the service are broken by fewest tasks in all', (t) => {
  const web = service('web');
  const db = service('db');
  const nodes = [node('a'), node('b'), node('c')];
  const busy = [task(db, 1, { node: 'a', state: 'running' }), task(db, 2, { node: 'a', state: 'running' }), task(db, 3, { node: 'b', state: 'running' })];
  for (let seed = 0; seed < 5; seed++) {
    t.deepEqual(counts(nodes, [...busy, ...pending(web, 1)], [web, db], seed), { c: 1 });
    t.deepEqual(counts(nodes, [...busy, ...pending(web, 2)], [web, db], seed), { b: 1, c: 1 });
  }
});

test('preferences: even across the values of the label, then across nodes within each', (t) => {
  const web = service('web', { preferences: ['node.labels.zone'] });
  const nodes = [node('e1', { labels: { zone: 'east' } }), node('w1', { labels: { zone: 'west' } }), node('w2', { labels: { zone: 'west' } }), node('w3', { labels: { zone: 'west' } })];
  // Without the preference the single east node would get a quarter; with it, half.
  t.deepEqual(counts(nodes, pending(web, 6), [web]), { e1: 3, w1: 1, w2: 1, w3: 1 });
  const plain = service('plain');
  t.deepEqual(Object.values(counts(nodes, pending(plain, 8), [plain])), [2, 2, 2, 2]);
});

test('preferences: a hierarchy, zone first, then rack within each zone', (t) => {
  const web = service('web', { preferences: ['node.labels.zone', 'node.labels.rack'] });
  const nodes = [
    node('a1', { labels: { zone: 'a', rack: '1' } }),
    node('a2', { labels: { zone: 'a', rack: '2' } }),
    node('a2b', { labels: { zone: 'a', rack: '2' } }),
    node('b1', { labels: { zone: 'b', rack: '1' } }),
    node('b1b', { labels: { zone: 'b', rack: '1' } }),
    node('b1c', { labels: { zone: 'b', rack: '1' } }),
  ];
  // 8 tasks: 4 per zone; in zone a, 2 per rack (rack 2 split over its two nodes); zone b has one rack.
  for (let seed = 0; seed < 5; seed++) {
    const c = counts(nodes, pending(web, 8), [web], seed);
    t.deepEqual([c['a1'], c['a2'], c['a2b']], [2, 1, 1]);
    t.deepEqual([c['b1'], c['b1b'], c['b1c']].sort(), [1, 1, 2]);
  }
});

test('preferences: a node without the label sits under the empty value', (t) => {
  const web = service('web', { preferences: ['node.labels.zone'] });
  const nodes = [node('x', { labels: { zone: 'x' } }), node('none1'), node('none2')];
  t.deepEqual(counts(nodes, pending(web, 4), [web]), { none1: 1, none2: 1, x: 2 });
});

test('preferences: engine labels split too; other descriptors are ignored as in swarmkit', (t) => {
  const byEngine = service('web', { preferences: ['engine.labels.az'] });
  const nodes = [node('a', { engineLabels: { az: '1' } }), node('b', { engineLabels: { az: '2' } }), node('c', { engineLabels: { az: '2' } })];
  t.deepEqual(counts(nodes, pending(byEngine, 4), [byEngine]), { a: 2, b: 1, c: 1 });
  const byHost = service('web2', { preferences: ['node.hostname'] });
  t.deepEqual(Object.values(counts(nodes, pending(byHost, 6), [byHost])), [2, 2, 2]);
});

test('preferences: tasks already in a branch count, even on nodes the constraints exclude', (t) => {
  const web = service('web', { preferences: ['node.labels.zone'], constraints: ['node.role==worker'] });
  const nodes = [node('m', { role: 'manager', labels: { zone: 'a' } }), node('a1', { labels: { zone: 'a' } }), node('b1', { labels: { zone: 'b' } })];
  const onManager = [1, 2].map((s) => task(web, s, { node: 'm', state: 'running' }));
  t.deepEqual(counts(nodes, [...onManager, ...pending(web, 4, 3)], [web]), { a1: 1, b1: 3 });
});

test('preferences: a full branch passes its share to the others', (t) => {
  const web = service('web', { preferences: ['node.labels.zone'], cpus: 1 });
  const nodes = [node('a', { labels: { zone: 'a' }, cpus: 1 }), node('b1', { labels: { zone: 'b' } }), node('b2', { labels: { zone: 'b' } })];
  const plan = schedule({ nodes, tasks: pending(web, 6), services: [web] }, NOW, seededRng(1));
  const c = countByNode(plan.assignments);
  t.is(c.get('a'), 1);
  t.deepEqual([c.get('b1'), c.get('b2')].sort(), [2, 3]);
  t.is(plan.unschedulable.length, 0);
});

test('ranking: a node where the service version failed 5 times in 5 minutes is the last choice', (t) => {
  const web = service('web');
  const nodes = [node('flaky'), node('ok')];
  const at = NOW - 60_000;
  const failures = [1, 2, 3, 4, 5].map((s) => ({ ...task(web, s, { node: 'flaky', state: 'failed' }), Status: { State: 'failed' as const, Message: 'started', Timestamp: timestampOf(at) } }));
  const busy = [6, 7].map((s) => task(web, s, { node: 'ok', state: 'running' }));
  t.deepEqual(counts(nodes, [...failures, ...busy, ...pending(web, 1, 8)], [web]), { ok: 1 });
  // Four failures, or failures long ago, or of another spec version, do not count.
  t.deepEqual(counts(nodes, [...failures.slice(1), ...busy, ...pending(web, 1, 8)], [web]), { flaky: 1 });
  const old = failures.map((f) => ({ ...f, Status: { ...f.Status, Timestamp: timestampOf(NOW - 6 * 60_000) } }));
  t.deepEqual(counts(nodes, [...old, ...busy, ...pending(web, 1, 8)], [web]), { flaky: 1 });
  const otherVersion = failures.map((f) => ({ ...f, ServiceVersion: { Index: 99 } }));
  t.deepEqual(counts(nodes, [...otherVersion, ...busy, ...pending(web, 1, 8)], [web]), { flaky: 1 });
});

test('the same input and seed give the same plan; the seed decides ties', (t) => {
  const web = service('web');
  const nodes = Array.from({ length: 20 }, (_, i) => node(`n${i}`));
  const input = { nodes, tasks: pending(web, 7), services: [web] };
  t.deepEqual(schedule(input, NOW, seededRng(42)), schedule(input, NOW, seededRng(42)));
  const chosen = new Set<string>();
  for (let seed = 0; seed < 10; seed++) chosen.add(schedule(input, NOW, seededRng(seed)).assignments.map((a) => a.nodeId).join());
  t.true(chosen.size > 1, 'ties go different ways under different seeds');
});

test('groups: tasks of two spec versions of one service are placed as two groups, counting each other', (t) => {
  const web = service('web');
  const nodes = [node('a'), node('b')];
  const tasks = [...pending(web, 3), ...[4, 5, 6].map((s) => task(web, s, { version: 7 }))];
  const c = counts(nodes, tasks, [web]);
  t.deepEqual(c, { a: 3, b: 3 });
  t.is(sum(Object.values(c)), 6);
});
