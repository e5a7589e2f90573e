// The dispatcher, on the leader: agent sessions (register the node, stream
// its assignments), heartbeats and node down detection, and task status
// reports batched into the store. Followers refuse with the leader's address.
import { DispatcherContract, type SessionMessage, type TaskStatusUpdate } from '../../api/contracts/dispatcher.js';
import { ShoalError } from '../../api/errors.js';
import type { Node } from '../../api/node.js';
import { timestampOf } from '../../api/object-meta.js';
import type { Task } from '../../api/task.js';
import { isTaskState, transition } from '../../api/task-state.js';
import { serve, type Service, type StreamSink } from '../../net/rpc/index.js';
import type { Store } from '../store/store.js';
import { allObjects, getObject, tasksOfNode, theCluster, updateObject } from '../store/typed.js';
import { HeartbeatBook } from './heartbeats.js';

export interface DispatcherDeps {
  readonly store: Store;
  readonly now: () => number;
  readonly isLeader: () => boolean;
  /** Thrown to agents that reached a follower: names the leader to go to. */
  readonly notLeader: () => ShoalError;
  readonly managers: () => Array<{ NodeID: string; Addr: string }>;
  /** Default heartbeat period when the cluster object does not set one lower. */
  readonly heartbeatMs?: number;
}

/** Tasks an agent must know of: assigned to it and not yet finished with. */
function assignedTasks(tasks: readonly Task[]): Task[] {
  return tasks.filter((t) => t.DesiredState !== 'remove' && t.Status.State !== 'pending' && t.Status.State !== 'new');
}

export class Dispatcher {
  private readonly book = new HeartbeatBook();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: DispatcherDeps) {}

  heartbeatMs(): number {
    const c = this.deps.store.view(theCluster);
    const configured = c === undefined ? Infinity : c.Spec.Dispatcher.HeartbeatPeriod / 1e6;
    return Math.max(100, Math.min(this.deps.heartbeatMs ?? 1000, configured));
  }

  /** Leadership gained: every node gets a fresh grace period; start checking. */
  start(): void {
    const now = this.deps.now();
    for (const n of this.deps.store.view((tx) => allObjects(tx, 'nodes'))) if (n.Status.State === 'ready') this.book.beat(n.ID, now);
    this.timer = setInterval(() => void this.markOverdue(), Math.max(100, this.heartbeatMs() / 4));
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  service(): Service {
    return serve(DispatcherContract, {
      session: async (req, sink, ctx) => {
        const nodeId = this.nodeOf(ctx.peer);
        this.book.beat(nodeId, this.deps.now());
        const node = await this.deps.store.update((tx) => {
          const n = getObject(tx, 'nodes', nodeId);
          if (n === undefined) throw new ShoalError('PermissionDenied', `node ${nodeId} is not part of this swarm (it was removed); it must join again`);
          const next: Node = { ...n, Description: req.description, Status: { State: 'ready', Addr: n.Status.Addr || req.addr } };
          updateObject(tx, 'nodes', next);
          return next;
        });
        await this.stream(nodeId, node, sink, ctx.signal);
      },
      heartbeat: async (_req, ctx) => {
        const nodeId = this.nodeOf(ctx.peer);
        this.book.beat(nodeId, this.deps.now());
        return { periodMs: this.heartbeatMs() };
      },
      updateTaskStatus: async (req, ctx) => {
        const nodeId = this.nodeOf(ctx.peer);
        await this.applyStatus(nodeId, req.updates);
        return {};
      },
    });
  }

  private nodeOf(peer: { kind: string; nodeId?: string }): string {
    if (!this.deps.isLeader()) throw this.deps.notLeader();
    if (peer.kind !== 'node' || peer.nodeId === undefined) throw new ShoalError('Unauthenticated', 'agents must present their node certificate');
    return peer.nodeId;
  }

  private async stream(nodeId: string, node: Node, sink: StreamSink<SessionMessage>, signal: AbortSignal): Promise<void> {
    const [tasks, queue] = this.deps.store.viewAndWatch((tx) => tasksOfNode(tx, nodeId as Node['ID']), {
      filter: (e) => (e.table === 'tasks' && (e.object as Task).NodeID === nodeId) || (e.table === 'nodes' && e.object.ID === nodeId),
    });
    const stop = (): void => queue.close();
    signal.addEventListener('abort', stop, { once: true });
    try {
      await sink.send({ kind: 'node', node, managers: this.deps.managers(), heartbeatMs: this.heartbeatMs() });
      await sink.send(this.assignments(assignedTasks(tasks)));
      for await (const batch of queue) {
        if (!this.deps.isLeader()) throw this.deps.notLeader();
        const nodeEvent = batch.events.find((e) => e.table === 'nodes');
        if (nodeEvent !== undefined) {
          if (nodeEvent.kind === 'delete') throw new ShoalError('PermissionDenied', `node ${nodeId} was removed from the swarm`);
          await sink.send({ kind: 'node', node: nodeEvent.object as Node, managers: this.deps.managers(), heartbeatMs: this.heartbeatMs() });
        }
        if (batch.events.some((e) => e.table === 'tasks')) {
          await sink.send(this.assignments(assignedTasks(this.deps.store.view((tx) => tasksOfNode(tx, nodeId as Node['ID'])))));
        }
      }
    } finally {
      signal.removeEventListener('abort', stop);
      queue.close();
    }
  }

  /** The tasks with their services' names (agents name containers `<service>.<slot>.<task id>`). */
  private assignments(tasks: Task[]): SessionMessage {
    const serviceNames: Record<string, string> = {};
    this.deps.store.view((tx) => {
      for (const t of tasks) serviceNames[t.ServiceID] ??= getObject(tx, 'services', t.ServiceID)?.Spec.Name ?? t.ServiceID;
    });
    return { kind: 'assignments', tasks, serviceNames };
  }

  private async markOverdue(): Promise<void> {
    if (!this.deps.isLeader()) return;
    const now = this.deps.now();
    const late = this.book.overdue(now, this.heartbeatMs());
    if (late.length === 0) return;
    for (const id of late) this.book.forget(id);
    try {
      await this.deps.store.update((tx) => {
        for (const id of late) {
          const n = getObject(tx, 'nodes', id);
          if (n === undefined || n.Status.State === 'down') continue;
          updateObject(tx, 'nodes', { ...n, Status: { ...n.Status, State: 'down', Message: 'heartbeat failure' }, UpdatedAt: timestampOf(now) });
        }
      });
    } catch {
      // Lost leadership or quorum: the next leader re-checks.
    }
  }

  /** Task states reported by the agent: only forward, only for its own tasks. */
  private async applyStatus(nodeId: string, updates: readonly TaskStatusUpdate[]): Promise<void> {
    await this.deps.store.update((tx) => {
      for (const u of updates) {
        const t = getObject(tx, 'tasks', u.TaskID);
        if (t === undefined || t.NodeID !== nodeId || !isTaskState(u.State)) continue;
        if (!transition(t.Status.State, u.State).ok || t.Status.State === u.State) continue;
        updateObject(tx, 'tasks', {
          ...t,
          Status: {
            Timestamp: u.Timestamp,
            State: u.State,
            Message: u.Message,
            ...(u.Err !== undefined ? { Err: u.Err } : {}),
            ContainerStatus: { ...(u.ContainerID !== undefined ? { ContainerID: u.ContainerID } : {}), ...(u.PID !== undefined ? { PID: u.PID } : {}), ...(u.ExitCode !== undefined ? { ExitCode: u.ExitCode } : {}) },
          },
        });
      }
    });
  }
}
