// An in-memory cluster for the console's tests and benchmark: nodes,
// services and tasks with versions, a watch that starts with the snapshot
// and then streams every change (no gap), and the control calls the
// console makes, with the manager's rules and words where the tests need
// them (out-of-sequence versions, the last manager, rollback without a
// previous spec). `source()` hands it to the console in-process;
// fake-control-server.ts serves it over a real RPC socket.
import type { LogLine, RaftStatusView, WatchEvent } from '../../../src/api/contracts/control.js';
import { ShoalError } from '../../../src/api/errors.js';
import type { NodeId, ServiceId, TaskId } from '../../../src/api/ids.js';
import { checkNodeSpec, type Node } from '../../../src/api/node.js';
import { timestampOf } from '../../../src/api/object-meta.js';
import { newService, rollbackServiceSpec, updateServiceSpec, type Service } from '../../../src/api/service.js';
import { decodeServiceSpec } from '../../../src/api/service-validate.js';
import { withServiceDefaults, type ServiceSpecInput } from '../../../src/api/service-spec.js';
import { newTask, type Task } from '../../../src/api/task.js';
import type { TaskState } from '../../../src/api/task-state.js';
import { issueError } from '../../../src/api/validation.js';
import type { ConsoleSource, ControlPort } from '../../../src/tui/source.js';
import type { LinkStatus } from '../../../src/tui/state/connection.js';

type Table = 'nodes' | 'services' | 'tasks';
type Stored = Node | Service | Task;

/** 25-character ids like swarmkit's, readable in tests (`t12z000…`); the `z` keeps t1 and t10 apart. */
export function fakeId(prefix: string, n: number): string {
  return `${prefix.slice(0, 12)}${n}z`.padEnd(25, '0').slice(0, 25);
}

/** An unbounded queue a watch reads; `next` gives undefined once `signal` aborts. */
class Queue<T> {
  private readonly items: T[] = [];
  private wake: (() => void) | undefined;

  push(x: T): void {
    this.items.push(x);
    this.wake?.();
  }

  async next(signal: AbortSignal): Promise<T | undefined> {
    while (this.items.length === 0) {
      if (signal.aborted) return undefined;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          signal.removeEventListener('abort', done);
          resolve();
        };
        this.wake = done;
        signal.addEventListener('abort', done, { once: true });
      });
      this.wake = undefined;
    }
    return this.items.shift();
  }
}

export interface NodeOptions {
  readonly role?: 'manager' | 'worker';
  readonly leader?: boolean;
  readonly state?: Node['Status']['State'];
  readonly availability?: Node['Spec']['Availability'];
  readonly cpus?: number;
  readonly memoryGiB?: number;
}

export class FakeCluster {
  readonly nodes = new Map<string, Node>();
  readonly services = new Map<string, Service>();
  readonly tasks = new Map<string, Task>();
  /** What `serviceLogs` answers: lines, or an error (this build's manager says logs are not available yet). */
  logs: LogLine[] | ShoalError = [];
  raft: RaftStatusView | ShoalError | undefined = undefined;
  /** Every control call, `method ref`, for assertions. */
  readonly calls: string[] = [];
  index = 100;
  private serial = 0;
  private readonly watchers = new Set<Queue<WatchEvent>>();
  private link: LinkStatus = 'open';
  private readonly linkListeners = new Set<(s: LinkStatus) => void>();

  constructor(readonly clock: () => number = Date.now) {}

  // ---- building ----

  put<T extends Stored>(table: Table, obj: T): T {
    this.index++;
    const stored = { ...obj, Version: { Index: this.index } };
    const map = this.map(table);
    const isNew = !map.has(obj.ID);
    map.set(obj.ID, stored);
    this.emit({ Action: isNew ? 'create' : 'update', Table: table, Object: stored, Index: this.index });
    return stored;
  }

  remove(table: Table, id: string): void {
    const map = this.map(table);
    const obj = map.get(id);
    if (obj === undefined) return;
    map.delete(id);
    this.index++;
    this.emit({ Action: 'remove', Table: table, Object: obj, Index: this.index });
  }

