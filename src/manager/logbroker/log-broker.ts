// The leader's log broker (swarmkit manager/logbroker): agents keep a
// `logSubscriptions` stream open to it; a `service logs` request is fanned
// out to the agents holding the target's tasks, and the lines they publish
// are merged to the client. Buffers are bounded (agents wait while the
// client is slow); a client that goes away cancels its subscription on every
// node; losing leadership ends everything (clients and agents retry).
import { randomBytes } from 'node:crypto';
import type { LogLine } from '../../api/contracts/control.js';
import { LogBrokerContract, type LogSubscriptionMessage } from '../../api/contracts/dispatcher.js';
import { ShoalError } from '../../api/errors.js';
import type { Task } from '../../api/task.js';
import { serve, type Service, type StreamSink } from '../../net/rpc/index.js';
import type { Store } from '../store/store.js';
import { tasksOfService } from '../store/typed.js';
import { ClientSubscription } from './client-subscription.js';
import { onNode, resolveLogTarget, tasksByNode, type LogTarget } from './targets.js';
import { Wake } from './wake.js';

export interface LogBrokerDeps {
  readonly store: Store;
  readonly isLeader: () => boolean;
  /** Thrown to callers that reached a follower. */
  readonly notLeader: () => ShoalError;
  /** Lines buffered per client before publishing agents wait (default 1000). */
  readonly bufferLines?: number;
}

export interface ServiceLogsRequest {
  readonly ref: string;
  readonly follow: boolean;
  readonly tail?: number;
}

/** One agent's standing stream: requests wait here until sent. */
class AgentLink {
  private readonly queue: LogSubscriptionMessage[] = [];
  private closed = false;
  private readonly wake = new Wake();

  constructor(readonly nodeId: string) {}

  send(m: LogSubscriptionMessage): void {
    if (this.closed) return;
    this.queue.push(m);
    this.wake.notify();
  }

  close(): void {
    this.closed = true;
    this.wake.notify();
  }

  /** The next request, or undefined once closed or aborted. */
  async next(signal: AbortSignal): Promise<LogSubscriptionMessage | undefined> {
    while (!this.closed && !signal.aborted) {
      const m = this.queue.shift();
      if (m !== undefined) return m;
      await this.wake.wait(signal);
    }
    return undefined;
  }
}

export class LogBroker {
  private readonly agents = new Map<string, AgentLink>();
  private readonly subs = new Map<string, ClientSubscription>();

  constructor(private readonly deps: LogBrokerDeps) {}

  /** Agents connected (tests, info). */
  connectedNodes(): string[] {
    return [...this.agents.keys()];
  }

  service(): Service {
    return serve(LogBrokerContract, {
      logSubscriptions: async (_req, sink, ctx) => {
        const nodeId = this.nodeOf(ctx.peer);
        await this.serveAgent(nodeId, sink, ctx.signal);
      },
      publishLogs: async (req, ctx) => {
        const nodeId = this.nodeOf(ctx.peer);
        const sub = this.subs.get(req.subscriptionId);
        if (sub === undefined) throw new ShoalError('NotFound', `log subscription ${req.subscriptionId} is over`);
        await sub.publish(nodeId, req.lines, req.done, ctx.signal);
        return {};
      },
    });
  }

  /** Control.serviceLogs on the leader: stream the target's lines to `sink` until done or `signal` aborts. */
  async serviceLogs(req: ServiceLogsRequest, sink: StreamSink<LogLine>, signal: AbortSignal): Promise<void> {
    if (!this.deps.isLeader()) throw this.deps.notLeader();
    const target = this.deps.store.view((tx) => resolveLogTarget(tx, req.ref));
    const id = randomBytes(12).toString('hex');
    const sub = new ClientSubscription(id, req.follow, req.tail, this.deps.bufferLines ?? 1000);
    this.subs.set(id, sub);
    const [tasks, watch] = req.follow
      ? this.deps.store.viewAndWatch((tx) => tasksOfService(tx, target.serviceId as Task['ServiceID']), {
          filter: (e) => e.table === 'tasks' && (e.object as Task).ServiceID === target.serviceId,
        })
      : [this.deps.store.view((tx) => tasksOfService(tx, target.serviceId as Task['ServiceID'])), null];
    try {
      this.fanOut(sub, target, tasks);
      sub.fannedOutAll();
      if (watch !== null) void this.followNewTasks(sub, target, watch);
      for await (const line of sub.lines(signal)) await sink.send(line);
    } finally {
      this.subs.delete(id);
      watch?.close();
      for (const nodeId of sub.nodes()) this.agents.get(nodeId)?.send({ kind: 'cancel', subscriptionId: id });
      sub.close();
    }
  }

  /** Leadership lost (or the manager stops): agents and clients are told to go elsewhere. */
  stop(): void {
    for (const link of this.agents.values()) link.close();
    this.agents.clear();
    for (const sub of this.subs.values()) sub.fail(new ShoalError('Unavailable', 'the log stream ended: this manager is no longer the leader; run the command again'));
  }

  // ---- internals ----

  private nodeOf(peer: { kind: string; nodeId?: string }): string {
    if (!this.deps.isLeader()) throw this.deps.notLeader();
    if (peer.kind !== 'node' || peer.nodeId === undefined) throw new ShoalError('Unauthenticated', 'agents must present their node certificate');
    return peer.nodeId;
  }

  private async serveAgent(nodeId: string, sink: StreamSink<LogSubscriptionMessage>, signal: AbortSignal): Promise<void> {
    const link = new AgentLink(nodeId);
    this.agents.get(nodeId)?.close();
    this.agents.set(nodeId, link);
    // Followers of this node's tasks pick up where they are (new lines only).
    for (const sub of this.subs.values()) {
      const taskIds = sub.tasksOn(nodeId);
      if (sub.follow && sub.isOpen && taskIds.length > 0) link.send({ kind: 'subscribe', subscriptionId: sub.id, taskIds, follow: true, tail: 0 });
    }
    try {
      for (let m = await link.next(signal); m !== undefined; m = await link.next(signal)) await sink.send(m);
    } finally {
      link.close();
      if (this.agents.get(nodeId) === link) {
        this.agents.delete(nodeId);
        for (const sub of this.subs.values()) sub.nodeGone(nodeId);
      }
    }
  }

  /** Ask each node for its tasks of the target it was not asked for yet. Nodes without an agent connected are skipped. */
  private fanOut(sub: ClientSubscription, target: LogTarget, tasks: readonly Task[]): void {
    for (const [nodeId, taskIds] of tasksByNode(tasks, target)) {
      const link = this.agents.get(nodeId);
      if (link === undefined) continue;
      const fresh = sub.ask(nodeId, taskIds);
      if (fresh.length === 0) continue;
      link.send({ kind: 'subscribe', subscriptionId: sub.id, taskIds: fresh, follow: sub.follow, ...(sub.tail !== undefined ? { tail: sub.tail } : {}) });
    }
  }

  /** While following a service, tasks that reach a node later (scale up, restarts, updates) are followed too. */
  private async followNewTasks(sub: ClientSubscription, target: LogTarget, watch: AsyncIterable<{ events: ReadonlyArray<{ object: unknown }> }> & { close(): void }): Promise<void> {
    try {
      for await (const batch of watch) {
        if (!sub.isOpen) return;
        const placed = batch.events.map((e) => e.object as Task).filter(onNode);
        if (placed.length > 0) this.fanOut(sub, target, placed);
      }
    } catch {
      // The watch fell behind or the store closed: the tasks known so far are still followed.
    }
  }
}
