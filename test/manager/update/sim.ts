// A synchronous harness for the updater's decider: a real MemoryStore
// written directly (no proposer, no promises), a clock that is a number,
// a counter for task ids, and a fake agent/scheduler that moves tasks along.
import type { NodeId, ServiceId, TaskId } from '../../../src/api/ids.js';
import { timestampOf } from '../../../src/api/object-meta.js';
import { newService, rollbackServiceSpec, updateServiceSpec, type Service } from '../../../src/api/service.js';
import { withServiceDefaults, type ServiceSpec, type UpdateConfig } from '../../../src/api/service-spec.js';
import { newTask, type Task } from '../../../src/api/task.js';
import { TASK_STATE_NUMBER, type TaskState } from '../../../src/api/task-state.js';
import { applyPlan } from '../../../src/manager/update/apply-plan.js';
import { decide } from '../../../src/manager/update/decide.js';
import type { UpdatePlan } from '../../../src/manager/update/plan.js';
import { rollbackToVersion } from '../../../src/manager/update/rollback-spec.js';
import { DEFAULT_UPDATER_SETTINGS, type UpdaterSettings } from '../../../src/manager/update/settings.js';
import { groupBySlot } from '../../../src/manager/update/slots.js';
import { IDLE, type UpdaterState } from '../../../src/manager/update/updater-state.js';
import type { StoreAction } from '../../../src/manager/store/actions.js';
import { MemoryStore } from '../../../src/manager/store/memory-store.js';
import type { StoredObject } from '../../../src/manager/store/tables.js';
import { getObject, tasksOfService } from '../../../src/manager/store/typed.js';
import { WriteTx } from '../../../src/manager/store/write-tx.js';

export const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
export const SEC = 1000;
const NS_PER_MS = 1_000_000;

export interface SimOptions {
  readonly replicas?: number;
  /** Global service on these nodes instead of replicated. */
  readonly nodes?: readonly string[];
  readonly image?: string;
  /** Durations in milliseconds here, for readability. */
  readonly update?: Partial<ConfigMs>;
  readonly rollback?: Partial<ConfigMs>;
  readonly settings?: Partial<UpdaterSettings>;
}

export type ConfigMs = Omit<UpdateConfig, 'Delay' | 'Monitor'> & { readonly Delay: number; readonly Monitor: number };

/** Docker's defaults, but monitor 0 unless a test says (5s otherwise delays every completion). */
const BASE: ConfigMs = { Parallelism: 1, Delay: 0, FailureAction: 'pause', Monitor: 0, MaxFailureRatio: 0, Order: 'stop-first' };

function toConfig(c: Partial<ConfigMs> | undefined): UpdateConfig {
  const m = { ...BASE, ...c };
  return { ...m, Delay: m.Delay * NS_PER_MS, Monitor: m.Monitor * NS_PER_MS };
}

/** What the fake agent does with a task told to run. */
export type StartOutcome = 'run' | 'fail' | 'stall';

export interface AgentPolicy {
  readonly start?: (task: Task) => StartOutcome;
  /** Whether tasks told to shut down stop (default true). */
  readonly stop?: (task: Task) => boolean;
}

export class Sim {
  readonly memory = new MemoryStore();
  readonly id = 'svc0000000000000000000001' as ServiceId;
  readonly settings: UpdaterSettings;
  now = T0;
  state: UpdaterState = IDLE;
  plans: UpdatePlan[] = [];
  /** Checks run after every commit (property tests). */
  onCommit: (sim: Sim) => void = () => {};
  private index = 0;
  private ids = 0;
  private readonly global: boolean;

  constructor(opts: SimOptions = {}) {
    this.settings = { ...DEFAULT_UPDATER_SETTINGS, ...opts.settings };
    this.global = opts.nodes !== undefined;
    const spec = this.spec(opts.image ?? 'app:1', opts);
    const service = newService(this.id, spec, this.now);
    this.commit([{ kind: 'create', table: 'services', object: service as unknown as StoredObject }]);
    const keys = opts.nodes ?? Array.from({ length: opts.replicas ?? 3 }, (_, i) => i + 1);
    const actions: StoreAction[] = keys.map((key, i) => {
      const task = newTask({
        id: `old${i + 1}` as TaskId,
        serviceId: this.id,
        spec,
        serviceVersion: service.SpecVersion,
        nowMs: this.now,
        ...(typeof key === 'number' ? { slot: key } : { nodeId: key as NodeId }),
      });
      const running: Task = { ...task, NodeID: (typeof key === 'number' ? `node${key}` : key) as NodeId, Status: { Timestamp: timestampOf(this.now), State: 'running', Message: 'started' } };
      return { kind: 'create', table: 'tasks', object: running as unknown as StoredObject };
    });
    this.commit(actions);
  }

  spec(image: string, opts: SimOptions = {}, force = 0): ServiceSpec {
    const base = withServiceDefaults({
      Name: 'web',
      TaskTemplate: { ContainerSpec: { Image: image }, ForceUpdate: force },
      Mode: this.global ? { Global: {} } : { Replicated: { Replicas: opts.replicas ?? 3 } },
    });
    return { ...base, UpdateConfig: toConfig(opts.update), RollbackConfig: toConfig(opts.rollback ?? opts.update) };
  }

  commit(actions: readonly StoreAction[]): void {
    if (actions.length === 0) return;
    const r = this.memory.apply(++this.index, { actions, at: timestampOf(this.now) });
    if (!r.ok) throw r.error;
    this.onCommit(this);
  }

  service(): Service {
    const s = this.memory.view((tx) => getObject(tx, 'services', this.id));
    if (s === undefined) throw new Error('no service');
    return s;
  }

