// An in-process fake of the manager's Control API for the service commands:
// a real RpcServer on a unix socket in a temp dir, backed by maps of
// services, tasks and nodes, with a watch stream (snapshot, then every
// change) and a tiny orchestrator whose behaviour a test picks (`policy`).
// Services, tasks and versions use src/api's own functions, so the specs
// the CLI sends are decoded, defaulted and validated as the manager does.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ControlContract, type LogLine, type WatchEvent } from '../../../src/api/contracts/control.js';
import { ShoalError } from '../../../src/api/errors.js';
import type { ServiceSpecInput } from '../../../src/api/service-spec.js';
import type { NodeId, ServiceId, TaskId } from '../../../src/api/ids.js';
import type { Node } from '../../../src/api/node.js';
import { timestampOf } from '../../../src/api/object-meta.js';
import { checkServiceSpecChange, decodeServiceSpec } from '../../../src/api/service-validate.js';
import { newService, rollbackServiceSpec, specAtVersion, updateServiceSpec, type Service, type UpdateStatus } from '../../../src/api/service.js';
import { newTask, type Task } from '../../../src/api/task.js';
import { issueError, unwrap } from '../../../src/api/validation.js';
import { listenUnix, RpcServer, serve, type Listener } from '../../../src/net/rpc/index.js';
import { simulate, type Policy } from './fake-sim.js';

type Table = 'services' | 'tasks' | 'nodes';
type Stored = Service | Task | Node;

/** An unbounded queue a watch handler waits on; `next` gives undefined once `signal` aborts. */
class EventQueue {
  private readonly items: WatchEvent[] = [];
  private wake: (() => void) | undefined;

  push(e: WatchEvent): void {
    this.items.push(e);
    this.wake?.();
  }

  async next(signal: AbortSignal): Promise<WatchEvent | undefined> {
    while (this.items.length === 0) {
      if (signal.aborted) return undefined;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
      this.wake = undefined;
    }
    return this.items.shift();
  }
}

export function fakeId(prefix: string, n: number): string {
  return `${prefix}${n.toString(36)}`.padEnd(25, '0');
}

export function makeNode(n: number, hostname: string, state: Node['Status']['State'] = 'ready'): Node {
  const at = timestampOf(Date.UTC(2024, 0, 1));
  return {
    ID: fakeId('node', n) as NodeId,
    Version: { Index: 1 },
    CreatedAt: at,
    UpdatedAt: at,
    Spec: { Labels: {}, Role: n === 1 ? 'manager' : 'worker', Availability: 'active' },
    Description: { Hostname: hostname, Platform: { Architecture: 'x86_64', OS: 'linux' }, Resources: { NanoCPUs: 4e9, MemoryBytes: 8 * 1024 ** 3 }, Engine: { EngineVersion: 'shoal', Labels: {} } },
    Status: { State: state, Addr: `10.0.0.${n}` },
  };
}

/**
 * Secret and config references arrive by name (the CLI cannot list
 * secrets); the manager fills in the ids before it validates, as here.
 */
export function withReferenceIds<S extends ServiceSpecInput>(spec: S): S {
  const c = spec.TaskTemplate.ContainerSpec;
  const id = (given: string | undefined, name: string | undefined) => (given === undefined || given === '' ? `id-${name ?? ''}` : given);
  return {
    ...spec,
    TaskTemplate: {
      ...spec.TaskTemplate,
      ContainerSpec: {
        ...c,
        ...(c.Secrets !== undefined ? { Secrets: c.Secrets.map((r) => ({ ...r, SecretID: id(r.SecretID, r.SecretName) })) } : {}),
        ...(c.Configs !== undefined ? { Configs: c.Configs.map((r) => ({ ...r, ConfigID: id(r.ConfigID, r.ConfigName) })) } : {}),
      },
    },
  };
}

export class FakeControl {
  readonly services = new Map<string, Service>();
  readonly tasks = new Map<string, Task>();
  readonly nodes = new Map<string, Node>();
  /** What `serviceLogs` streams (filtered by the request's task or service). */
  logs: LogLine[] = [];
  /** How the fake orchestrator answers a create or update. */
  policy: Policy = 'converge';
  /** Every call, `method ref` style, for assertions. */
  readonly calls: string[] = [];
  private index = 10;
  private counter = 0;
  private readonly watchers = new Set<EventQueue>();

  constructor(readonly clock: () => number = () => Date.now()) {}

  nextId(prefix: string): string {
    this.counter++;
    return fakeId(prefix, this.counter);
  }

  /** Commit an object (its Version.Index is set) and tell the watchers. */
  put<T extends Stored>(table: Table, obj: T, action: 'create' | 'update' = 'update'): T {
    this.index++;
    const stored = { ...obj, Version: { Index: this.index } };
    const map = this.map(table) as Map<string, Stored>;
    const isNew = !map.has(obj.ID);
    map.set(obj.ID, stored);
    this.emit({ Action: isNew ? 'create' : action, Table: table, Object: stored, Index: this.index });
    return stored;
  }

