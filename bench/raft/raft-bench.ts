// shoal's Raft (3 managers as processes on loopback, LMDB with fsync, mutual
// TLS) against Debian's etcd 3.4 under the same load, in the same run:
// committed puts/s with 1 and 64 clients (100-byte values), p50/p99 commit
// latency, failover time (leader killed with -9 until the first put commits
// on the new leader, median of N), and leader stability under full load.
// Usage: npx tsx bench/raft/raft-bench.ts [--seconds 10] [--runs 5] [--stability 60] [--skip-etcd]
import { randomBytes } from 'node:crypto';
import { KvContract } from '../../src/manager/raft/kv/kv-contract.js';
import { LocalKvCluster } from '../../src/manager/raft/kv/local-cluster.js';
import type { RpcClient } from '../../src/net/rpc/index.js';
import { runLoad, type LoadResult } from '../lib/load.js';
import { fmt, median } from '../lib/stats.js';
import { measureEtcd, report as etcdReport, type BaselineFigures } from './etcd-baseline.js';

const arg = (name: string, d: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : d;
};
const seconds = arg('seconds', 10);
const runs = arg('runs', 5);
const stability = arg('stability', 0);
const value = randomBytes(50).toString('hex'); // 100 bytes

async function withCluster<T>(port: number, fn: (c: LocalKvCluster, clients: RpcClient[], leader: number) => Promise<T>): Promise<T> {
  const cluster = new LocalKvCluster({ size: 3, basePort: port });
  const clients: RpcClient[] = [];
  try {
    await cluster.startAll();
    clients.push(...cluster.members.map((_, i) => cluster.client(i)));
    const leader = await cluster.leader(clients);
    return await fn(cluster, clients, leader);
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    cluster.stop();
  }
}

async function throughput(): Promise<{ c1: LoadResult; c64: LoadResult }> {
  return withCluster(27100, async (_c, clients, leader) => {
    const client = clients[leader]!;
    const load = (n: number) => runLoad({ clients: n, durationMs: seconds * 1000, maxOps: 2_000_000, op: (_i, seq) => client.call(KvContract, 'put', { key: `k${seq % 10000}`, value }).then(() => undefined) });
    await load(8); // warm-up
    return { c1: await load(1), c64: await load(64) };
  });
}

async function failoverOnce(port: number): Promise<number> {
  return withCluster(port, async (cluster, clients, leader) => {
    for (let i = 0; i < 50; i++) await clients[leader]!.call(KvContract, 'put', { key: 'warm', value });
    const survivors = [0, 1, 2].filter((i) => i !== leader);
    const t0 = performance.now();
    cluster.kill(leader);
    for (let attempt = 0; performance.now() - t0 < 30_000; attempt++) {
      try {
        await clients[survivors[attempt % 2]!]!.call(KvContract, 'put', { key: 'failover', value }, { deadlineMs: 100 });
        return performance.now() - t0;
      } catch {
        // no leader yet
      }
    }
    throw new Error('shoal did not fail over within 30 s');
  });
}

async function stable(): Promise<string> {
  return withCluster(27300, async (_c, clients, leader) => {
    const before = await clients[leader]!.call(KvContract, 'status', {});
    const r = await runLoad({ clients: 64, durationMs: stability * 1000, maxOps: 50_000_000, op: (_i, seq) => clients[leader]!.call(KvContract, 'put', { key: `k${seq % 10000}`, value }).then(() => undefined) });
    const after = await clients[leader]!.call(KvContract, 'status', {});
    const changed = after.term !== before.term || after.leader !== before.leader;
    return `stability: ${stability} s at 64 clients, ${fmt(r.opsPerSec, 0)} puts/s, term ${before.term} -> ${after.term}, leader ${changed ? 'CHANGED' : 'unchanged'}, ${r.errors} errors`;
  });
}

const row = (name: string, r: LoadResult) => `${name}: ${fmt(r.opsPerSec, 0)} puts/s, p50 ${fmt(r.p50Ms)} ms, p99 ${fmt(r.p99Ms)} ms (${r.ops} ops, ${r.errors} errors)`;

const shoal = await throughput();
const failovers: number[] = [];
for (let r = 0; r < runs; r++) failovers.push(await failoverOnce(27200 + r * 10));
console.log(row('shoal 1 client', shoal.c1));
console.log(row('shoal 64 clients', shoal.c64));
console.log(`shoal failover: median ${fmt(median(failovers), 0)} ms of ${failovers.map((x) => fmt(x, 0)).join(', ')}`);
if (!process.argv.includes('--skip-etcd')) {
  const etcd: BaselineFigures = await measureEtcd({ seconds, failoverRuns: runs });
  console.log(etcdReport(etcd));
  console.log(`ratio 64 clients (shoal/etcd throughput): ${fmt(shoal.c64.opsPerSec / etcd.c64.opsPerSec)}x`);
  console.log(`ratio 1 client (shoal/etcd throughput): ${fmt(shoal.c1.opsPerSec / etcd.c1.opsPerSec)}x; p50 ${fmt(shoal.c1.p50Ms)} vs ${fmt(etcd.c1.p50Ms)} ms`);
  console.log(`ratio failover (shoal/etcd median): ${fmt(median(failovers) / median(etcd.failoverMs))}x`);
}
if (stability > 0) console.log(await stable());
