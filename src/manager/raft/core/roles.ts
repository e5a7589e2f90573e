// A node's role, with the state that only makes sense in that role.
import type { LogIndex, MemberId } from '../types.js';
import type { Progress } from './progress.js';
import type { ReadOnly } from './read-only.js';

export interface FollowerRole {
  readonly kind: 'follower';
}

/** Asking for pre-votes for term+1 without having changed term (thesis §9.6). */
export interface PreCandidateRole {
  readonly kind: 'pre-candidate';
  readonly votes: Map<MemberId, boolean>;
}

export interface CandidateRole {
  readonly kind: 'candidate';
  readonly votes: Map<MemberId, boolean>;
}

/** A read forwarded (or made) before this leader committed an entry in its term. */
export interface PostponedRead {
  readonly context: Uint8Array;
  readonly from: MemberId;
}

export interface LeaderRole {
  readonly kind: 'leader';
  /** One per member, this leader included (its match is what it has persisted). */
  readonly progress: Map<MemberId, Progress>;
  readonly readOnly: ReadOnly;
  /** Reads waiting until an entry of this term commits (its commit index is then current). */
  postponedReads: PostponedRead[];
  /** A leadership transfer under way: proposals are refused meanwhile. */
  transferee: MemberId | null;
  /** Index of the latest config entry (or of the term's first entry); no new change until applied. */
  pendingConfIndex: LogIndex;
  /** Payload bytes appended and not yet applied (for maxUncommittedBytes). */
  uncommittedBytes: number;
  heartbeatElapsed: number;
  /** Something to send to followers (new entries, a new commit, an unpaused window). */
  replicationDue: boolean;
}

export type Role = FollowerRole | PreCandidateRole | CandidateRole | LeaderRole;
export type RoleKind = Role['kind'];