  addNode(hostname: string, o: NodeOptions = {}): Node {
    this.serial++;
    const at = timestampOf(Date.UTC(2024, 0, 1));
    const role = o.role ?? 'worker';
    const addr = `10.0.${Math.floor(this.serial / 250)}.${(this.serial % 250) + 1}`;
    const node: Node = {
      ID: fakeId(`n${hostname.replace(/[^a-z0-9]/g, '')}`, this.serial) as NodeId,
      Version: { Index: 0 },
      CreatedAt: at,
      UpdatedAt: at,
      Spec: { Labels: {}, Role: role, Availability: o.availability ?? 'active' },
      Description: {
        Hostname: hostname,
        Platform: { Architecture: 'x86_64', OS: 'linux' },
        Resources: { NanoCPUs: (o.cpus ?? 4) * 1e9, MemoryBytes: (o.memoryGiB ?? 8) * 1024 ** 3 },
        Engine: { EngineVersion: '0.1.0', Labels: {} },
      },
      Status: { State: o.state ?? 'ready', Addr: addr },
      ...(role === 'manager' ? { ManagerStatus: { Leader: o.leader === true, Reachability: 'reachable' as const, Addr: `${addr}:2377` } } : {}),
    };
    return this.put('nodes', node);
  }

  addService(name: string, input: Partial<ServiceSpecInput> & { readonly image?: string; readonly replicas?: number } = {}): Service {
    this.serial++;
    const { image, replicas, ...rest } = input;
    const spec = withServiceDefaults({
      Name: name,
      TaskTemplate: { ContainerSpec: { Image: image ?? 'nginx:1.27' } },
      Mode: { Replicated: { Replicas: replicas ?? 1 } },
      ...rest,
    });
    return this.put('services', newService(fakeId(`s${name.replace(/[^a-z0-9]/g, '')}`, this.serial) as ServiceId, spec, this.clock()));
  }

  addTask(service: Service, o: { readonly slot?: number; readonly node?: Node; readonly state?: TaskState; readonly desired?: Task['DesiredState']; readonly err?: string; readonly pending?: string; readonly atMs?: number }): Task {
    this.serial++;
    const at = o.atMs ?? this.clock();
    const svc = this.services.get(service.ID) ?? service;
    const base = newTask({ id: fakeId('t', this.serial) as TaskId, serviceId: svc.ID, spec: svc.Spec, serviceVersion: svc.SpecVersion, nowMs: at, ...(o.slot !== undefined ? { slot: o.slot } : {}), desiredState: o.desired ?? 'running' });
    const state = o.state ?? 'running';
    const task: Task = {
      ...base,
      ...(o.node !== undefined ? { NodeID: o.node.ID } : {}),
      Status: { Timestamp: timestampOf(at), State: state, Message: state, ...(o.err !== undefined ? { Err: o.err } : {}) },
      ...(o.pending !== undefined ? { PendingExplanation: { Summary: o.pending, Rejections: [], CheckedAt: timestampOf(at) } } : {}),
    };
    return this.put('tasks', task);
  }

  setTaskState(task: Task, state: TaskState, err?: string): Task {
    const cur = this.tasks.get(task.ID) ?? task;
    return this.put('tasks', { ...cur, Status: { ...cur.Status, State: state, Timestamp: timestampOf(this.clock()), Message: state, ...(err !== undefined ? { Err: err } : {}) } });
  }

  setNode(node: Node, change: (n: Node) => Node): Node {
    return this.put('nodes', change(this.nodes.get(node.ID) ?? node));
  }

  // ---- the link (for the header) ----

  setLink(s: LinkStatus): void {
    this.link = s;
    for (const l of this.linkListeners) l(s);
  }

  /** End every watch stream with an error, as a lost connection does. */
  breakWatches(): void {
    for (const q of this.watchers) q.push({ Action: 'remove', Table: 'networks', Object: { ID: '__break__' }, Index: -1 });
  }

  // ---- the console's view of it ----

  snapshot(): WatchEvent[] {
    const out: WatchEvent[] = [];
    for (const table of ['nodes', 'services', 'tasks'] as const) for (const o of this.map(table).values()) out.push({ Action: 'create', Table: table, Object: o, Index: o.Version.Index });
    return out;
  }

  async *watch(signal: AbortSignal): AsyncIterable<WatchEvent> {
    const q = new Queue<WatchEvent>();
    this.watchers.add(q);
    try {
      for (const e of this.snapshot()) yield e;
      for (;;) {
        const e = await q.next(signal);
        if (e === undefined) return;
        if (e.Index === -1) throw new ShoalError('Unavailable', 'lost the connection to the manager; resubscribe to continue the stream');
        yield e;
      }
    } finally {
      this.watchers.delete(q);
    }
  }

