// The console's model of the cluster: the objects of the watch stream in
// maps, with the secondary indexes the views need (tasks by service, tasks
// by node). `apply` is the reducer: one watch event in, the maps changed.
// It mutates in place, because copying 50,000 tasks per event would cost
// more than the rest of a frame; everything above it is pure and reads the
// index through `IndexView`, keyed on `rev` for memoization.
//
// A node's ManagerStatus is not in the store (the manager adds it from the
// live Raft membership when listing nodes), so the watch's nodes lack it;
// `setRaftMembers` keeps it filled in from the last Raft status read.
//
// Invariants:
// - every task in `tasks` is in byService[task.ServiceID], and in
//   byNode[task.NodeID] when it has a NodeID; nothing else is in them;
// - `rev` grows on every applied event; `membership[t]` grows when a
//   create or remove in table t changes which objects exist.
import type { Cluster } from '../../api/cluster.js';
import type { RaftStatusView, WatchEvent } from '../../api/contracts/control.js';
import type { ManagerStatus, Node } from '../../api/node.js';
import type { Service } from '../../api/service.js';
import type { Task } from '../../api/task.js';

export type Table = 'nodes' | 'services' | 'tasks';

export interface IndexView {
  readonly nodes: ReadonlyMap<string, Node>;
  readonly services: ReadonlyMap<string, Service>;
  readonly tasks: ReadonlyMap<string, Task>;
  readonly cluster: Cluster | undefined;
  /** Grows on every change. */
  readonly rev: number;
  /** Grows when objects of the table are created or removed. */
  membership(table: Table): number;
  tasksOfService(id: string): ReadonlySet<string>;
  tasksOfNode(id: string): ReadonlySet<string>;
  /** The Raft index of the last event applied. */
  readonly lastIndex: number;
}

const EMPTY: ReadonlySet<string> = new Set();

export class ClusterIndex implements IndexView {
  readonly nodes = new Map<string, Node>();
  readonly services = new Map<string, Service>();
  readonly tasks = new Map<string, Task>();
  cluster: Cluster | undefined = undefined;
  rev = 0;
  lastIndex = 0;
  private readonly members: Record<Table, number> = { nodes: 0, services: 0, tasks: 0 };
  private readonly byService = new Map<string, Set<string>>();
  private readonly byNode = new Map<string, Set<string>>();
  /**
   * One TaskSpec per (service, spec version): a task's Spec is a copy of its
   * service's template at creation and never changes (api/task.ts), so tasks
   * of the same version can share one object. 50,000 tasks decoded from the
   * wire would otherwise hold 50,000 copies.
   */
  private readonly specs = new Map<string, Task['Spec']>();
  /** While a resync runs: the objects its snapshot mentioned so far. */
  private seen: Record<Table, Set<string>> | undefined = undefined;
  /** The Raft membership last read, or undefined while none was (nodes then keep their own ManagerStatus). */
  private raftMembers: ReadonlyMap<string, ManagerStatus> | undefined = undefined;

  membership(table: Table): number {
    return this.members[table];
  }

  tasksOfService(id: string): ReadonlySet<string> {
    return this.byService.get(id) ?? EMPTY;
  }

  tasksOfNode(id: string): ReadonlySet<string> {
    return this.byNode.get(id) ?? EMPTY;
  }

  get size(): number {
    return this.nodes.size + this.services.size + this.tasks.size;
  }

  /** The reducer. Tables the console does not show (networks, secrets, configs) are ignored. */
  apply(e: WatchEvent): void {
    this.rev++;
    if (e.Index > this.lastIndex) this.lastIndex = e.Index;
    const remove = e.Action === 'remove';
    switch (e.Table) {
      case 'nodes':
        return this.put('nodes', this.nodes, remove ? (e.Object as Node) : this.withMembership(e.Object as Node), remove);
      case 'services':
        return this.put('services', this.services, e.Object as Service, remove);
      case 'tasks':
        return this.putTask(e.Object as Task, remove);
      case 'clusters':
        this.cluster = remove ? undefined : (e.Object as Cluster);
        return;
      case 'networks':
      case 'secrets':
      case 'configs':
        return;
    }
  }

