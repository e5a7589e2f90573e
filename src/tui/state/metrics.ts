// The dashboard's time series, sampled once a second from the index (and
// the Raft status when one was read): running vs desired tasks (in all and
// for the biggest services), the commit rate, leader changes, nodes up and
// down, and each node's reserved CPU and memory against what it reports.
import type { Aggregates } from './aggregates.js';
import type { IndexView } from './cluster-index.js';
import type { RaftFeed } from './feeds.js';
import { Ring } from './ring.js';

export interface Sample {
  readonly atMs: number;
  readonly running: number;
  readonly desired: number;
  /** By service name, for the services with the most desired tasks. */
  readonly services: ReadonlyMap<string, { readonly running: number; readonly desired: number }>;
  readonly commitIndex: number;
  readonly leader: string | undefined;
  readonly nodesUp: number;
  readonly nodesDown: number;
}

export interface NodeShare {
  readonly name: string;
  /** Percent of the node's CPU / memory reserved by its tasks. */
  readonly cpu: number;
  readonly memory: number;
}

export const TOP_SERVICES = 3;

export class Metrics {
  readonly samples = new Ring<Sample>(180);
  leaderChanges = 0;

  sample(atMs: number, index: IndexView, agg: Aggregates, raft: RaftFeed): Sample {
    let running = 0;
    let desired = 0;
    const perService: { name: string; running: number; desired: number }[] = [];
    for (const s of index.services.values()) {
      const c = agg.service(s.ID);
      running += c.running;
      desired += c.desired;
      perService.push({ name: s.Spec.Name, running: c.running, desired: c.desired });
    }
    perService.sort((a, b) => b.desired - a.desired || (a.name < b.name ? -1 : 1));
    let nodesUp = 0;
    let nodesDown = 0;
    let leader: string | undefined;
    for (const n of index.nodes.values()) {
      if (n.Status.State === 'ready') nodesUp++;
      else nodesDown++;
      if (n.ManagerStatus?.Leader === true) leader = n.ID;
    }
    leader = raft.status?.LeaderID ?? leader;
    const last = this.samples.at(this.samples.length - 1);
    if (last !== undefined && last.leader !== undefined && leader !== undefined && last.leader !== leader) this.leaderChanges++;
    const s: Sample = {
      atMs,
      running,
      desired,
      services: new Map(perService.slice(0, TOP_SERVICES).map((x) => [x.name, { running: x.running, desired: x.desired }])),
      commitIndex: Math.max(index.lastIndex, raft.status?.CommitIndex ?? 0),
      leader,
      nodesUp,
      nodesDown,
    };
    this.samples.push(s);
    return s;
  }

  /** Commits per second between consecutive samples. */
  commitRates(): number[] {
    const xs = this.samples.toArray();
    return xs.slice(1).map((s, i) => {
      const prev = xs[i] as Sample;
      const dt = (s.atMs - prev.atMs) / 1000;
      return dt > 0 ? Math.max(0, (s.commitIndex - prev.commitIndex) / dt) : 0;
    });
  }
}

/** The nodes with the largest reservations, as shares of what each reports. */
export function nodeShares(index: IndexView, agg: Aggregates, limit: number): NodeShare[] {
  const out: NodeShare[] = [];
  for (const n of index.nodes.values()) {
    const l = agg.node(n.ID);
    const r = n.Description.Resources;
    out.push({
      name: n.Description.Hostname,
      cpu: r.NanoCPUs > 0 ? Math.round((100 * l.nanoCpus) / r.NanoCPUs) : 0,
      memory: r.MemoryBytes > 0 ? Math.round((100 * l.memoryBytes) / r.MemoryBytes) : 0,
    });
  }
  out.sort((a, b) => b.cpu + b.memory - (a.cpu + a.memory) || (a.name < b.name ? -1 : 1));
  return out.slice(0, limit);
}
