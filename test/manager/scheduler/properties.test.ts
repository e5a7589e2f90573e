// Properties of the optimised core (batched groups, preference tree, heaps)
// checked against naive code that recomputes everything from scratch:
// constraints and filters are never violated, max per node is never
// exceeded, nothing is left pending that a node could take, and spread is
// within one task of even wherever a node could take more.
import test from 'ava';
import fc from 'fast-check';
import { constraintsMatch, parseConstraints } from '../../../src/api/constraint.js';
import type { Node } from '../../../src/api/node.js';
import { nodeFacts } from '../../../src/api/node.js';
import type { Service } from '../../../src/api/service.js';
import type { Task } from '../../../src/api/task.js';
import type { Plan } from '../../../src/manager/scheduler/plan.js';
import { seededRng } from '../../../src/manager/scheduler/rng.js';
import { schedule } from '../../../src/manager/scheduler/schedule.js';
import { node, NOW, pending, service, task } from './fixtures.js';

const CONSTRAINTS = ['node.labels.zone==a', 'node.labels.zone!=b', 'node.role==worker', 'node.platform.os==linux', 'node.labels.rack!=2'];
const PREFERENCES = [[], ['node.labels.zone'], ['node.labels.zone', 'node.labels.rack']];

const nodeArb = fc.record({
  state: fc.constantFrom('ready', 'ready', 'ready', 'down'),
  availability: fc.constantFrom('active', 'active', 'active', 'drain', 'pause'),
  role: fc.constantFrom('worker', 'manager'),
  zone: fc.constantFrom('a', 'b', 'c', undefined),
  rack: fc.constantFrom('1', '2', undefined),
  os: fc.constantFrom('linux', 'linux', 'windows'),
  arch: fc.constantFrom('x86_64', 'amd64', 'arm64', 'aarch64'),
  cpus: fc.integer({ min: 1, max: 8 }),
});

const serviceArb = fc.record({
  constraints: fc.subarray(CONSTRAINTS, { maxLength: 2 }),
  preferences: fc.constantFrom(...PREFERENCES),
  maxReplicas: fc.constantFrom(0, 0, 1, 2, 3),
  cpus: fc.constantFrom(0, 0, 1, 2),
  hostPort: fc.constantFrom(undefined, undefined, 8080, 9000),
  arm: fc.boolean(),
  pending: fc.integer({ min: 0, max: 25 }),
});

const scenarioArb = fc.record({
  nodes: fc.array(nodeArb, { minLength: 0, maxLength: 10 }),
  services: fc.array(serviceArb, { minLength: 1, maxLength: 3 }),
  // Existing running tasks: [service index, node index] pairs, placed only where the naive check allows.
  existing: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 12 }),
  seed: fc.integer(),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

interface Built {
  readonly nodes: Node[];
  readonly services: Service[];
  readonly tasks: Task[];
  readonly placed: Task[];
}

function build(s: Scenario): Built {
  const nodes = s.nodes.map((n, i) =>
    node(`n${i}`, {
      state: n.state,
      availability: n.availability,
      role: n.role,
      labels: { ...(n.zone !== undefined ? { zone: n.zone } : {}), ...(n.rack !== undefined ? { rack: n.rack } : {}) },
      os: n.os,
      arch: n.arch,
      cpus: n.cpus,
    }),
  );
  const services = s.services.map((x, i) =>
    service(`s${i}`, {
      constraints: x.constraints,
      preferences: x.preferences,
      maxReplicas: x.maxReplicas,
      cpus: x.cpus,
      ...(x.hostPort !== undefined ? { hostPorts: [x.hostPort] } : {}),
      ...(x.arm ? { platforms: [{ OS: '', Architecture: 'arm64' }] } : {}),
    }),
  );
  const placed: Task[] = [];
  let slot = 1000;
  for (const [si, ni] of s.existing) {
    const svc = services[si % services.length] as Service;
    const n = nodes.length === 0 ? undefined : nodes[ni % nodes.length];
    if (n === undefined || !fits(n, svc, placed, services)) continue;
    placed.push(task(svc, slot++, { node: n.ID, state: 'running' }));
  }
  const tasks = [...placed];
  s.services.forEach((x, i) => tasks.push(...pending(services[i] as Service, x.pending)));
  return { nodes, services, tasks, placed };
}

