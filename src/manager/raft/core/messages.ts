// The wire contract between Raft members. Every message is plain data (the
// transport CBOR-encodes it), carries the sender's term and names both ends.
//
// Local events (a tick, a campaign, a proposal made on this node, an
// unreachable peer) are method calls on RaftNode, never messages.
import type { Entry, EntryKind, LogIndex, MemberId, Snapshot, Term } from '../types.js';

interface Envelope {
  readonly from: MemberId;
  readonly to: MemberId;
  /**
   * The sender's term. Exceptions: a pre-vote carries the term the sender
   * would campaign in (its term + 1), and a granted pre-vote response echoes
   * it. `propose` and `read-index` forwards carry the sender's term for
   * information only: the receiver never changes its term because of them.
   */
  readonly term: Term;
}

/** §9.6: "would you vote for me?" asked without disturbing anybody's term. */
export interface PreVoteMessage extends Envelope {
  readonly type: 'pre-vote';
  readonly lastIndex: LogIndex;
  readonly lastTerm: Term;
}

export interface PreVoteResponseMessage extends Envelope {
  readonly type: 'pre-vote-response';
  readonly reject: boolean;
}

/** §5.2 RequestVote. */
export interface VoteMessage extends Envelope {
  readonly type: 'vote';
  readonly lastIndex: LogIndex;
  readonly lastTerm: Term;
  /** Sent by a leadership transfer target: voters ignore their leader lease. */
  readonly transfer: boolean;
}

export interface VoteResponseMessage extends Envelope {
  readonly type: 'vote-response';
  readonly reject: boolean;
}

/** §5.3 AppendEntries. An empty `entries` only carries `commit`. */
export interface AppendMessage extends Envelope {
  readonly type: 'append';
  readonly prevIndex: LogIndex;
  readonly prevTerm: Term;
  readonly entries: readonly Entry[];
  readonly commit: LogIndex;
}

/**
 * Why an append was refused, so that the leader can skip a whole term of
 * mismatching entries at once: the follower's largest index <= the rejected
 * prevIndex whose term is <= the rejected prevTerm, and that term.
 */
export interface AppendRejectHint {
  readonly hintIndex: LogIndex;
  readonly hintTerm: Term;
}

export interface AppendResponseMessage extends Envelope {
  readonly type: 'append-response';
  /**
   * Accepted: the last index the follower now holds in agreement with the
   * leader. Refused: the prevIndex of the refused append.
   */
  readonly index: LogIndex;
  readonly reject: AppendRejectHint | null;
}

export interface HeartbeatMessage extends Envelope {
  readonly type: 'heartbeat';
  /** min(follower's match, leader's commit): never beyond what the follower holds. */
  readonly commit: LogIndex;
  /** The latest pending ReadIndex request's context, echoed in the response. */
  readonly context: Uint8Array | null;
}

export interface HeartbeatResponseMessage extends Envelope {
  readonly type: 'heartbeat-response';
  readonly context: Uint8Array | null;
}

/** §7 InstallSnapshot, whole (chunking is the transport's business). */
export interface SnapshotMessage extends Envelope {
  readonly type: 'snapshot';
  readonly snapshot: Snapshot;
}

/** An entry as proposed, before the leader gives it a term and an index. */
export interface ProposedEntry {
  readonly kind: EntryKind;
  readonly data: Uint8Array;
}

/** Proposals forwarded by a follower to its leader. */
export interface ProposeMessage extends Envelope {
  readonly type: 'propose';
  readonly entries: readonly ProposedEntry[];
}

/** A ReadIndex request forwarded by a follower to its leader. */
export interface ReadIndexMessage extends Envelope {
  readonly type: 'read-index';
  readonly context: Uint8Array;
}

/** The leader's answer: reads for `context` may be served once applied >= index. */
export interface ReadIndexResponseMessage extends Envelope {
  readonly type: 'read-index-response';
  readonly index: LogIndex;
  readonly context: Uint8Array;
}

/** Leadership transfer: "campaign now", sent once the target is caught up. */
export interface TimeoutNowMessage extends Envelope {
  readonly type: 'timeout-now';
}

export type Message =
  | PreVoteMessage
  | PreVoteResponseMessage
  | VoteMessage
  | VoteResponseMessage
  | AppendMessage
  | AppendResponseMessage
  | HeartbeatMessage
  | HeartbeatResponseMessage
  | SnapshotMessage
  | ProposeMessage
  | ReadIndexMessage
  | ReadIndexResponseMessage
  | TimeoutNowMessage;

export type MessageType = Message['type'];

/** Distributes Omit over the union so each variant keeps its own fields. */
export type MessageBody<M extends Message = Message> = M extends Message ? Omit<M, 'from' | 'to' | 'term'> : never;

export const MESSAGE_TYPES: readonly MessageType[] = [
  'pre-vote',
  'pre-vote-response',
  'vote',
  'vote-response',
  'append',
  'append-response',
  'heartbeat',
  'heartbeat-response',
  'snapshot',
  'propose',
  'read-index',
  'read-index-response',
  'timeout-now',
];
