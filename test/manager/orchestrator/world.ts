// A synchronous harness for the orchestrators' deciders: a MemoryStore the
// test fills directly, a fixed `now`, and counting task ids. Plans are
// applied with the real applier in one transaction, as the runner would.
import { newCluster, withClusterDefaults } from '../../../src/api/cluster.js';
import type { ClusterId, NodeId, ServiceId, TaskId } from '../../../src/api/ids.js';
import type { Node, NodeAvailability, NodeState } from '../../../src/api/node.js';
import { parseTimestamp, timestampOf } from '../../../src/api/object-meta.js';
import type { Service } from '../../../src/api/service.js';
import { newService, updateServiceSpec } from '../../../src/api/service.js';
import type { ServiceSpecInput } from '../../../src/api/service-spec.js';
import { withServiceDefaults } from '../../../src/api/service-spec.js';
import type { Task } from '../../../src/api/task.js';
import type { TaskState } from '../../../src/api/task-state.js';
import type { ApplyOutcome } from '../../../src/manager/orchestrator/apply-plan.js';
import { applySteps } from '../../../src/manager/orchestrator/apply-plan.js';
import type { Plan } from '../../../src/manager/orchestrator/plan.js';
import type { DecideContext } from '../../../src/manager/orchestrator/restart-supervisor.js';
import { MemoryStore } from '../../../src/manager/store/memory-store.js';
import type { ReadTx } from '../../../src/manager/store/read-tx.js';
import type { StoredObject, TableName } from '../../../src/manager/store/tables.js';
import { getObject, tasksOfService } from '../../../src/manager/store/typed.js';
import { WriteTx } from '../../../src/manager/store/write-tx.js';

export const T0 = Date.parse('2026-03-01T12:00:00Z');
export const SECOND_NS = 1_000_000_000;

export interface NodeOptions {
  readonly state?: NodeState;
  readonly availability?: NodeAvailability;
  readonly labels?: Record<string, string>;
  readonly role?: 'manager' | 'worker';
}

export type Decider = (view: ReadTx, id: ServiceId, ctx: DecideContext) => Plan;

export class World {
  readonly memory = new MemoryStore();
  now = T0;
  private index = 0;
  private ids = 0;

  constructor(opts: { historyLimit?: number } = {}) {
    const spec = withClusterDefaults(opts.historyLimit !== undefined ? { Orchestration: { TaskHistoryRetentionLimit: opts.historyLimit } } : {});
    const cluster = newCluster({
      id: 'cluster' as ClusterId,
      nowMs: T0,
      spec,
      tlsInfo: { TrustRoot: '', CertIssuerSubject: '', CertIssuerPublicKey: '' },
      rootCADigest: '',
      joinTokens: { Worker: '', Manager: '' },
    });
    this.write([{ kind: 'create', table: 'clusters', object: cluster as unknown as StoredObject }]);
  }

  /** Time passes; the store stamps later writes with the new time. */
  advance(ms: number): void {
    this.now += ms;
  }

  ctx(): DecideContext {
    return { now: this.now, newTaskId: () => `task${String(++this.ids).padStart(3, '0')}` as TaskId };
  }

  view<T>(fn: (tx: ReadTx) => T): T {
    return this.memory.view(fn);
  }

  private write(actions: Parameters<MemoryStore['apply']>[1]['actions']): void {
    this.index = Math.max(this.index, this.memory.appliedIndex) + 1;
    const r = this.memory.apply(this.index, { at: timestampOf(this.now), actions });
    if (!r.ok) throw r.error;
  }

  private put(table: TableName, obj: StoredObject): void {
    const cur = this.memory.view((tx) => tx.get(table, obj.ID));
    this.write([cur === undefined ? { kind: 'create', table, object: obj } : { kind: 'update', table, object: { ...obj, Version: cur.Version } }]);
  }

  addNode(id: string, o: NodeOptions = {}): Node {
    const node: Node = {
      ID: id as NodeId,
      Version: { Index: 0 },
      CreatedAt: '',
      UpdatedAt: '',
      Spec: { Labels: o.labels ?? {}, Role: o.role ?? 'worker', Availability: o.availability ?? 'active' },
      Description: {
        Hostname: id,
        Platform: { Architecture: 'x86_64', OS: 'linux' },
        Resources: { NanoCPUs: 4e9, MemoryBytes: 8 * 2 ** 30 },
        Engine: { EngineVersion: '27.0.0', Labels: {} },
      },
      Status: { State: o.state ?? 'ready', Addr: '10.0.0.1' },
    };
    this.put('nodes', node as unknown as StoredObject);
    return this.node(id);
  }