// ---- the naive check: everything recomputed from the list of tasks on nodes ----

function staticFits(n: Node, svc: Service): boolean {
  if (n.Status.State !== 'ready' || n.Spec.Availability !== 'active') return false;
  const p = svc.Spec.TaskTemplate.Placement;
  const parsed = parseConstraints(p.Constraints);
  if (!parsed.ok || !constraintsMatch(parsed.constraints, nodeFacts(n))) return false;
  const norm = (a: string): string => (a === 'x86_64' ? 'amd64' : a === 'aarch64' ? 'arm64' : a);
  if (p.Platforms !== undefined && p.Platforms.length > 0) {
    const ok = p.Platforms.some((pl) => (pl.OS === '' || pl.OS === n.Description.Platform.OS) && (pl.Architecture === '' || norm(pl.Architecture) === norm(n.Description.Platform.Architecture)));
    if (!ok) return false;
  }
  return true;
}

function hostPorts(svc: Service | undefined): number[] {
  return (svc?.Spec.EndpointSpec.Ports ?? []).filter((p) => p.PublishMode === 'host').map((p) => p.PublishedPort ?? 0);
}

/** Could one more task of `svc` go on `n`, given every task on nodes in `onNodes`? */
function fits(n: Node, svc: Service, onNodes: readonly Task[], services: readonly Service[]): boolean {
  if (!staticFits(n, svc)) return false;
  const here = onNodes.filter((t) => t.NodeID === n.ID);
  const cpu = here.reduce((s, t) => s + t.Spec.Resources.Reservations.NanoCPUs, 0);
  if (cpu + svc.Spec.TaskTemplate.Resources.Reservations.NanoCPUs > n.Description.Resources.NanoCPUs) return false;
  const used = new Set(here.flatMap((t) => hostPorts(services.find((x) => x.ID === t.ServiceID))));
  if (hostPorts(svc).some((p) => used.has(p))) return false;
  const max = svc.Spec.TaskTemplate.Placement.MaxReplicas;
  return max === 0 || here.filter((t) => t.ServiceID === svc.ID).length < max;
}

/** Tasks on nodes after the plan: those placed before plus the plan's assignments. */
function after(b: Built, plan: Plan): Task[] {
  const byId = new Map(b.tasks.map((t) => [t.ID, t]));
  return [...b.placed, ...plan.assignments.map((a) => ({ ...(byId.get(a.taskId) as Task), NodeID: a.nodeId }))];
}

function label(n: Node, key: string): string {
  return n.Spec.Labels[key.slice('node.labels.'.length)] ?? '';
}

const RUNS = { numRuns: 150 };

test('every assignment respects the node\'s readiness, constraints, platform, resources, ports and max replicas', (t) => {
  fc.assert(
    fc.property(scenarioArb, (s) => {
      const b = build(s);
      const plan = schedule({ nodes: b.nodes, tasks: b.tasks, services: b.services }, NOW, seededRng(s.seed));
      const byTask = new Map(b.tasks.map((x) => [x.ID, x]));
      const onNodes = [...b.placed];
      // Replay the plan one assignment at a time: each must fit what came before it.
      for (const a of plan.assignments) {
        const tk = byTask.get(a.taskId) as Task;
        const svc = b.services.find((x) => x.ID === tk.ServiceID) as Service;
        const n = b.nodes.find((x) => x.ID === a.nodeId) as Node;
        if (!fits(n, svc, onNodes, b.services)) return false;
        onNodes.push({ ...tk, NodeID: a.nodeId });
      }
      const ids = plan.assignments.map((a) => a.taskId);
      return new Set(ids).size === ids.length;
    }),
    RUNS,
  );
  t.pass();
});

test('a task is left pending only when no node could take it, and then it says why', (t) => {
  fc.assert(
    fc.property(scenarioArb, (s) => {
      const b = build(s);
      const plan = schedule({ nodes: b.nodes, tasks: b.tasks, services: b.services }, NOW, seededRng(s.seed));
      const final = after(b, plan);
      const pendingCount = b.tasks.length - b.placed.length;
      if (plan.assignments.length + plan.unschedulable.length !== pendingCount) return false;
      for (const u of plan.unschedulable) {
        const svc = b.services.find((x) => x.ID === u.taskId.split('.')[0]) as Service;
        if (b.nodes.some((n) => fits(n, svc, final, b.services))) return false;
        const rejected = u.explanation.Rejections.reduce((sum, r) => sum + r.Nodes, 0);
        if (rejected !== b.nodes.length || !u.explanation.Summary.startsWith('no suitable node')) return false;
      }
      return true;
    }),
    RUNS,
  );
  t.pass();
});

