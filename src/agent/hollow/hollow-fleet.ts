// Many hollow nodes in one process: joins spread over the given managers
// with at most `concurrency` in flight (each join is two TLS handshakes and
// a Raft write on the leader), a bounded number of attempts per node, and
// counters for what the fleet has seen (sessions up, reports committed).
import type { TaskStatusUpdate } from '../../api/contracts/dispatcher.js';
import { parseJoinToken } from '../../net/pki/join-token.js';
import { fetchPinnedCa } from './hollow-join.js';
import { HollowNode, type HollowNodeOptions } from './hollow-node.js';

export interface HollowFleetOptions {
  readonly count: number;
  /** Managers' host:port; node i joins through managers[i % length]. */
  readonly managers: readonly string[];
  readonly token: string;
  /** Joins in flight at once (default 32). */
  readonly concurrency?: number;
  /** Hostnames are `<prefix>-<i>` (default "hollow"). */
  readonly namePrefix?: string;
  /**
   * Fetch and pin the root CA once for the fleet instead of once per node
   * (shoald fetches it on every join; default false, as shoald).
   */
  readonly shareCa?: boolean;
  /** Join attempts per node before it counts as failed (default 3). */
  readonly attempts?: number;
  readonly batchMs?: number;
  readonly maxBatch?: number;
  readonly stepMs?: number;
  readonly joinDeadlineMs?: number;
}

export interface FleetStats {
  readonly joined: number;
  readonly failed: number;
  /** Nodes whose dispatcher session is up now. */
  readonly connected: number;
  /** Tasks the nodes hold now. */
  readonly tasks: number;
  /** Status reports the dispatcher committed, and how many of them said running. */
  readonly reportsCommitted: number;
  readonly runningCommitted: number;
  readonly batchesCommitted: number;
  readonly reportErrors: number;
  readonly joinRetries: number;
  /** The latest report failure's message, if any. */
  readonly lastReportError: string | null;
}

export interface FleetJoinResult {
  readonly joined: number;
  readonly failed: number;
  /** The first few join errors, for the report. */
  readonly errors: readonly string[];
  readonly ms: number;
}

/** The i-th hollow node's advertised address: 10.90.x.y, never dialled. */
export function hollowAddr(i: number): string {
  return `10.90.${(i >> 8) & 255}.${i & 255}:2377`;
}

export class HollowFleet {
  readonly nodes: Array<HollowNode | null>;
  private reports = 0;
  private running = 0;
  private batches = 0;
  private reportErrors = 0;
  private retries = 0;
  private lastReportError: string | null = null;
  private stopping = false;

  constructor(private readonly opts: HollowFleetOptions) {
    if (opts.managers.length === 0) throw new Error('a hollow fleet needs at least one manager address');
    if (!(opts.count >= 0)) throw new Error(`hollow fleet count must be >= 0, got ${opts.count}`);
    parseJoinToken(opts.token); // refuse a malformed token before any connection
    this.nodes = Array.from({ length: opts.count }, () => null);
  }

  stats(): FleetStats {
    let joined = 0;
    let failed = 0;
    let tasks = 0;
    let connected = 0;
    for (const n of this.nodes) {
      if (n === null) continue;
      if (n.state.kind === 'running') joined++;
      if (n.isConnected) connected++;
      if (n.state.kind === 'failed') failed++;
      tasks += n.taskCount;
    }
    return {
      joined,
      failed,
      connected,
      tasks,
      reportsCommitted: this.reports,
      runningCommitted: this.running,
      batchesCommitted: this.batches,
      reportErrors: this.reportErrors,
      joinRetries: this.retries,
      lastReportError: this.lastReportError,
    };
  }

  /** Join every node (bounded concurrency); resolves when each has joined or used its attempts. */
  async start(): Promise<FleetJoinResult> {
    const t0 = performance.now();
    const caPem = this.opts.shareCa === true ? await fetchPinnedCa(this.opts.managers[0] as string, this.opts.token) : undefined;
    const errors: string[] = [];
    let next = 0;
    let failed = 0;
    const worker = async (): Promise<void> => {
      while (!this.stopping && next < this.opts.count) {
        const i = next++;
        const err = await this.joinOne(i, caPem);
        if (err !== null) {
          failed++;
          if (errors.length < 5) errors.push(`${this.name(i)}: ${err}`);
        }
      }
    };
    const workers = Math.max(1, Math.min(this.opts.concurrency ?? 32, this.opts.count));
    await Promise.all(Array.from({ length: workers }, () => worker()));
    return { joined: this.opts.count - failed, failed, errors, ms: performance.now() - t0 };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.nodes.map((n) => n?.stop()));
  }

  private name(i: number): string {
    return `${this.opts.namePrefix ?? 'hollow'}-${String(i + 1).padStart(4, '0')}`;
  }

  /** Join node i, retrying with a fresh node (new key) up to `attempts`; the last error, or null. */
  private async joinOne(i: number, caPem: string | undefined): Promise<string | null> {
    const attempts = Math.max(1, this.opts.attempts ?? 3);
    let last = 'not attempted';
    for (let a = 0; a < attempts && !this.stopping; a++) {
      if (a > 0) {
        this.retries++;
        await new Promise((r) => setTimeout(r, 100 * 2 ** a));
      }
      const node = new HollowNode(this.nodeOptions(i, a, caPem));
      this.nodes[i] = node;
      try {
        await node.start();
        return null;
      } catch (err) {
        last = err instanceof Error ? err.message : String(err);
      }
    }
    return last;
  }

  private nodeOptions(i: number, attempt: number, caPem: string | undefined): HollowNodeOptions {
    const o = this.opts;
    return {
      hostname: this.name(i),
      joinAddr: o.managers[(i + attempt) % o.managers.length] as string,
      token: o.token,
      advertiseAddr: hollowAddr(i),
      ...(caPem !== undefined ? { caPem } : {}),
      ...(o.batchMs !== undefined ? { batchMs: o.batchMs } : {}),
      ...(o.maxBatch !== undefined ? { maxBatch: o.maxBatch } : {}),
      ...(o.stepMs !== undefined ? { stepMs: o.stepMs } : {}),
      ...(o.joinDeadlineMs !== undefined ? { joinDeadlineMs: o.joinDeadlineMs } : {}),
      events: {
        onReported: (updates) => this.counted(updates),
        onReportError: (err) => {
          this.reportErrors++;
          this.lastReportError = err instanceof Error ? err.message : String(err);
        },
      },
    };
  }

  private counted(updates: readonly TaskStatusUpdate[]): void {
    this.batches++;
    this.reports += updates.length;
    for (const u of updates) if (u.State === 'running') this.running++;
  }
}