  remove(table: Table, id: string): void {
    const map = this.map(table) as Map<string, Stored>;
    const obj = map.get(id);
    if (obj === undefined) return;
    map.delete(id);
    this.index++;
    this.emit({ Action: 'remove', Table: table, Object: obj, Index: this.index });
  }

  addNode(n: number, hostname: string, state: Node['Status']['State'] = 'ready'): Node {
    return this.put('nodes', makeNode(n, hostname, state));
  }

  /** A task of `service` in `state`, committed. */
  addTask(service: Service, o: { slot?: number; nodeId?: string; state: Task['Status']['State']; desired?: Task['DesiredState']; err?: string; atMs?: number }): Task {
    const at = o.atMs ?? this.clock();
    const base = newTask({
      id: this.nextId('task') as TaskId,
      serviceId: service.ID,
      spec: service.Spec,
      serviceVersion: service.SpecVersion,
      nowMs: at,
      ...(o.slot !== undefined ? { slot: o.slot } : {}),
      ...(service.JobStatus !== undefined ? { jobIteration: service.JobStatus.JobIteration } : {}),
      desiredState: o.desired ?? 'running',
    });
    const task: Task = {
      ...base,
      ...(o.nodeId !== undefined ? { NodeID: o.nodeId as NodeId } : {}),
      Status: { Timestamp: timestampOf(at), State: o.state, Message: o.state, ...(o.err !== undefined ? { Err: o.err } : {}) },
    };
    return this.put('tasks', task);
  }

  setTask(task: Task, change: Partial<Pick<Task, 'DesiredState' | 'PendingExplanation'>> & { state?: Task['Status']['State']; err?: string }): Task {
    const status = change.state === undefined ? task.Status : { ...task.Status, State: change.state, Timestamp: timestampOf(this.clock()), ...(change.err !== undefined ? { Err: change.err } : {}) };
    const { state: _s, err: _e, ...rest } = change;
    return this.put('tasks', { ...task, ...rest, Status: status });
  }

  setStatus(service: Service, status: UpdateStatus | undefined): Service {
    const current = this.services.get(service.ID) ?? service;
    const { UpdateStatus: _old, ...rest } = current;
    return this.put('services', status === undefined ? rest : { ...rest, UpdateStatus: status });
  }

  /** The stored service named `ref` (id, name or id prefix), as the manager resolves it. */
  resolve(ref: string): Service {
    const all = [...this.services.values()];
    const found = all.find((s) => s.ID === ref) ?? all.find((s) => s.Spec.Name === ref) ?? (all.filter((s) => s.ID.startsWith(ref)).length === 1 ? all.find((s) => s.ID.startsWith(ref)) : undefined);
    if (found === undefined) throw new ShoalError('NotFound', `service ${ref} not found`);
    return found;
  }

  tasksOf(serviceId: string): Task[] {
    return [...this.tasks.values()].filter((t) => t.ServiceID === serviceId);
  }

  private map(table: Table): Map<string, Stored> {
    return (table === 'services' ? this.services : table === 'tasks' ? this.tasks : this.nodes) as Map<string, Stored>;
  }

  private emit(e: WatchEvent): void {
    for (const q of this.watchers) q.push(e);
  }

  private snapshot(tables: readonly string[] | undefined): WatchEvent[] {
    const out: WatchEvent[] = [];
    for (const table of ['nodes', 'services', 'tasks'] as const) {
      if (tables !== undefined && !tables.includes(table)) continue;
      for (const obj of this.map(table).values()) out.push({ Action: 'create', Table: table, Object: obj, Index: this.index });
    }
    return out;
  }

  /**
   * Run the orchestrator once the client that made the change watches (as
   * `create` without -d does next), or after a moment when none comes, so
   * the client sees every step as it would from a real cluster.
   */
  private later(serviceId: string): void {
    const policy = this.policy;
    let timer: NodeJS.Timeout | undefined;
    const watched = new Promise<void>((resolve) => {
      this.onWatch = resolve;
      timer = setTimeout(resolve, 100);
    });
    const done = watched.then(() => {
      clearTimeout(timer);
      this.onWatch = undefined;
      return simulate(this, serviceId, policy);
    });
    this.running.add(done);
    void done.finally(() => this.running.delete(done));
  }

  private readonly running = new Set<Promise<void>>();