  tasks(): Task[] {
    return this.memory.view((tx) => tasksOfService(tx, this.id)).sort((a, b) => (a.ID < b.ID ? -1 : 1));
  }

  task(id: string): Task {
    const t = this.tasks().find((x) => x.ID === id);
    if (t === undefined) throw new Error(`no task ${id}`);
    return t;
  }

  /** `service update`: a new spec (image, update config) through updateServiceSpec. */
  updateSpec(change: { image?: string; update?: Partial<ConfigMs>; rollback?: Partial<ConfigMs>; force?: number }): Service {
    const cur = this.service();
    const next: ServiceSpec = {
      ...cur.Spec,
      TaskTemplate: {
        ...cur.Spec.TaskTemplate,
        ContainerSpec: { ...cur.Spec.TaskTemplate.ContainerSpec, Image: change.image ?? cur.Spec.TaskTemplate.ContainerSpec.Image },
        ForceUpdate: change.force ?? cur.Spec.TaskTemplate.ForceUpdate,
      },
      ...(change.update !== undefined ? { UpdateConfig: toConfig(change.update) } : {}),
      ...(change.rollback !== undefined ? { RollbackConfig: toConfig(change.rollback) } : {}),
    };
    this.writeService(updateServiceSpec(cur, next, this.now));
    return this.service();
  }

  rollback(): void {
    const r = rollbackServiceSpec(this.service(), this.now);
    if (!r.ok) throw new Error(r.reason);
    this.writeService(r.service);
  }

  rollbackTo(version: number): void {
    const r = rollbackToVersion(this.service(), version, this.now);
    if (!r.ok) throw new Error(r.reason);
    this.writeService(r.service);
  }

  writeService(s: Service): void {
    this.commit([{ kind: 'update', table: 'services', object: s as unknown as StoredObject }]);
  }

  /** One decision, applied and committed, as the runner does. */
  decide(): UpdatePlan {
    const tx = new WriteTx(this.memory.view((r) => r));
    const service = getObject(tx, 'services', this.id);
    const slots = service === undefined ? [] : groupBySlot(tasksOfService(tx, this.id));
    const plan = decide({ service, slots, now: this.now, state: this.state, settings: this.settings, newTaskId: () => `new${++this.ids}` as TaskId });
    applyPlan(tx, plan);
    this.commit(tx.actions);
    this.state = plan.next;
    this.plans.push(plan);
    return plan;
  }

  advance(ms: number): void {
    this.now += ms;
  }

  /** An agent report (or the scheduler's `assigned`). */
  report(id: string, state: TaskState): void {
    const t = this.task(id);
    const nodeId = t.NodeID ?? (`node${t.Slot ?? 0}` as NodeId);
    const next: Task = { ...t, NodeID: nodeId, Status: { Timestamp: timestampOf(this.now), State: state, Message: state } };
    this.commit([{ kind: 'update', table: 'tasks', object: next as unknown as StoredObject }]);
  }

  /** The next step the fake scheduler/agent would take for a task, if any. */
  nextStep(t: Task, policy: AgentPolicy = {}): TaskState | undefined {
    const obs = TASK_STATE_NUMBER[t.Status.State];
    if (t.DesiredState === 'shutdown' || t.DesiredState === 'remove') {
      return obs <= TASK_STATE_NUMBER.running && (policy.stop?.(t) ?? true) ? 'shutdown' : undefined;
    }
    if (obs < TASK_STATE_NUMBER.assigned) return 'assigned';
    if (obs < TASK_STATE_NUMBER.ready) return 'ready';
    if (t.DesiredState === 'running' && t.Status.State === 'ready') {
      const outcome = policy.start?.(t) ?? 'run';
      return outcome === 'run' ? 'running' : outcome === 'fail' ? 'failed' : undefined;
    }
    return undefined;
  }

  /** Move every task as far as the agent would now; returns how many reports were made. */
  agent(policy: AgentPolicy = {}): number {
    let n = 0;
    for (;;) {
      let moved = false;
      for (const t of this.tasks()) {
        const step = this.nextStep(t, policy);
        if (step === undefined) continue;
        this.report(t.ID, step);
        moved = true;
        n++;
      }
      if (!moved) return n;
    }
  }

  /** Decide and let the agent act until neither has anything to do at this instant. */
  settle(policy: AgentPolicy = {}): void {
    for (let i = 0; i < 1000; i++) {
      const before = this.index;
      this.decide();
      this.agent(policy);
      if (this.index === before) return;
    }
    throw new Error('did not settle');
  }

  /** Settle, then jump to each wake-up, until the updater is idle (at most `limitMs` of clock). */
  runToIdle(policy: AgentPolicy = {}, limitMs = 3_600_000): void {
    const end = this.now + limitMs;
    for (;;) {
      this.settle(policy);
      const wake = this.plans.at(-1)?.wakeAt;
      if (this.state.kind === 'idle' || wake === undefined || wake > end) return;
      this.now = Math.max(this.now, wake);
    }
  }

  /** The live task of each slot (replicated slot number or node id), for assertions. */
  liveBySlot(): Map<string, Task[]> {
    const out = new Map<string, Task[]>();
    for (const t of this.tasks()) {
      if (!(t.DesiredState === 'ready' || t.DesiredState === 'running') || TASK_STATE_NUMBER[t.Status.State] > TASK_STATE_NUMBER.running) continue;
      const key = t.Slot !== undefined ? String(t.Slot) : String(t.NodeID);
      out.set(key, [...(out.get(key) ?? []), t]);
    }
    return out;
  }

  image(t: Task): string {
    return t.Spec.ContainerSpec.Image;
  }
}
