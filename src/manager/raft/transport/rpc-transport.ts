// Raft between managers over the shoal RPC layer (WebSocket + CBOR over
// mutual TLS). Messages to a peer are batched into one call per event-loop
// turn and keep their order; snapshots go in chunks over a second
// connection, so a big transfer never delays heartbeats.
import { randomBytes } from 'node:crypto';
import { decode, encode } from 'cbor-x';
import type { Peer } from '../../../api/contract.js';
import { RaftContract, SNAPSHOT_CHUNK_BYTES } from '../../../api/contracts/raft.js';
import { ShoalError } from '../../../api/errors.js';
import type { Dialer } from '../../../net/rpc/dial.js';
import { createClient, serve, type RpcClient, type Service } from '../../../net/rpc/index.js';
import type { Message, SnapshotMessage } from '../core/index.js';
import type { RaftTransport, TransportHandlers } from '../driver/transport.js';
import type { MemberId } from '../types.js';
import { checkMessage } from './message-check.js';

export interface RpcTransportOptions {
  readonly self: MemberId;
  /** How to reach a peer's cluster address ("host:port"). */
  readonly dial: (address: string) => Dialer;
  /** Most messages waiting for one unreachable peer before the oldest are dropped (Raft retries). */
  readonly maxQueued?: number;
}

interface PeerLink {
  readonly address: string;
  readonly client: RpcClient;
  snapshots: RpcClient | null;
  queue: Message[];
  flushing: boolean;
}

export class RpcRaftTransport implements RaftTransport {
  private readonly peers = new Map<string, PeerLink>();
  private handlers: TransportHandlers | null = null;
  private readonly incoming = new Map<string, { from: string; total: number; parts: Uint8Array[]; received: number }>();
  private closed = false;

  constructor(private readonly opts: RpcTransportOptions) {}

  /** The server side: bind it on the manager's RPC server. */
  service(): Service {
    return serve(RaftContract, {
      step: async (req, ctx) => {
        const from = this.senderOf(ctx.peer);
        let batch: unknown;
        try {
          batch = decode(req.batch);
        } catch {
          throw new ShoalError('InvalidArgument', 'raft batch is not valid CBOR');
        }
        if (!Array.isArray(batch)) throw new ShoalError('InvalidArgument', 'raft batch must be a list of messages');
        for (const raw of batch) {
          const r = checkMessage(raw);
          if (!r.ok) throw new ShoalError('InvalidArgument', r.reason);
          if (r.message.from !== from) throw new ShoalError('PermissionDenied', `manager ${from} may not send raft messages as ${r.message.from}`);
          this.handlers?.onMessage(r.message);
        }
        return {};
      },
      snapshotChunk: async (req, ctx) => {
        const from = this.senderOf(ctx.peer);
        const key = `${from}/${req.transfer}`;
        let t = this.incoming.get(key);
        if (t === undefined) {
          if (req.offset !== 0) throw new ShoalError('FailedPrecondition', 'snapshot transfer must start at offset 0');
          // Only one transfer per sender at a time: a new one replaces a stale one.
          for (const k of this.incoming.keys()) if (k.startsWith(`${from}/`)) this.incoming.delete(k);
          t = { from, total: req.total, parts: [], received: 0 };
          this.incoming.set(key, t);
        }
        if (req.offset !== t.received || req.total !== t.total || t.received + req.data.byteLength > t.total) {
          this.incoming.delete(key);
          throw new ShoalError('FailedPrecondition', 'snapshot chunk out of order; the transfer restarts');
        }
        t.parts.push(req.data);
        t.received += req.data.byteLength;
        if (t.received < t.total) return {};
        this.incoming.delete(key);
        const r = checkMessage(decode(Buffer.concat(t.parts)));
        if (!r.ok) throw new ShoalError('InvalidArgument', r.reason);
        if (r.message.from !== from || r.message.type !== 'snapshot') throw new ShoalError('PermissionDenied', 'snapshot chunks must carry a snapshot from their sender');
        this.handlers?.onMessage(r.message);
        return {};
      },
    });
  }

