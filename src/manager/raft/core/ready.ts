// What the core hands to its driver, one batch at a time.
import type { Entry, HardState, LogIndex, MemberId, Snapshot } from '../types.js';
import type { Message } from './messages.js';
import type { RoleKind } from './roles.js';

/** Volatile state, for display and routing: who leads, and what we are. */
export interface SoftState {
  readonly role: RoleKind;
  readonly leader: MemberId | null;
}

/** A confirmed ReadIndex: serve the read for `context` once applied >= index. */
export interface ReadState {
  readonly index: LogIndex;
  readonly context: Uint8Array;
}

/**
 * One batch of work for the driver. Handle it in this order:
 *  1. save `snapshot`, `entries` and `hardState` durably (fsync), in that
 *     order (exactly a SaveBatch);
 *  2. only then send `messages` (they may promise what step 1 stored);
 *  3. restore the state machine from `snapshot` if any, then apply
 *     `committedEntries` in order (for `config` entries: decodeConfChange
 *     and RaftNode.applyConfChange); serve `readStates` once applied;
 *  4. call RaftNode.advance(thisReady).
 */
export interface Ready {
  /** Present when role or leader changed since the previous Ready. */
  readonly softState?: SoftState;
  /** Present when term, vote or commit changed since the previous Ready. */
  readonly hardState?: HardState;
  /** An incoming snapshot to store and restore the state machine from. */
  readonly snapshot?: Snapshot;
  /** Entries to store; an entry replaces any stored entry at its index and all after it. */
  readonly entries: readonly Entry[];
  /** Entries to apply, in order (committed, so durable on a quorum). */
  readonly committedEntries: readonly Entry[];
  /** To send after step 1 is durable. */
  readonly messages: readonly Message[];
  readonly readStates: readonly ReadState[];
}
