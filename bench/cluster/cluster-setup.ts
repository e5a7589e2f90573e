// The cluster the scale benchmarks run against: three shoald managers (the
// process runtime) on 127.0.90.1-3 as separate processes, drained so that
// tasks go to hollow nodes only (their own agents would run real processes),
// and a fleet of hollow nodes in this process.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ControlContract } from '../../src/api/contracts/control.js';
import { DaemonContract } from '../../src/api/contracts/daemon.js';
import type { Node } from '../../src/api/node.js';
import { LocalCluster } from '../../src/cli/local-cluster.js';

export const MANAGERS = ['manager1', 'manager2', 'manager3'] as const;

export interface BenchCluster {
  readonly cluster: LocalCluster;
  readonly workerToken: string;
  /** The managers' cluster addresses (host:port). */
  readonly addrs: readonly string[];
}

/** Poll `fn` until `check` holds; bounded in time. */
export async function until<T>(what: string, fn: () => Promise<T>, check: (v: T) => boolean, limitMs: number, everyMs = 200, show: (v: T) => string = (v) => JSON.stringify(v)?.slice(0, 200) ?? ''): Promise<T> {
  const end = Date.now() + limitMs;
  let last = '';
  for (;;) {
    try {
      const v = await fn();
      if (check(v)) return v;
      last = show(v);
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > end) throw new Error(`timed out after ${limitMs} ms waiting for ${what}; last: ${last}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function listNodes(cluster: LocalCluster, via = 'manager1'): Promise<Node[]> {
  return (await cluster.client(via).call(ControlContract, 'listNodes', {}, { deadlineMs: 20_000 })).nodes;
}

const PROFILER = fileURLToPath(new URL('./cpu-profiler.mjs', import.meta.url));

/**
 * Start three managers, init on manager1, join the other two, wait for one
 * leader and three reachable voters, then drain the managers. With
 * `profileDir`, the managers load cpu-profiler.mjs: `toggleProfiling`
 * starts and stops their CPU profiles, written there as <pid>-<n>.cpuprofile.
 */
export async function startManagers(opts: { port: number; profileDir?: string }): Promise<BenchCluster> {
  // Killed from outside (timeout, ^C): take the managers down too (LocalCluster.stop kills synchronously).
  let current: LocalCluster | null = null;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      void current?.stop();
      process.exit(130);
    });
  }
  // If forming the cluster fails anyway, start over, a bounded number of times.
  for (let attempt = 1; ; attempt++) {
    const cluster = new LocalCluster({ dir: mkdtempSync(join(tmpdir(), 'shoal-bench-cluster-')), names: [...MANAGERS], subnet: 90, port: opts.port, runtime: 'process' });
    current = cluster;
    try {
      return await formCluster(cluster, opts.profileDir);
    } catch (err) {
      console.error(`cluster formation attempt ${attempt} failed: ${err instanceof Error ? err.message : String(err)}`);
      for (const n of cluster.nodes) if (n.log.length > 0) console.error(`--- ${n.name} (last lines)\n${n.log.slice(-6).join('\n')}`);
      await stopManagers(cluster);
      if (attempt >= 3) throw err;
    }
  }
}

async function formCluster(cluster: LocalCluster, profileDir: string | undefined): Promise<BenchCluster> {
  const saved = process.env['NODE_OPTIONS'];
  if (profileDir !== undefined) {
    process.env['NODE_OPTIONS'] = [saved, `--import=${PROFILER}`].filter((x) => x !== undefined && x !== '').join(' ');
    process.env['SHOAL_CPU_PROF_DIR'] = profileDir;
  }
  try {
    await Promise.all(MANAGERS.map((m) => cluster.start(m)));
  } finally {
    if (saved === undefined) delete process.env['NODE_OPTIONS'];
    else process.env['NODE_OPTIONS'] = saved;
  }
  const { workerToken, managerToken } = await cluster.init('manager1');
  await cluster.join('manager2', 'manager1', managerToken);
  await cluster.join('manager3', 'manager1', managerToken);
  const formed = (ns: Node[]): boolean => ns.filter((n) => n.ManagerStatus?.Reachability === 'reachable').length === 3 && ns.some((n) => n.ManagerStatus?.Leader === true);
  const show = (ns: Node[]): string => ns.map((n) => `${n.Description.Hostname}:${n.ManagerStatus?.Reachability ?? '-'}${n.ManagerStatus?.Leader === true ? '*' : ''}`).join(' ');
  // A manager whose `swarm join` returned but that is not in Raft (seen in most runs since
  // 2026-11-22, see BENCHMARKS.md, Cluster scale) leaves with --force and joins again (bounded).
  for (let attempt = 1; ; attempt++) {
    try {
      await until('three reachable managers with a leader', () => listNodes(cluster), formed, 10_000, 200, show);
      break;
    } catch (err) {
      const ns = await listNodes(cluster);
      const outside = MANAGERS.filter((m) => ns.find((n) => n.Description.Hostname === m && n.Status.State !== 'down')?.ManagerStatus === undefined);
      if (outside.length === 0 || attempt >= 4) throw err;
      console.error(`${outside.join(', ')}: joined but not in Raft after 10 s (${show(ns)}); leaving and joining again`);
      for (const m of outside) {
        await cluster.client(m).call(DaemonContract, 'swarmLeave', { force: true }, { deadlineMs: 30_000 });
        await cluster.join(m, 'manager1', managerToken);
      }
    }
  }
  for (const name of MANAGERS) await drain(cluster, name);
  return { cluster, workerToken, addrs: MANAGERS.map((m) => cluster.addr(m)) };
}

/** Set a node's availability to drain, re-reading it if its version moved (bounded). */
async function drain(cluster: LocalCluster, name: string): Promise<void> {
  const c = cluster.client('manager1');
  await until(
    `${name} drained`,
    async () => {
      const n = await c.call(ControlContract, 'getNode', { ref: name }, { deadlineMs: 10_000 });
      if (n.Spec.Availability === 'drain') return true;
      await c.call(ControlContract, 'updateNode', { ref: n.ID, version: n.Version.Index, spec: { ...n.Spec, Availability: 'drain' } }, { deadlineMs: 10_000 });
      return true;
    },
    (ok) => ok,
    10_000,
    50,
  );
}

/** The Raft term and the leader's hostname (a term change during a phase means an election). */
export async function raftTerm(cluster: LocalCluster): Promise<{ term: number; leader: string }> {
  const st = await cluster.client('manager1').call(ControlContract, 'raftStatus', {}, { deadlineMs: 10_000 });
  const leader = (await listNodes(cluster)).find((n) => n.ID === st.LeaderID)?.Description.Hostname ?? '?';
  return { term: st.Term, leader };
}

/** The managers' names with the leader first, and their pids. */
export async function managerRoles(cluster: LocalCluster): Promise<Array<{ name: string; role: 'leader' | 'follower'; pid: number }>> {
  const ns = await listNodes(cluster);
  const leader = ns.find((n) => n.ManagerStatus?.Leader === true)?.Description.Hostname;
  return MANAGERS.map((name) => ({ name, role: name === leader ? ('leader' as const) : ('follower' as const), pid: cluster.node(name).proc?.pid ?? -1 }))
    .filter((m) => m.pid > 0)
    .sort((a, b) => (a.role === b.role ? 0 : a.role === 'leader' ? -1 : 1));
}

/** Start or stop the CPU profiles of managers started with `profileDir` (SIGUSR2, see cpu-profiler.mjs). */
export function toggleProfiling(cluster: LocalCluster): void {
  for (const n of cluster.nodes) n.proc?.kill('SIGUSR2');
}

/** Stop the managers: SIGTERM (so --cpu-prof profiles get written), bounded wait, then SIGKILL. */
export async function stopManagers(cluster: LocalCluster, graceMs = 10_000): Promise<void> {
  const exits = cluster.nodes.map((n) => {
    const p = n.proc;
    if (p === null || p.exitCode !== null || p.signalCode !== null) {
      n.proc = null;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const t = setTimeout(resolve, graceMs);
      p.once('exit', () => {
        clearTimeout(t);
        n.proc = null; // exited: nothing left for cluster.stop() to kill
        resolve();
      });
      p.kill('SIGTERM');
    });
  });
  await Promise.all(exits);
  await cluster.stop();
}
