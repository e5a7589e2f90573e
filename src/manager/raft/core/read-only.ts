// ReadIndex (§6.4 of Ongaro's thesis): a read is linearizable if it is served
// once the state machine has applied the commit index the leader had when
// the read arrived, provided the leader was still the leader at that moment.
// The leader proves that with one heartbeat round that a quorum answers,
// echoing the read's context.
import type { LogIndex, MemberId } from '../types.js';

export interface ReadRequest {
  readonly index: LogIndex;
  readonly context: Uint8Array;
  /** Who asked: the leader itself, or a follower that forwarded the request. */
  readonly from: MemberId;
}

interface Pending {
  readonly request: ReadRequest;
  readonly acks: Set<MemberId>;
}

export function contextKey(context: Uint8Array): string {
  return Buffer.from(context.buffer, context.byteOffset, context.byteLength).toString('hex');
}

export class ReadOnly {
  private readonly pending = new Map<string, Pending>();
  /** Keys in arrival order; a quorum for one request confirms all before it. */
  private queue: string[] = [];

  /** Registers a read; a second request with the same context is ignored (contexts must be unique). */
  add(request: ReadRequest): boolean {
    const key = contextKey(request.context);
    if (this.pending.has(key)) return false;
    this.pending.set(key, { request, acks: new Set() });
    this.queue.push(key);
    return true;
  }

  /** Records that `id` answered a heartbeat carrying `context`; returns who has, or null if unknown. */
  recvAck(id: MemberId, context: Uint8Array): ReadonlySet<MemberId> | null {
    const p = this.pending.get(contextKey(context));
    if (p === undefined) return null;
    p.acks.add(id);
    return p.acks;
  }

  /** Releases the request for `context` and every request queued before it, in order. */
  advance(context: Uint8Array): ReadRequest[] {
    const key = contextKey(context);
    const at = this.queue.indexOf(key);
    if (at < 0) return [];
    const released = this.queue.slice(0, at + 1);
    this.queue = this.queue.slice(at + 1);
    const out: ReadRequest[] = [];
    for (const k of released) {
      const p = this.pending.get(k);
      this.pending.delete(k);
      if (p !== undefined) out.push(p.request);
    }
    return out;
  }

  /** The newest pending context, sent with each heartbeat so a late answer still counts. */
  lastPendingContext(): Uint8Array | null {
    const k = this.queue.at(-1);
    return k === undefined ? null : (this.pending.get(k)?.request.context ?? null);
  }

  get size(): number {
    return this.queue.length;
  }
}