test('spread is within one task of even: a node (or branch) that got a task has at most one more than any that could still take one', (t) => {
  fc.assert(
    fc.property(scenarioArb, (s) => {
      const b = build(s);
      const plan = schedule({ nodes: b.nodes, tasks: b.tasks, services: b.services }, NOW, seededRng(s.seed));
      const final = after(b, plan);
      for (const svc of b.services) {
        const prefs = svc.Spec.TaskTemplate.Placement.Preferences.map((p) => p.Spread.SpreadDescriptor);
        const count = (nodes: readonly Node[]): number => final.filter((x) => x.ServiceID === svc.ID && nodes.some((n) => n.ID === x.NodeID)).length;
        const got = new Set(plan.assignments.filter((a) => a.taskId.startsWith(`${svc.ID}.`)).map((a) => a.nodeId as string));
        const open = new Set(b.nodes.filter((n) => fits(n, svc, final, b.services)).map((n) => n.ID as string));
        // Levels 0..prefs.length: siblings share the first d labels and differ at label d (d = prefs.length: nodes of one leaf).
        for (let d = 0; d <= prefs.length; d++) {
          const parentKey = (n: Node): string => prefs.slice(0, d).map((p) => label(n, p)).join('/');
          const branchKey = (n: Node): string => (d < prefs.length ? label(n, prefs[d] as string) : n.ID);
          const parents = new Map<string, Map<string, Node[]>>();
          for (const n of b.nodes) {
            const siblings = parents.get(parentKey(n)) ?? new Map<string, Node[]>();
            parents.set(parentKey(n), siblings);
            siblings.set(branchKey(n), [...(siblings.get(branchKey(n)) ?? []), n]);
          }
          for (const siblings of parents.values()) {
            for (const x of siblings.values()) {
              if (!x.some((n) => got.has(n.ID))) continue;
              for (const y of siblings.values()) {
                if (y.some((n) => open.has(n.ID)) && count(x) > count(y) + 1) return false;
              }
            }
          }
        }
      }
      return true;
    }),
    RUNS,
  );
  t.pass();
});

test('with one service and no preferences, the spread equals a naive one-task-at-a-time scheduler\'s', (t) => {
  fc.assert(
    fc.property(scenarioArb, (s) => {
      const one: Scenario = { ...s, services: s.services.slice(0, 1).map((x) => ({ ...x, preferences: [] })) };
      const b = build(one);
      const svc = b.services[0] as Service;
      const plan = schedule({ nodes: b.nodes, tasks: b.tasks, services: b.services }, NOW, seededRng(s.seed));
      // Naive: each task to a node with the fewest tasks of the service, then fewest in all.
      const naive = [...b.placed];
      const queue = b.tasks.length - b.placed.length;
      for (let i = 0; i < queue; i++) {
        let best: Node | undefined;
        let bestKey: [number, number] = [Infinity, Infinity];
        for (const n of b.nodes) {
          if (!fits(n, svc, naive, b.services)) continue;
          const here = naive.filter((x) => x.NodeID === n.ID);
          const key: [number, number] = [here.filter((x) => x.ServiceID === svc.ID).length, here.length];
          if (key[0] < bestKey[0] || (key[0] === bestKey[0] && key[1] < bestKey[1])) [best, bestKey] = [n, key];
        }
        if (best === undefined) break;
        naive.push({ ...task(svc, 5000 + i), NodeID: best.ID });
      }
      const profile = (onNodes: readonly Task[]): string =>
        b.nodes
          .map((n) => onNodes.filter((x) => x.NodeID === n.ID && x.ServiceID === svc.ID).length)
          .sort((x, y) => x - y)
          .join();
      return profile(after(b, plan)) === profile(naive) && plan.assignments.length === naive.length - b.placed.length;
    }),
    RUNS,
  );
  t.pass();
});
