// What the local requests of RaftNode return. Nothing here is an exception:
// "no leader" is an everyday answer during elections and the caller retries.
import type { LogIndex, MemberId, Term } from '../types.js';

export type DropReason =
  /** No leader is known (an election is under way): retry later. */
  | 'no-leader'
  /** The leader is handing over leadership: retry on the new leader. */
  | 'transferring-leadership'
  /** A membership change is still unapplied: one at a time. */
  | 'conf-change-pending'
  /** The membership change makes no sense against the current configuration. */
  | 'invalid-conf-change'
  /** Too many uncommitted bytes on the leader (maxUncommittedBytes): back off. */
  | 'uncommitted-limit'
  /** This leader was removed from the configuration. */
  | 'not-a-member';

export interface Dropped {
  readonly kind: 'dropped';
  readonly reason: DropReason;
  /** For the operator. */
  readonly message: string;
}

export type ProposeResult =
  /**
   * The leader appended it at (index, term). It is committed when an entry
   * with that index is applied; if that entry has another term, the proposal
   * was lost to a leader change.
   */
  | { readonly kind: 'appended'; readonly index: LogIndex; readonly term: Term }
  /** Sent to the leader; watch the applied entries for it (it may be lost). */
  | { readonly kind: 'forwarded'; readonly to: MemberId }
  | Dropped;

export type ReadIndexResult =
  /** The leader is confirming its leadership; the ReadState will appear in a Ready. */
  | { readonly kind: 'pending' }
  /** Sent to the leader; its answer becomes a ReadState (or is lost: retry on timeout). */
  | { readonly kind: 'forwarded'; readonly to: MemberId }
  | Dropped;

export type TransferResult =
  /** Catching the target up; it will campaign when TimeoutNow reaches it. */
  | { readonly kind: 'started'; readonly to: MemberId }
  /** The target is this node, already leader. */
  | { readonly kind: 'already-leader' }
  | {
      readonly kind: 'refused';
      readonly reason: 'not-leader' | 'not-a-voter';
      readonly message: string;
    };

export function dropped(reason: DropReason, message: string): Dropped {
  return { kind: 'dropped', reason, message };
}
