// The agent's link to the managers: a session with the leader's dispatcher
// (register, then receive the node's own object and its assignments) and
// heartbeats. Followers answer with the leader's address; any failure moves
// on to the next manager after a short, jittered pause.
import type { SessionMessage, TaskStatusUpdate } from '../api/contracts/dispatcher.js';
import { DispatcherContract } from '../api/contracts/dispatcher.js';
import type { Node } from '../api/node.js';
import type { Task } from '../api/task.js';
import type { Dialer } from '../net/rpc/dial.js';
import { createClient, type RpcClient } from '../net/rpc/index.js';
import { isShoalError, ShoalError } from '../api/errors.js';
import type * as s from '../api/schema.js';
import type { nodeDescriptionSchema } from '../api/contracts/dispatcher.js';

export type NodeDescriptionReport = s.Infer<typeof nodeDescriptionSchema>;

export interface SessionOptions {
  /** Manager addresses to try, best first. */
  readonly managers: () => readonly string[];
  readonly dial: (address: string) => Dialer;
  readonly description: () => NodeDescriptionReport;
  /** The address the node reports as its own. */
  readonly addr: string;
  readonly onNode: (node: Node, managers: Array<{ NodeID: string; Addr: string }>) => void;
  readonly onAssignments: (tasks: readonly Task[], serviceNames: Readonly<Record<string, string>>) => void;
  readonly onState?: (state: 'connected' | 'disconnected', detail: string) => void;
  /**
   * A session is established: `rpc` reaches the leader until `signal` aborts
   * (the session ended). For side channels such as the log subscriptions.
   */
  readonly onConnected?: (rpc: RpcClient, signal: AbortSignal) => void;
}

export class DispatcherSession {
  private stopped = false;
  private client: { addr: string; rpc: RpcClient } | null = null;
  private preferred: string | null = null;
  private heartbeatMs = 1000;
  private beat: NodeJS.Timeout | null = null;
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;
  /** The client of the session in progress, once the dispatcher accepted it. */
  private live: RpcClient | null = null;

  constructor(private readonly opts: SessionOptions) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    if (this.beat !== null) clearTimeout(this.beat);
    await this.client?.rpc.close();
    await this.loop;
  }

  /**
   * Deliver task status updates to the leader over the session's connection.
   * Rejects (Unavailable) while no session is up: the caller keeps them and retries.
   */
  async report(updates: TaskStatusUpdate[]): Promise<void> {
    const rpc = this.live;
    if (rpc === null || this.stopped) throw new ShoalError('Unavailable', 'not connected to a manager: the agent is reconnecting');
    await rpc.call(DispatcherContract, 'updateTaskStatus', { updates }, { deadlineMs: Math.max(5000, this.heartbeatMs * 3) });
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      const list = this.opts.managers();
      const addr = this.preferred ?? list[attempt % Math.max(1, list.length)];
      this.preferred = null;
      attempt++;
      if (addr === undefined) {
        await this.pause(500);
        continue;
      }
      try {
        await this.session(addr);
      } catch (err) {
        const detail = isShoalError(err) ? err.detail : undefined;
        if (detail?.startsWith('leader=')) this.preferred = detail.slice('leader='.length);
        this.opts.onState?.('disconnected', err instanceof Error ? err.message : String(err));
      }
      if (this.beat !== null) clearTimeout(this.beat);
      await this.pause(this.preferred !== null ? 20 : 100 + Math.random() * 200);
    }
  }

  private rpc(addr: string): RpcClient {
    if (this.client?.addr !== addr) {
      if (this.client !== null) void this.client.rpc.close();
      this.client = { addr, rpc: createClient({ dialer: this.opts.dial(addr), peerName: `the manager at ${addr}`, connectWaitMs: 2000, keepaliveMs: 2000, backoff: { initialMs: 50, maxMs: 1000 } }) };
    }
    return this.client.rpc;
  }

  private async session(addr: string): Promise<void> {
    const rpc = this.rpc(addr);
    const ended = new AbortController();
    const items = rpc.stream(DispatcherContract, 'session', { description: this.opts.description(), addr: this.opts.addr }, { signal: this.abort.signal });
    let first = true;
    try {
      for await (const m of items as AsyncIterable<SessionMessage>) {
        if (first) {
          first = false;
          this.live = rpc;
          this.opts.onState?.('connected', addr);
          this.scheduleBeat(rpc);
          this.opts.onConnected?.(rpc, AbortSignal.any([ended.signal, this.abort.signal]));
        }
        if (m.kind === 'node') {
          this.heartbeatMs = m.heartbeatMs;
          this.opts.onNode(m.node, m.managers);
        } else {
          this.opts.onAssignments(m.tasks, m.serviceNames);
        }
      }
    } finally {
      if (this.live === rpc) this.live = null;
      ended.abort();
    }
  }

  private scheduleBeat(rpc: RpcClient): void {
    if (this.beat !== null) clearTimeout(this.beat);
    this.beat = setTimeout(() => {
      rpc.call(DispatcherContract, 'heartbeat', {}, { deadlineMs: this.heartbeatMs * 2 }).then(
        (r) => {
          this.heartbeatMs = r.periodMs;
        },
        () => undefined,
      );
      if (!this.stopped) this.scheduleBeat(rpc);
    }, this.heartbeatMs / 2);
  }

  private pause(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }
}