  setNode(id: string, o: NodeOptions): void {
    const n = this.node(id);
    this.put('nodes', {
      ...n,
      Spec: { ...n.Spec, Availability: o.availability ?? n.Spec.Availability, Labels: o.labels ?? n.Spec.Labels },
      Status: { ...n.Status, State: o.state ?? n.Status.State },
    } as unknown as StoredObject);
  }

  removeNode(id: string): void {
    const n = this.node(id);
    this.write([{ kind: 'delete', table: 'nodes', id, version: n.Version.Index }]);
  }

  node(id: string): Node {
    const n = this.view((tx) => getObject(tx, 'nodes', id));
    if (n === undefined) throw new Error(`no node ${id}`);
    return n;
  }

  addService(id: string, spec: Omit<ServiceSpecInput, 'TaskTemplate' | 'Name'> & { TaskTemplate?: Partial<ServiceSpecInput['TaskTemplate']> }): Service {
    const full = withServiceDefaults({
      ...spec,
      Name: id,
      TaskTemplate: { ContainerSpec: { Image: 'busybox' }, ...spec.TaskTemplate },
    });
    this.put('services', newService(id as ServiceId, full, this.now) as unknown as StoredObject);
    return this.service(id);
  }

  /** `service update` with a changed spec (a new SpecVersion; a job runs again). */
  updateService(id: string, change: (spec: Service['Spec']) => Service['Spec']): Service {
    const s = this.service(id);
    this.put('services', updateServiceSpec(s, change(s.Spec), this.now) as unknown as StoredObject);
    return this.service(id);
  }

  /** A change that is not a spec change (the updater writing UpdateStatus, say). */
  touchService(id: string, change: (s: Service) => Service): void {
    this.put('services', change(this.service(id)) as unknown as StoredObject);
  }

  removeService(id: string): void {
    const s = this.service(id);
    this.write([{ kind: 'delete', table: 'services', id, version: s.Version.Index }]);
  }

  service(id: string): Service {
    const s = this.view((tx) => getObject(tx, 'services', id));
    if (s === undefined) throw new Error(`no service ${id}`);
    return s;
  }

  task(id: string): Task {
    const t = this.view((tx) => getObject(tx, 'tasks', id));
    if (t === undefined) throw new Error(`no task ${id}`);
    return t;
  }

  maybeTask(id: string): Task | undefined {
    return this.view((tx) => getObject(tx, 'tasks', id));
  }

  tasks(serviceId: string): Task[] {
    return this.view((tx) => tasksOfService(tx, serviceId as ServiceId)).sort((a, b) => (a.ID < b.ID ? -1 : 1));
  }

  /** Tasks still wanted (desired ready, running or complete), sorted by id. */
  live(serviceId: string): Task[] {
    return this.tasks(serviceId).filter((t) => ['ready', 'running', 'complete'].includes(t.DesiredState));
  }

  /** What the scheduler and agents report: a node and an observed state. */
  report(taskId: string, state: TaskState, patch: Partial<Task> = {}): Task {
    const t = this.task(taskId);
    this.put('tasks', { ...t, ...patch, Status: { ...t.Status, State: state, Timestamp: timestampOf(this.now), ...(patch.Status ?? {}) } } as unknown as StoredObject);
    return this.task(taskId);
  }

  /** Put a task on a node and mark it running. */
  run(taskId: string, nodeId: string): Task {
    return this.report(taskId, 'running', { NodeID: nodeId as NodeId });
  }

  /** Decide for one service now and apply the plan in one transaction. */
  step(decide: Decider, serviceId: string): { plan: Plan; outcome: ApplyOutcome } {
    const plan = this.view((tx) => decide(tx, serviceId as ServiceId, this.ctx()));
    const tx = new WriteTx(this.memory.view((r) => r));
    const outcome = applySteps(tx, plan.steps);
    if (tx.actions.length > 0) this.write(tx.actions);
    return { plan, outcome };
  }

  /** Decide and apply until nothing changes (a converged orchestrator). */
  converge(decide: Decider, serviceId: string, rounds = 10): Plan {
    for (let i = 0; i < rounds; i++) {
      const { plan } = this.step(decide, serviceId);
      if (plan.steps.length === 0) return plan;
    }
    throw new Error(`service ${serviceId} did not converge in ${rounds} rounds`);
  }
}

export function ms(ts: string): number {
  return parseTimestamp(ts);
}
