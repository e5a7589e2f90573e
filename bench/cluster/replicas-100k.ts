// 100,000 replicas on 1,000 hollow nodes (issue 5, benchmark b).
//   npx tsx bench/cluster/replicas-100k.ts [--nodes 1000] [--replicas 100000] [--limit-seconds 300]
//        [--step-ms 0] [--batch-ms 100] [--port 24391] [--cpu-prof DIR]
// Three shoald managers (separate processes), N hollow nodes joined (the
// CA fetched once for the fleet), then Control.createService of a
// replicated service (local/busybox:1 `sleep 1000000`) with --replicas R.
// Measured from the createService call: when the store holds R tasks, R
// assigned, and R running (counted from the leader's Control.watch stream
// of the tasks table, tasks desired running only; the fleet's count of committed `running` reports is
// printed beside it), and the managers' RSS every 0.5 s and peak (VmHWM).
// Goal: all running within 10 s, each manager under 1 GiB. Bounded by
// --limit-seconds: past it, the progress so far is the result.
// --cpu-prof DIR: CPU profiles of the managers from createService to the end
// (cpu-profiler.mjs; read them with profile-top.ts).
import { parseArgs } from 'node:util';
import { HollowFleet } from '../../src/agent/hollow/index.js';
import { ControlContract } from '../../src/api/contracts/control.js';
import { managerRoles, raftTerm, startManagers, stopManagers, toggleProfiling, until } from './cluster-setup.js';
import { mib, sampleProc, type ProcSample } from './proc-sample.js';
import { watchCount } from './watch-count.js';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '1000' },
    replicas: { type: 'string', default: '100000' },
    'limit-seconds': { type: 'string', default: '300' },
    'step-ms': { type: 'string', default: '0' },
    'batch-ms': { type: 'string', default: '100' },
    port: { type: 'string', default: '24391' },
    'cpu-prof': { type: 'string' },
  },
});
const N = Number(values.nodes);
const R = Number(values.replicas);
const LIMIT_MS = Number(values['limit-seconds']) * 1000;
const profDir = values['cpu-prof'];
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const secs = (ms: number | undefined): string => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);

const bench = await startManagers({ port: Number(values.port), ...(profDir !== undefined ? { profileDir: profDir } : {}) });
const { cluster } = bench;
const fleet = new HollowFleet({ count: N, managers: bench.addrs, token: bench.workerToken, concurrency: 32, shareCa: true, stepMs: Number(values['step-ms']), batchMs: Number(values['batch-ms']) });
try {
  const ready = watchCount(cluster.client('manager1'), 'nodes', (o) => ((o['Status'] as { State: string }).State === 'ready' && (o['Spec'] as { Role: string }).Role === 'worker' ? 'ready' : 'other'), []);
  const joined = await fleet.start();
  try {
    await until(`${N} hollow workers ready`, async () => ready.count('ready'), (c) => c >= N, 120_000, 100);
  } catch {
    // Go on with the nodes that are ready; the count is printed.
  }
  ready.stop();
  console.log(`${joined.joined}/${N} hollow nodes joined in ${secs(joined.ms)}; ${ready.count('ready')} ready`);
  await sleep(2000);

  const roles = await managerRoles(cluster);
  const term0 = await raftTerm(cluster);
  const band = (state: string): string => (state === 'new' || state === 'pending' ? 'pending' : state === 'running' ? 'running' : ['assigned', 'accepted', 'preparing', 'ready', 'starting'].includes(state) ? 'assigned' : 'other');
  const tasks = watchCount(cluster.client('manager1'), 'tasks', (o) => (o['DesiredState'] === 'running' ? band((o['Status'] as { State: string }).State) : 'other'), [{ key: 'running', n: R }]);
  const base = new Map(roles.map((r) => [r.name, sampleProc(r.pid)]));
  const peakRss = new Map<string, number>();
  const spec = { Name: 'bench-100k', Mode: { Replicated: { Replicas: R } }, TaskTemplate: { ContainerSpec: { Image: 'local/busybox:1', Args: ['sleep', '1000000'] } } };
  if (profDir !== undefined) toggleProfiling(cluster);
  const t0 = performance.now();
  await cluster.client('manager1').call(ControlContract, 'createService', { spec }, { deadlineMs: 30_000 });
  const tCreateReturned = performance.now() - t0;
  const milestones: { created?: number; assigned?: number; running?: number; fleetRunning?: number } = {};
  let lastPrint = 0;
  for (let i = 0; performance.now() - t0 < LIMIT_MS; i++) {
    const now = performance.now() - t0;
    const [p, a, r] = [tasks.count('pending'), tasks.count('assigned'), tasks.count('running')];
    if (milestones.created === undefined && p + a + r >= R) milestones.created = now;
    if (milestones.assigned === undefined && a + r >= R) milestones.assigned = now;
    if (milestones.fleetRunning === undefined && fleet.stats().runningCommitted >= R) milestones.fleetRunning = now;
    const reached = tasks.reachedAt('running', R);
    if (reached !== undefined) milestones.running = reached - t0;
    for (const role of roles) {
      try {
        peakRss.set(role.name, Math.max(peakRss.get(role.name) ?? 0, sampleProc(role.pid).rssBytes));
      } catch {
        // exited: reported below
      }
    }
    if (now - lastPrint >= 5000 || milestones.running !== undefined) {
      lastPrint = now;
      const st = fleet.stats();
      console.log(`${secs(now).padStart(8)}: tasks pending ${p}, assigned ${a}, running ${r} (watch ${tasks.events()} events${tasks.ended() !== null ? `, ended: ${tasks.ended()}` : ''}); fleet: ${st.tasks} held, ${st.runningCommitted} running committed in ${st.batchesCommitted} batches, ${st.reportErrors} report errors${st.lastReportError !== null ? ` (last: ${st.lastReportError.slice(0, 120)})` : ''}; RSS ${roles.map((x) => `${x.name} ${mib(peakRss.get(x.name) ?? NaN)}`).join(', ')} MiB`);
    }
    if (milestones.running !== undefined || (tasks.ended() !== null && milestones.fleetRunning !== undefined)) break;
    await sleep(500);
  }
  if (profDir !== undefined) toggleProfiling(cluster);
  tasks.stop();
  const term1 = await raftTerm(cluster).catch(() => ({ term: NaN, leader: '?' }));
  console.log(`raft during the run: term ${term0.term} -> ${term1.term}, leader ${term0.leader} -> ${term1.leader}`);
  console.log(`\n${R} replicas on ${N} hollow nodes (step ${values['step-ms']} ms, batch ${values['batch-ms']} ms): createService returned ${secs(tCreateReturned)}; all created ${secs(milestones.created)}, all assigned ${secs(milestones.assigned)}, all running (store) ${secs(milestones.running)}, all running reports committed (fleet) ${secs(milestones.fleetRunning)}`);
  console.log('| manager | role | peak RSS MiB (sampled) | VmHWM MiB | CPU s during the run |');
  console.log('|---|---|---:|---:|---:|');
  for (const r of roles) {
    let end: ProcSample | null = null;
    try {
      end = sampleProc(r.pid);
    } catch {
      end = null;
    }
    const b = base.get(r.name);
    console.log(`| ${r.name} | ${r.role} | ${mib(peakRss.get(r.name) ?? NaN)} | ${end === null ? 'exited' : mib(end.peakRssBytes)} | ${end === null || b === undefined ? '-' : (end.cpuSec - b.cpuSec).toFixed(1)} |`);
  }
} finally {
  await fleet.stop();
  await stopManagers(cluster);
}