  /** Resolves once the fake orchestrator has nothing left to do. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private onWatch: (() => void) | undefined;

  handlers() {
    const unsupported = async (): Promise<never> => {
      throw new ShoalError('FailedPrecondition', 'not served by the fake');
    };
    return serve(ControlContract, {
      listNodes: async () => ({ nodes: [...this.nodes.values()] }),
      getNode: async (req) => {
        const node = [...this.nodes.values()].find((n) => n.ID === req.ref || n.Description.Hostname === req.ref);
        if (node === undefined) throw new ShoalError('NotFound', `node ${req.ref} not found`);
        return node;
      },
      updateNode: unsupported,
      removeNode: unsupported,
      getCluster: unsupported,
      updateCluster: unsupported,
      raftStatus: unsupported,
      listServices: async () => ({ services: [...this.services.values()] }),
      getService: async (req) => this.resolve(req.ref),
      createService: async (req) => {
        const spec = unwrap('service spec', decodeServiceSpec(withReferenceIds(req.spec as ServiceSpecInput)));
        this.calls.push(`createService ${spec.Name}`);
        if ([...this.services.values()].some((s) => s.Spec.Name === spec.Name)) throw new ShoalError('AlreadyExists', `service ${spec.Name} already exists`);
        const svc = this.put('services', newService(this.nextId('svc') as ServiceId, spec, this.clock()), 'create');
        this.later(svc.ID);
        return { id: svc.ID, warnings: [] };
      },
      updateService: async (req) => {
        const svc = this.resolve(req.ref);
        this.calls.push(`updateService ${svc.Spec.Name}${req.rollback !== undefined ? ' rollback' : ''}`);
        if (svc.Version.Index !== req.version) throw new ShoalError('FailedPrecondition', 'update out of sequence');
        let next: Service;
        if (req.rollback !== undefined) {
          const to = req.rollback.toVersion;
          if (to === undefined) {
            const r = rollbackServiceSpec(svc, this.clock());
            if (!r.ok) throw new ShoalError('FailedPrecondition', r.reason);
            next = r.service;
          } else {
            const old = specAtVersion(svc, { Index: to });
            if (old === undefined) throw new ShoalError('NotFound', `service ${svc.Spec.Name} has no kept spec version ${to}`);
            next = { ...updateServiceSpec(svc, old, this.clock()), UpdateStatus: { State: 'rollback_started', StartedAt: timestampOf(this.clock()), Message: `manually requested rollback to version ${to}` } };
          }
        } else {
          const spec = unwrap('service spec', decodeServiceSpec(withReferenceIds(req.spec as ServiceSpecInput)));
          const problem = checkServiceSpecChange(svc.Spec, spec);
          if (problem !== undefined) throw issueError('service spec', problem);
          next = updateServiceSpec(svc, spec, this.clock());
        }
        this.put('services', next);
        this.later(svc.ID);
        return { warnings: [] };
      },
      removeService: async (req) => {
        const svc = this.resolve(req.ref);
        this.calls.push(`removeService ${svc.Spec.Name}`);
        this.remove('services', svc.ID);
        for (const t of this.tasksOf(svc.ID)) this.remove('tasks', t.ID);
        return { id: svc.ID };
      },
      listTasks: async (req) => ({ tasks: [...this.tasks.values()].filter((t) => req.serviceIds === undefined || req.serviceIds.includes(t.ServiceID)) }),
      getTask: async (req) => {
        const task = this.tasks.get(req.ref);
        if (task === undefined) throw new ShoalError('NotFound', `task ${req.ref} not found`);
        return task;
      },
      watch: async (req, sink, ctx) => {
        const queue = new EventQueue();
        this.watchers.add(queue);
        try {
          const snapshot = this.snapshot(req.tables);
          setImmediate(() => this.onWatch?.());
          for (const e of snapshot) await sink.send(e);
          for (;;) {
            const e = await queue.next(ctx.signal);
            if (e === undefined) return;
            if (req.tables === undefined || req.tables.includes(e.Table)) await sink.send(e);
          }
        } finally {
          this.watchers.delete(queue);
        }
      },
      serviceLogs: async (req, sink) => {
        this.calls.push(`serviceLogs ${req.ref} follow=${req.follow} tail=${req.tail ?? 'all'} timestamps=${req.timestamps}`);
        const task = this.tasks.get(req.ref);
        const serviceId = task === undefined ? this.resolve(req.ref).ID : undefined;
        for (const line of this.logs) {
          const t = this.tasks.get(line.TaskID);
          if (task !== undefined ? line.TaskID === task.ID : t?.ServiceID === serviceId) await sink.send(line);
        }
      },
    });
  }
}

export interface FakeDaemon {
  readonly fake: FakeControl;
  readonly socket: string;
  readonly host: string;
  close(): Promise<void>;
}

/** A FakeControl served on a unix socket in a fresh temp dir. */
export async function startFakeDaemon(fake = new FakeControl()): Promise<FakeDaemon> {
  const dir = await mkdtemp(join(tmpdir(), 'shoal-svc-'));
  const socket = join(dir, 'shoald.sock');
  const server = new RpcServer({ services: [fake.handlers()] });
  const listener: Listener = await listenUnix({ path: socket, server });
  return {
    fake,
    socket,
    host: `unix://${socket}`,
    close: async () => {
      server.close();
      await listener.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
