// Placements per second of the scheduler's pure core (issue 5, benchmark a).
//   npx tsx bench/scheduler/placements.ts [runs]
// 100,000 pending tasks on 1,000 nodes, every service with a placement
// constraint (node.labels.tier==app, true on 90% of nodes) and a spread
// preference (node.labels.zone, 10 zones), in three shapes:
//   one-service:   one service of 100,000 replicas (one group);
//   100-services:  100 services of 1,000 replicas (100 groups);
//   reservations:  as 100-services, plus CPU/memory reservations and
//                  max 20 replicas per node (the dynamic filters on every placement).
// Each run is one `schedule` call on a fresh input (NodeInfos built from
// scratch), in memory; the input objects are built once, outside the timing.
// Reported: the median of the runs, after one warm-up run.
// For scale, `store-round` times one whole round of the Scheduler service on
// the 100-services input: reading the MemoryStore, the core, and writing
// 100,000 assignments through Store.update and the LocalProposer in
// transactions of 200 (median of 3, each on a freshly seeded store).
import type { NodeId, ServiceId, TaskId } from '../../src/api/ids.js';
import type { Node } from '../../src/api/node.js';
import { timestampOf } from '../../src/api/object-meta.js';
import { withServiceDefaults } from '../../src/api/service-spec.js';
import { newService, type Service } from '../../src/api/service.js';
import { newTask, type Task } from '../../src/api/task.js';
import { seededRng } from '../../src/manager/scheduler/rng.js';
import { schedule, type ScheduleInput } from '../../src/manager/scheduler/schedule.js';
import { Scheduler } from '../../src/manager/scheduler/scheduler.js';
import { MemoryStore } from '../../src/manager/store/memory-store.js';
import { LocalProposer, Store } from '../../src/manager/store/store.js';
import { createObject } from '../../src/manager/store/typed.js';
import { fmt, median } from '../lib/stats.js';

const RUNS = Number(process.argv[2] ?? 7);
const NODES = 1_000;
const TASKS = 100_000;
const NOW = Date.parse('2026-11-22T00:00:00Z');

function makeNodes(): Node[] {
  const at = timestampOf(NOW);
  return Array.from({ length: NODES }, (_, i) => ({
    ID: `node${String(i).padStart(4, '0')}` as NodeId,
    Version: { Index: 1 },
    CreatedAt: at,
    UpdatedAt: at,
    Spec: { Labels: { zone: `z${i % 10}`, tier: i % 10 === 9 ? 'db' : 'app' }, Role: 'worker', Availability: 'active' },
    Description: {
      Hostname: `host${i}`,
      Platform: { OS: 'linux', Architecture: 'x86_64' },
      Resources: { NanoCPUs: 64e9, MemoryBytes: 256 * 1024 ** 3 },
      Engine: { EngineVersion: '27.0.0', Labels: {} },
    },
    Status: { State: 'ready', Addr: `10.0.${i >> 8}.${i & 255}` },
  }));
}

function makeServices(count: number, reservations: boolean): Service[] {
  return Array.from({ length: count }, (_, i) => {
    const spec = withServiceDefaults({
      Name: `svc${i}`,
      Mode: { Replicated: { Replicas: TASKS / count } },
      TaskTemplate: {
        ContainerSpec: { Image: 'nginx' },
        Placement: { Constraints: ['node.labels.tier==app'], Preferences: [{ Spread: { SpreadDescriptor: 'node.labels.zone' } }], ...(reservations ? { MaxReplicas: 20 } : {}) },
        ...(reservations ? { Resources: { Reservations: { NanoCPUs: 10_000_000, MemoryBytes: 16 * 1024 ** 2 } } } : {}),
      },
    });
    return newService(`svc${i}` as ServiceId, spec, NOW);
  });
}

function makeTasks(services: readonly Service[]): Task[] {
  const per = TASKS / services.length;
  const tasks: Task[] = [];
  for (const svc of services) {
    for (let slot = 1; slot <= per; slot++) {
      const t = newTask({ id: `${svc.ID}.${slot}` as TaskId, serviceId: svc.ID, spec: svc.Spec, serviceVersion: svc.SpecVersion, nowMs: NOW, slot });
      tasks.push({ ...t, Version: { Index: 2 }, Status: { ...t.Status, State: 'pending' } });
    }
  }
  return tasks;
}

interface Result {
  readonly name: string;
  readonly medianMs: number;
  readonly placementsPerSec: number;
  readonly placed: number;
}

function runCase(name: string, input: ScheduleInput): Result {
  const times: number[] = [];
  let placed = 0;
  for (let run = 0; run <= RUNS; run++) {
    const start = performance.now();
    const plan = schedule(input, NOW, seededRng(run));
    const ms = performance.now() - start;
    placed = plan.assignments.length;
    if (run > 0) times.push(ms); // run 0 warms up
  }
  const m = median(times);
  return { name, medianMs: m, placementsPerSec: (placed / m) * 1000, placed };
}

async function storeRound(input: ScheduleInput): Promise<Result> {
  const times: number[] = [];
  let placed = 0;
  for (let run = 0; run < 3; run++) {
    const memory = new MemoryStore();
    const store = new Store(memory, new LocalProposer(memory), { now: () => new Date(NOW) });
    await store.update((tx) => {
      for (const n of input.nodes) createObject(tx, 'nodes', n);
      for (const s of input.services) createObject(tx, 'services', s);
      for (const t of input.tasks) createObject(tx, 'tasks', t);
    });
    let fire = (): void => undefined;
    const sched = new Scheduler({
      store,
      clock: () => NOW,
      seed: run,
      setTimer: (fn) => {
        fire = fn;
        return () => undefined;
      },
      onRound: (r) => (placed = r.assigned),
    });
    void sched.start();
    const start = performance.now();
    fire();
    await sched.settled();
    times.push(performance.now() - start);
    await sched.stop();
  }
  const m = median(times);
  return { name: 'store-round', medianMs: m, placementsPerSec: (placed / m) * 1000, placed };
}

const nodes = makeNodes();
const cases: Array<[string, ScheduleInput]> = [];
for (const [name, count, reservations] of [
  ['one-service', 1, false],
  ['100-services', 100, false],
  ['reservations', 100, true],
] as const) {
  const services = makeServices(count, reservations);
  cases.push([name, { nodes, tasks: makeTasks(services), services }]);
}

console.log(`scheduler placements: ${TASKS} tasks, ${NODES} nodes, constraint + spread preference, median of ${RUNS} runs (node ${process.version})`);
console.log('case            placed   median ms   placements/s');
const print = (r: Result): void =>
  console.log(`${r.name.padEnd(14)} ${String(r.placed).padStart(7)}  ${fmt(r.medianMs, 1).padStart(10)}   ${Math.round(r.placementsPerSec).toLocaleString('en-US').padStart(12)}`);
for (const [name, input] of cases) print(runCase(name, input));
const [, hundred] = cases[1] as [string, ScheduleInput];
print(await storeRound(hundred));
