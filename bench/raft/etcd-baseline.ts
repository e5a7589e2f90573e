// Measures Debian's etcd 3.4 as a 3-node loopback cluster: puts/s with 1 and
// 64 clients (100-byte values), p50/p99 latency, and failover time (leader
// killed with -9 until the first put commits again), median of N runs.
// Usage: npx tsx bench/raft/etcd-baseline.ts [--runs 5] [--seconds 10]
import { randomBytes } from 'node:crypto';
import { runLoad, type LoadResult } from '../lib/load.js';
import { fmt, median } from '../lib/stats.js';
import { EtcdCluster } from './etcd-cluster.js';

export interface BaselineFigures {
  readonly c1: LoadResult;
  readonly c64: LoadResult;
  readonly failoverMs: number[];
}

export async function measureEtcd(opts: { seconds: number; failoverRuns: number }): Promise<BaselineFigures> {
  const value = randomBytes(100);
  const cluster = new EtcdCluster();
  try {
    await cluster.startAll();
    // Clients talk to the leader, as shoal's benchmark clients do.
    let leader = -1;
    for (let i = 0; i < 100 && leader < 0; i++) leader = await cluster.leaderIndex();
    if (leader < 0) throw new Error('no etcd leader');
    const load = (clients: number) =>
      runLoad({ clients, durationMs: opts.seconds * 1000, maxOps: 2_000_000, op: (_c, seq) => cluster.put(leader, `k${seq % 10000}`, value).then(() => undefined) });
    await load(8); // warm-up
    const c1 = await load(1);
    const c64 = await load(64);
    cluster.stop();
    const failoverMs: number[] = [];
    for (let r = 0; r < opts.failoverRuns; r++) failoverMs.push(await failoverOnce(value));
    return { c1, c64, failoverMs };
  } finally {
    cluster.stop();
  }
}

async function failoverOnce(value: Buffer): Promise<number> {
  const cluster = new EtcdCluster(24790);
  try {
    await cluster.startAll();
    let leader = -1;
    for (let i = 0; i < 100 && leader < 0; i++) leader = await cluster.leaderIndex();
    if (leader < 0) throw new Error('no etcd leader');
    const survivors = [0, 1, 2].filter((i) => i !== leader);
    const t0 = performance.now();
    cluster.kill(leader);
    // Keep writing through the survivors until one put commits.
    for (let attempt = 0; attempt < 100_000; attempt++) {
      try {
        // Short attempts, so the first put after the election is seen promptly.
        await cluster.put(survivors[attempt % 2]!, 'failover', value, 100);
        return performance.now() - t0;
      } catch {
        // not yet: the cluster has no leader
      }
      if (performance.now() - t0 > 30_000) throw new Error('etcd did not fail over within 30 s');
    }
    throw new Error('etcd did not fail over');
  } finally {
    cluster.stop();
  }
}

export function report(f: BaselineFigures): string {
  const row = (name: string, r: LoadResult) => `${name}: ${fmt(r.opsPerSec, 0)} puts/s, p50 ${fmt(r.p50Ms)} ms, p99 ${fmt(r.p99Ms)} ms (${r.ops} ops, ${r.errors} errors)`;
  return [row('etcd 1 client', f.c1), row('etcd 64 clients', f.c64), `etcd failover: median ${fmt(median(f.failoverMs), 0)} ms of ${f.failoverMs.map((x) => fmt(x, 0)).join(', ')}`].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, d: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? Number(process.argv[i + 1]) : d;
  };
  const figures = await measureEtcd({ seconds: arg('seconds', 10), failoverRuns: arg('runs', 5) });
  console.log(report(figures));
}
