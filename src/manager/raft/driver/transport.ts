// What the driver needs from a transport between Raft members. The RPC
// transport (rpc-transport.ts) and the tests' in-memory network implement it.
import type { Message } from '../core/index.js';
import type { MemberId } from '../types.js';

export interface RaftTransport {
  /**
   * Queue messages for delivery; never blocks and never throws. Messages to
   * one peer are batched and kept in order; snapshots travel on their own
   * stream. Delivery failures are reported through the callbacks.
   */
  send(messages: readonly Message[]): void;
  /** Where a member can be reached (its cluster address); called as membership changes. */
  setPeer(id: MemberId, address: string): void;
  removePeer(id: MemberId): void;
  /** Incoming messages and delivery reports go to these handlers. */
  listen(handlers: TransportHandlers): void;
  close(): Promise<void>;
}

export interface TransportHandlers {
  onMessage(message: Message): void;
  onUnreachable(peer: MemberId): void;
  onSnapshotSent(peer: MemberId, ok: boolean): void;
}
