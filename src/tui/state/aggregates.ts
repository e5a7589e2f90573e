// Per-object figures the tables show and no single object holds: a
// service's running/desired tasks and update progress, a node's running
// tasks and reserved CPU and memory. Computed on demand from the index's
// secondary indexes and memoized until the index changes (`rev`), so a
// frame pays only for the rows it shows (or once per change, when sorting
// by one of these columns).
import type { Service } from '../../api/service.js';
import type { TaskState } from '../../api/task-state.js';
import type { IndexView } from './cluster-index.js';
import { naturalKey } from './natural.js';

export interface ServiceCounts {
  /** Running tasks on nodes that are not down (swarmkit ListServiceStatuses). */
  readonly running: number;
  readonly desired: number;
  readonly completed: number;
  /** Running tasks of the current spec version (update progress). */
  readonly upToDate: number;
}

export interface NodeLoad {
  readonly running: number;
  /** Reservations of the tasks holding the node's resources (assigned..running). */
  readonly nanoCpus: number;
  readonly memoryBytes: number;
}

const HOLDS_RESOURCES: ReadonlySet<TaskState> = new Set<TaskState>(['assigned', 'accepted', 'preparing', 'ready', 'starting', 'running']);

export class Aggregates {
  private rev = -1;
  private readonly services = new Map<string, ServiceCounts>();
  private readonly nodes = new Map<string, NodeLoad>();
  private serviceRanks: { readonly stamp: number; readonly ranks: ReadonlyMap<string, number> } | undefined;
  private nodeRanks: { readonly stamp: number; readonly ranks: ReadonlyMap<string, number> } | undefined;

  constructor(private readonly index: IndexView) {}

  /**
   * A service's place among the services in natural name order, so 50,000
   * tasks sort by (service, slot) on numbers. Names never change, so the
   * ranks are redone only when services come or go.
   */
  serviceRank(id: string): number {
    const stamp = this.index.membership('services');
    if (this.serviceRanks?.stamp !== stamp) this.serviceRanks = { stamp, ranks: rank([...this.index.services.values()].map((s) => [s.ID, s.Spec.Name])) };
    return this.serviceRanks.ranks.get(id) ?? this.serviceRanks.ranks.size;
  }

  /** A node's place in natural hostname order (global tasks sort by their node). */
  nodeRank(id: string | undefined): number {
    const stamp = this.index.membership('nodes');
    if (this.nodeRanks?.stamp !== stamp) this.nodeRanks = { stamp, ranks: rank([...this.index.nodes.values()].map((n) => [n.ID, n.Description.Hostname])) };
    return id === undefined ? 0 : (this.nodeRanks.ranks.get(id) ?? this.nodeRanks.ranks.size);
  }

  service(id: string): ServiceCounts {
    this.fresh();
    let c = this.services.get(id);
    if (c === undefined) {
      c = this.countService(id);
      this.services.set(id, c);
    }
    return c;
  }

  node(id: string): NodeLoad {
    this.fresh();
    let l = this.nodes.get(id);
    if (l === undefined) {
      l = this.loadOf(id);
      this.nodes.set(id, l);
    }
    return l;
  }

  private fresh(): void {
    if (this.rev === this.index.rev) return;
    this.rev = this.index.rev;
    this.services.clear();
    this.nodes.clear();
  }

  private nodeUp(id: string | undefined): boolean {
    if (id === undefined) return false;
    const n = this.index.nodes.get(id);
    return n !== undefined && n.Status.State !== 'down';
  }

  private countService(id: string): ServiceCounts {
    const service = this.index.services.get(id);
    if (service === undefined) return { running: 0, desired: 0, completed: 0, upToDate: 0 };
    const iteration = service.JobStatus?.JobIteration.Index;
    let running = 0;
    let completed = 0;
    let upToDate = 0;
    let globalDesired = 0;
    let globalJobLeft = 0;
    for (const tid of this.index.tasksOfService(id)) {
      const t = this.index.tasks.get(tid);
      if (t === undefined || (iteration !== undefined && t.JobIteration?.Index !== iteration)) continue;
      const up = this.nodeUp(t.NodeID);
      if (t.Status.State === 'running' && up) {
        running++;
        if (t.ServiceVersion === undefined || t.ServiceVersion.Index === service.SpecVersion.Index) upToDate++;
      }
      if (t.Status.State === 'complete') completed++;
      if (t.DesiredState === 'running' && up) globalDesired++;
      if (t.DesiredState === 'complete' && t.Status.State !== 'complete') globalJobLeft++;
    }
    return { running, desired: desiredOf(service, completed, globalDesired, globalJobLeft), completed, upToDate };
  }

  private loadOf(id: string): NodeLoad {
    let running = 0;
    let nanoCpus = 0;
    let memoryBytes = 0;
    for (const tid of this.index.tasksOfNode(id)) {
      const t = this.index.tasks.get(tid);
      if (t === undefined) continue;
      if (t.Status.State === 'running') running++;
      if (HOLDS_RESOURCES.has(t.Status.State) && t.DesiredState !== 'shutdown' && t.DesiredState !== 'remove') {
        nanoCpus += t.Spec.Resources.Reservations.NanoCPUs;
        memoryBytes += t.Spec.Resources.Reservations.MemoryBytes;
      }
    }
    return { running, nanoCpus, memoryBytes };
  }
}

function rank(named: readonly (readonly [string, string])[]): Map<string, number> {
  const keyed = named.map(([id, name]) => ({ id, key: naturalKey(name) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id < b.id ? -1 : 1));
  return new Map(keyed.map((x, i) => [x.id, i]));
}

function desiredOf(service: Service, completed: number, globalDesired: number, globalJobLeft: number): number {
  const mode = service.Spec.Mode;
  if (mode.Replicated !== undefined) return mode.Replicated.Replicas;
  if (mode.ReplicatedJob !== undefined) return Math.max(0, Math.min(mode.ReplicatedJob.MaxConcurrent, mode.ReplicatedJob.TotalCompletions - completed));
  if (mode.Global !== undefined) return globalDesired;
  return globalJobLeft;
}