  async *logStream(ref: string): AsyncIterable<LogLine> {
    this.calls.push(`serviceLogs ${ref}`);
    if (this.logs instanceof ShoalError) throw this.logs;
    for (const l of this.logs) {
      const t = this.tasks.get(l.TaskID);
      if (l.TaskID === ref || t?.ServiceID === ref) yield l;
    }
  }

  raftStatus(): RaftStatusView {
    if (this.raft instanceof ShoalError) throw this.raft;
    if (this.raft !== undefined) return this.raft;
    const managers = [...this.nodes.values()].filter((n) => n.ManagerStatus !== undefined);
    return {
      Term: 3,
      LeaderID: managers.find((n) => n.ManagerStatus?.Leader === true)?.ID ?? null,
      CommitIndex: this.index,
      AppliedIndex: this.index,
      Members: managers.map((n) => ({ NodeID: n.ID, Addr: n.ManagerStatus?.Addr ?? '', Role: 'voter' as const, Leader: n.ManagerStatus?.Leader === true, Reachability: n.ManagerStatus?.Reachability ?? 'unknown', MatchIndex: this.index, Lag: 0 })),
    };
  }

  readonly control: ControlPort = {
    getNode: async (ref) => this.node(ref),
    updateNode: async (ref, version, spec) => {
      const n = this.node(ref);
      this.calls.push(`updateNode ${n.Description.Hostname}`);
      if (n.Version.Index !== version) throw new ShoalError('FailedPrecondition', 'update out of sequence');
      const checked = checkNodeSpec(spec);
      if (!checked.ok) throw issueError('node spec', checked.issue);
      const next = checked.value;
      if (n.Spec.Role === 'manager' && next.Role === 'worker' && [...this.nodes.values()].filter((x) => x.Spec.Role === 'manager').length === 1) {
        throw new ShoalError('FailedPrecondition', 'attempting to demote the last manager of the swarm');
      }
      const { ManagerStatus: ms, ...rest } = n;
      const managerStatus = next.Role === 'manager' ? (ms ?? { Leader: false, Reachability: 'reachable' as const, Addr: `${n.Status.Addr}:2377` }) : undefined;
      return this.put('nodes', { ...rest, Spec: next, ...(managerStatus !== undefined ? { ManagerStatus: managerStatus } : {}) });
    },
    getService: async (ref) => this.service(ref),
    updateService: async (req) => {
      const s = this.service(req.ref);
      this.calls.push(`updateService ${s.Spec.Name}${req.rollback !== undefined ? ' rollback' : ''}`);
      if (s.Version.Index !== req.version) throw new ShoalError('FailedPrecondition', 'update out of sequence');
      if (req.rollback !== undefined) {
        const r = rollbackServiceSpec(s, this.clock());
        if (!r.ok) throw new ShoalError('FailedPrecondition', r.reason);
        this.put('services', r.service);
        return { warnings: [] };
      }
      const d = decodeServiceSpec(req.spec);
      if (!d.ok) throw issueError('service spec', d.issue);
      this.put('services', updateServiceSpec(s, d.value, this.clock()));
      return { warnings: [] };
    },
    removeService: async (ref) => {
      const s = this.service(ref);
      this.calls.push(`removeService ${s.Spec.Name}`);
      this.remove('services', s.ID);
      for (const t of [...this.tasks.values()]) if (t.ServiceID === s.ID) this.remove('tasks', t.ID);
      return { id: s.ID };
    },
  };

  /** The console's source, in-process. */
  source(address = 'unix:///run/shoal/fake.sock'): ConsoleSource {
    return {
      address,
      status: () => this.link,
      onStatus: (l) => {
        this.linkListeners.add(l);
        return () => this.linkListeners.delete(l);
      },
      watch: (signal) => this.watch(signal),
      raftStatus: async () => this.raftStatus(),
      logs: (ref) => this.logStream(ref),
      control: this.control,
    };
  }

  node(ref: string): Node {
    const n = [...this.nodes.values()].find((x) => x.ID === ref || x.Description.Hostname === ref);
    if (n === undefined) throw new ShoalError('NotFound', `node ${ref} not found`);
    return n;
  }

  service(ref: string): Service {
    const s = [...this.services.values()].find((x) => x.ID === ref || x.Spec.Name === ref);
    if (s === undefined) throw new ShoalError('NotFound', `service ${ref} not found`);
    return s;
  }

  private map(table: Table): Map<string, Stored> {
    return (table === 'nodes' ? this.nodes : table === 'services' ? this.services : this.tasks) as Map<string, Stored>;
  }

  private emit(e: WatchEvent): void {
    for (const q of this.watchers) q.push(e);
  }
}