  /** Fill in ManagerStatus from a Raft status (as the manager's listNodes does); returns whether a node changed. */
  setRaftMembers(status: RaftStatusView): boolean {
    const members = new Map<string, ManagerStatus>();
    for (const m of status.Members) members.set(m.NodeID, { ...(m.Leader ? { Leader: true } : {}), Reachability: m.Reachability, Addr: m.Addr });
    this.raftMembers = members;
    let changed = false;
    for (const [id, n] of this.nodes) {
      const next = this.withMembership(n);
      if (next === n) continue;
      this.nodes.set(id, next);
      changed = true;
    }
    if (changed) this.rev++;
    return changed;
  }

  private withMembership(n: Node): Node {
    if (this.raftMembers === undefined) return n;
    const m = this.raftMembers.get(n.ID);
    const had = n.ManagerStatus;
    if (m === undefined) {
      if (had === undefined) return n;
      const { ManagerStatus: _gone, ...rest } = n;
      return rest;
    }
    if (had !== undefined && had.Leader === m.Leader && had.Reachability === m.Reachability && had.Addr === m.Addr) return n;
    return { ...n, ManagerStatus: m };
  }

  /**
   * A new watch stream is starting after the old one broke: its snapshot
   * will re-create everything that still exists. `sweep` then drops what
   * it did not mention (deleted while we were away).
   */
  beginResync(): void {
    this.seen = { nodes: new Set(), services: new Set(), tasks: new Set() };
  }

  /** Drop objects not seen since `beginResync`; returns how many. */
  sweep(): number {
    const seen = this.seen;
    this.seen = undefined;
    if (seen === undefined) return 0;
    let dropped = 0;
    for (const t of [...this.tasks.values()]) {
      if (seen.tasks.has(t.ID)) continue;
      this.putTask(t, true);
      dropped++;
    }
    for (const [table, map] of [['services', this.services], ['nodes', this.nodes]] as const) {
      for (const o of [...map.values()]) {
        if (seen[table].has(o.ID)) continue;
        this.put(table, map as Map<string, { readonly ID: string }>, o, true);
        dropped++;
      }
    }
    if (dropped > 0) this.rev++;
    return dropped;
  }

  private put<T extends { readonly ID: string }>(table: Table, map: Map<string, T>, obj: T, remove: boolean): void {
    const had = map.has(obj.ID);
    if (remove) {
      if (had) this.members[table]++;
      map.delete(obj.ID);
      return;
    }
    if (!had) this.members[table]++;
    map.set(obj.ID, obj);
    this.seen?.[table].add(obj.ID);
  }

  private putTask(given: Task, remove: boolean): void {
    const task = remove ? given : this.shared(given);
    const old = this.tasks.get(task.ID);
    if (old !== undefined) {
      unlink(this.byService, old.ServiceID, old.ID);
      if (old.NodeID !== undefined) unlink(this.byNode, old.NodeID, old.ID);
    }
    this.put('tasks', this.tasks, task, remove);
    if (remove) return;
    link(this.byService, task.ServiceID, task.ID);
    if (task.NodeID !== undefined && task.NodeID !== '') link(this.byNode, task.NodeID, task.ID);
  }

  private shared(task: Task): Task {
    if (task.ServiceVersion === undefined) return task;
    const key = `${task.ServiceID}:${task.ServiceVersion.Index}:${task.Spec.ForceUpdate}`;
    const spec = this.specs.get(key);
    if (spec === undefined) {
      this.specs.set(key, task.Spec);
      return task;
    }
    return spec === task.Spec ? task : { ...task, Spec: spec };
  }
}

function link(index: Map<string, Set<string>>, key: string, id: string): void {
  let set = index.get(key);
  if (set === undefined) {
    set = new Set();
    index.set(key, set);
  }
  set.add(id);
}

function unlink(index: Map<string, Set<string>>, key: string, id: string): void {
  const set = index.get(key);
  if (set === undefined) return;
  set.delete(id);
  if (set.size === 0) index.delete(key);
}