  listen(handlers: TransportHandlers): void {
    this.handlers = handlers;
  }

  setPeer(id: MemberId, address: string): void {
    const cur = this.peers.get(id);
    if (cur !== undefined && cur.address === address) return;
    if (cur !== undefined) this.dropPeer(cur);
    const client = createClient({ dialer: this.opts.dial(address), peerName: `manager ${id} at ${address}`, keepaliveMs: 2000, connectWaitMs: 1000, backoff: { initialMs: 20, maxMs: 500 } });
    this.peers.set(id, { address, client, snapshots: null, queue: [], flushing: false });
  }

  removePeer(id: MemberId): void {
    const cur = this.peers.get(id);
    if (cur === undefined) return;
    this.peers.delete(id);
    this.dropPeer(cur);
  }

  send(messages: readonly Message[]): void {
    if (this.closed) return;
    for (const m of messages) {
      const link = this.peers.get(m.to);
      if (link === undefined) {
        this.handlers?.onUnreachable(m.to);
        continue;
      }
      if (m.type === 'snapshot') {
        void this.sendSnapshot(m.to, link, m);
        continue;
      }
      link.queue.push(m);
      if (link.queue.length > (this.opts.maxQueued ?? 10_000)) link.queue.splice(0, link.queue.length - (this.opts.maxQueued ?? 10_000));
      if (!link.flushing) {
        link.flushing = true;
        queueMicrotask(() => void this.flush(m.to, link));
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const link of this.peers.values()) this.dropPeer(link);
    this.peers.clear();
    this.incoming.clear();
  }

  private senderOf(peer: Peer): string {
    if (peer.kind !== 'node' || peer.role !== 'manager') throw new ShoalError('PermissionDenied', 'only managers take part in raft');
    return peer.nodeId;
  }

  private async flush(id: MemberId, link: PeerLink): Promise<void> {
    // Calls on one connection arrive in order, so batches may overlap in flight.
    while (link.queue.length > 0 && !this.closed) {
      const batch = link.queue;
      link.queue = [];
      if (link.client.status === 'backoff') {
        // Not connected (the client is waiting to redial): drop; Raft resends
        // once the core probes again.
        this.handlers?.onUnreachable(id);
        continue;
      }
      link.client.call(RaftContract, 'step', { batch: new Uint8Array(encode(batch)) }, { deadlineMs: 5000 }).catch(() => this.handlers?.onUnreachable(id));
    }
    link.flushing = false;
  }

  private async sendSnapshot(id: MemberId, link: PeerLink, m: SnapshotMessage): Promise<void> {
    link.snapshots ??= createClient({ dialer: this.opts.dial(link.address), peerName: `manager ${id} at ${link.address} (snapshots)`, connectWaitMs: 5000 });
    const bytes = encode(m);
    const transfer = randomBytes(8).toString('hex');
    try {
      for (let offset = 0; offset < bytes.byteLength; offset += SNAPSHOT_CHUNK_BYTES) {
        const data = new Uint8Array(bytes.subarray(offset, Math.min(bytes.byteLength, offset + SNAPSHOT_CHUNK_BYTES)));
        await link.snapshots.call(RaftContract, 'snapshotChunk', { transfer, offset, total: bytes.byteLength, data }, { deadlineMs: 30_000 });
      }
      this.handlers?.onSnapshotSent(id, true);
    } catch (err) {
      if (process.env['SHOAL_DEBUG']) process.stderr.write(`snapshot to ${id} failed: ${String(err)}\n`);
      this.handlers?.onSnapshotSent(id, false);
    }
  }

  private dropPeer(link: PeerLink): void {
    void link.client.close();
    if (link.snapshots !== null) void link.snapshots.close();
  }
}
