// Cluster scale with hollow nodes (issue 4's benchmark).
//   npx tsx bench/cluster/hollow-nodes.ts [--nodes 1000] [--concurrency 32] [--idle-seconds 20] [--share-ca] [--port 24390] [--cpu-prof DIR]
// --cpu-prof DIR: CPU profiles of the managers during the join phase (see cpu-profiler.mjs, profile-top.ts).
// Three shoald managers (separate processes, 127.0.90.1-3), then N hollow
// nodes in this process join with the worker token (real CSRs, certificates
// and mutual-TLS dispatcher sessions). Reported:
//  - join: time from the first join until Control.listNodes shows all N
//    workers ready (counted from the leader's watch stream, confirmed by
//    one listNodes at the end); goal: 1,000 within 10 s; bounded at 60 s,
//    after which the count ready (and down while connected) is the result;
//  - idle: with N nodes heartbeating, each manager's CPU (share of one core
//    per 1 s sample, from /proc/<pid>/stat) and RSS (/proc/<pid>/status)
//    over --idle-seconds; medians, p90 and max. Goal: idle leader < 10%.
//  - the hollow process's own RSS and CPU, per node.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { HollowFleet } from '../../src/agent/hollow/index.js';
import { median, percentile } from '../lib/stats.js';
import { listNodes, managerRoles, raftTerm, startManagers, stopManagers, toggleProfiling, until } from './cluster-setup.js';
import { cpuShare, mib, sampleProc, type ProcSample } from './proc-sample.js';
import { watchCount } from './watch-count.js';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '32' },
    'idle-seconds': { type: 'string', default: '20' },
    'share-ca': { type: 'boolean', default: false },
    port: { type: 'string', default: '24390' },
    'cpu-prof': { type: 'string' },
  },
});
const N = Number(values.nodes);
const READY_LIMIT_MS = 60_000;
const IDLE_S = Number(values['idle-seconds']);
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const profDir = values['cpu-prof'];

const bench = await startManagers({ port: Number(values.port), ...(profDir !== undefined ? { profileDir: profDir } : {}) });
const { cluster } = bench;
const fleet = new HollowFleet({ count: N, managers: bench.addrs, token: bench.workerToken, concurrency: Number(values.concurrency), shareCa: values['share-ca'] });
try {
  const ready = watchCount(cluster.client('manager1'), 'nodes', (o) => ((o['Spec'] as { Role: string }).Role === 'worker' && (o['Status'] as { State: string }).State === 'ready' ? 'ready' : 'other'), [{ key: 'ready', n: N }]);
  const mem0 = process.memoryUsage();
  const cpu0 = process.cpuUsage();
  const term0 = await raftTerm(cluster);
  const t0 = performance.now();
  if (profDir !== undefined) toggleProfiling(cluster);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const joined = await fleet.start();
  try {
    await until(`${N} hollow workers ready`, async () => ready.count('ready'), (c) => c >= N, READY_LIMIT_MS, 50);
  } catch {
    // Reported below: how many were ready at the bound, and how many of the others are down while connected.
  }
  loop.disable();
  const tReady = ready.reachedAt('ready', N) === undefined ? NaN : (ready.reachedAt('ready', N) as number) - t0;
  const cpuJoin = process.cpuUsage(cpu0);
  if (profDir !== undefined) {
    toggleProfiling(cluster);
    console.log(`CPU profiles of the managers (pids ${cluster.nodes.map((n) => `${n.name}=${n.proc?.pid}`).join(', ')}) in ${profDir}: <pid>-1 join, <pid>-2 idle`);
  }
  const workers = (await listNodes(cluster)).filter((n) => n.Spec.Role === 'worker');
  const confirmed = workers.filter((n) => n.Status.State === 'ready').length;
  ready.stop();
  const when = Number.isNaN(tReady) ? `NOT all ready within ${READY_LIMIT_MS / 1000} s (${ready.count('ready')} ready)` : `all ${N} ready in listNodes at ${(tReady / 1000).toFixed(2)} s`;
  console.log(`join: ${joined.joined}/${N} joined (${joined.failed} failed, ${fleet.stats().joinRetries} retries), last join returned at ${(joined.ms / 1000).toFixed(2)} s, ${when}; listNodes: ${confirmed} ready, ${workers.filter((n) => n.Status.State === 'down').length} down, with ${fleet.stats().connected} hollow sessions up`);
  console.log(`hollow process during the join: CPU ${((cpuJoin.user + cpuJoin.system) / 1e6).toFixed(1)} s, event-loop delay p99 ${(loop.percentile(99) / 1e6).toFixed(0)} ms, max ${(loop.max / 1e6).toFixed(0)} ms`);
  const term1 = await raftTerm(cluster);
  console.log(`raft during the join: term ${term0.term} -> ${term1.term}, leader ${term0.leader} -> ${term1.leader}`);
  if (joined.errors.length > 0) console.log(`  join errors: ${joined.errors.join(' | ')}`);

  // Idle: let the joins settle, then sample every second.
  await sleep(3000);
  const roles = await managerRoles(cluster);
  const self = (): ProcSample => sampleProc(process.pid);
  const samples = new Map<string, ProcSample[]>(roles.map((r) => [r.name, []]));
  const selfSamples: ProcSample[] = [];
  if (profDir !== undefined) toggleProfiling(cluster);
  for (let i = 0; i <= IDLE_S; i++) {
    for (const r of roles) samples.get(r.name)?.push(sampleProc(r.pid));
    selfSamples.push(self());
    if (i < IDLE_S) await sleep(1000);
  }
  if (profDir !== undefined) toggleProfiling(cluster);
  const mem1 = process.memoryUsage();
  const rows: string[] = [];
  const summarize = (name: string, ss: readonly ProcSample[]): string => {
    const shares = ss.slice(1).map((s, i) => cpuShare(ss[i] as ProcSample, s));
    const sorted = [...shares].sort((a, b) => a - b);
    const rss = ss.map((s) => s.rssBytes);
    return `| ${name} | ${pct(median(shares))} | ${pct(percentile(sorted, 90))} | ${pct(sorted.at(-1) ?? NaN)} | ${mib(median(rss))} | ${mib(Math.max(...ss.map((s) => s.peakRssBytes)))} |`;
  };
  for (const r of roles) rows.push(summarize(`${r.name} (${r.role})`, samples.get(r.name) ?? []));
  rows.push(summarize(`hollow process (${N} nodes)`, selfSamples));
  console.log(`\nidle, ${IDLE_S} samples of 1 s with ${fleet.stats().connected}/${N} sessions up:`);
  console.log('| process | CPU median | CPU p90 | CPU max | RSS MiB median | peak RSS MiB |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of rows) console.log(r);
  console.log(`\nhollow process: RSS ${mib(mem0.rss)} -> ${mib(mem1.rss)} MiB (${((mem1.rss - mem0.rss) / N / 1024).toFixed(0)} KiB per node), heap ${mib(mem0.heapUsed)} -> ${mib(mem1.heapUsed)} MiB (${((mem1.heapUsed - mem0.heapUsed) / N / 1024).toFixed(1)} KiB per node)`);
} finally {
  await fleet.stop();
  await stopManagers(cluster);
}
