// A hollow node (after Kubernetes' kubemark): an in-process agent that joins
// with a real token, CSR and certificate, and keeps a real DispatcherSession
// over mutual TLS to the leader (register, assignments, heartbeats), but runs
// no containers: each assigned task is walked through the agent's states
// (hollow-tasks.ts) and the changes are reported through the real agent's
// batching StatusReporter (src/agent/worker) over the session's connection:
// shutdown for tasks desired shutdown, and for tasks that left the node's
// set (the dispatcher drops tasks desired remove).
// Per node it keeps its credentials, the session, and one small record per task.
import type { TaskStatusUpdate } from '../../api/contracts/dispatcher.js';
import { assertNever } from '../../api/errors.js';
import type { Task } from '../../api/task.js';
import { DispatcherSession, type NodeDescriptionReport } from '../dispatcher-session.js';
import { HollowTasks, messageFor, type StateChange } from './hollow-tasks.js';
import { StatusReporter } from '../worker/status-reporter.js';
import { joinWithToken, nodeDialer, parseHostPort } from './hollow-join.js';

export interface HollowNodeEvents {
  readonly onConnected?: (connected: boolean, detail: string) => void;
  /** A batch of reports the dispatcher committed. */
  readonly onReported?: (updates: readonly TaskStatusUpdate[]) => void;
  readonly onReportError?: (err: unknown) => void;
}

export interface HollowNodeOptions {
  readonly hostname: string;
  /** host:port of the manager to join through. */
  readonly joinAddr: string;
  /** A worker join token. */
  readonly token: string;
  /** host:port the node advertises (nothing listens there). */
  readonly advertiseAddr: string;
  /** The root CA, already pinned against the token (see fetchPinnedCa); fetched per node when absent. */
  readonly caPem?: string;
  readonly description?: NodeDescriptionReport;
  /** Status coalescing window (default: the agent's, 100 ms). */
  readonly batchMs?: number;
  /** Most reports per updateTaskStatus call (default: the agent's, 500). */
  readonly maxBatch?: number;
  /** Time per state step (accepted, preparing, ...); 0 (default) takes every step at once. */
  readonly stepMs?: number;
  readonly joinDeadlineMs?: number;
  readonly events?: HollowNodeEvents;
}

type Running = {
  readonly kind: 'running';
  readonly nodeId: string;
  readonly session: DispatcherSession;
  readonly reporter: StatusReporter;
};

export type HollowNodeState = { readonly kind: 'new' } | { readonly kind: 'joining' } | Running | { readonly kind: 'failed'; readonly error: Error } | { readonly kind: 'stopped' };

const GiB = 1024 ** 3;

export function hollowDescription(hostname: string): NodeDescriptionReport {
  return {
    Hostname: hostname,
    Platform: { Architecture: 'x86_64', OS: 'linux' },
    Resources: { NanoCPUs: 8e9, MemoryBytes: 32 * GiB },
    Engine: { EngineVersion: 'hollow', Labels: { 'shoal.hollow': 'true' } },
  };
}

export class HollowNode {
  private current: HollowNodeState = { kind: 'new' };
  private readonly tasks = new HollowTasks();
  private leader: string | null = null;
  private connected = false;
  private stepper: NodeJS.Timeout | null = null;

  constructor(readonly opts: HollowNodeOptions) {}

  get state(): HollowNodeState {
    return this.current;
  }

  get nodeId(): string | null {
    return this.current.kind === 'running' ? this.current.nodeId : null;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  get taskCount(): number {
    return this.tasks.size;
  }

  /** Join, then keep a dispatcher session. Rejects if the join fails (the node is then `failed`). */
  async start(): Promise<void> {
    if (this.current.kind !== 'new') throw new Error(`hollow node ${this.opts.hostname} was already started (${this.current.kind})`);
    this.current = { kind: 'joining' };
    let joined;
    try {
      joined = await joinWithToken({
        remoteAddr: this.opts.joinAddr,
        token: this.opts.token,
        hostname: this.opts.hostname,
        advertiseAddr: this.opts.advertiseAddr,
        ...(this.opts.caPem !== undefined ? { caPem: this.opts.caPem } : {}),
        ...(this.opts.joinDeadlineMs !== undefined ? { deadlineMs: this.opts.joinDeadlineMs } : {}),
      });
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      if (this.current.kind === 'joining') this.current = { kind: 'failed', error };
      throw error;
    }
    if (this.current.kind !== 'joining') return; // stopped while joining
    const dial = nodeDialer(joined.creds);
    let managers = joined.managers.map((m) => m.Addr);
    // The reporter sends over the session, created just below (it only sends once assignments came in).
    let session: DispatcherSession | null = null;
    const events = this.opts.events;
    const reporter = new StatusReporter({
      send: async (updates) => {
        if (session === null) throw new Error('no dispatcher session yet');
        await session.report(updates);
        events?.onReported?.(updates);
      },
      ...(this.opts.batchMs !== undefined ? { flushMs: this.opts.batchMs } : {}),
      ...(this.opts.maxBatch !== undefined ? { maxBatch: this.opts.maxBatch } : {}),
      ...(events?.onReportError !== undefined ? { onError: events.onReportError } : {}),
    });
    const description = this.opts.description ?? hollowDescription(this.opts.hostname);
    session = new DispatcherSession({
      managers: () => (this.leader !== null ? [this.leader, ...managers] : managers),
      dial,
      description: () => description,
      addr: parseHostPort(this.opts.advertiseAddr).host,
      onNode: (_node, known) => {
        if (known.length > 0) managers = known.map((m) => m.Addr);
      },
      onAssignments: (assigned) => this.assigned(assigned),
      onState: (s, detail) => {
        this.connected = s === 'connected';
        if (s === 'connected') this.leader = detail;
        this.opts.events?.onConnected?.(this.connected, detail);
      },
    });
    this.current = { kind: 'running', nodeId: joined.nodeId, session, reporter };
    session.start();
  }

  async stop(): Promise<void> {
    const c = this.current;
    this.current = { kind: 'stopped' };
    if (this.stepper !== null) clearInterval(this.stepper);
    this.stepper = null;
    switch (c.kind) {
      case 'running':
        c.reporter.close();
        await c.session.stop();
        return;
      case 'new':
      case 'joining':
      case 'failed':
      case 'stopped':
        return;
      default:
        assertNever(c, 'hollow node state');
    }
  }

  private assigned(assigned: readonly Task[]): void {
    this.report(this.tasks.assign(assigned));
    const stepMs = this.opts.stepMs ?? 0;
    if (stepMs <= 0) {
      this.report(this.tasks.settle());
      return;
    }
    this.report(this.tasks.step());
    if (this.stepper === null && this.tasks.moving > 0) {
      this.stepper = setInterval(() => {
        this.report(this.tasks.step());
        if (this.tasks.moving === 0 && this.stepper !== null) {
          clearInterval(this.stepper);
          this.stepper = null;
        }
      }, stepMs);
    }
  }

  private report(changes: readonly StateChange[]): void {
    if (this.current.kind !== 'running' || changes.length === 0) return;
    const at = new Date().toISOString();
    for (const c of changes) this.current.reporter.report({ TaskID: c.taskId, State: c.state, Message: messageFor(c.state), Timestamp: at });
  }
}
