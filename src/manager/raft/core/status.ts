// A read-only picture of a node, for the console and for tests.
import type { ConfState, LogIndex, MemberId, Term } from '../types.js';
import type { ProgressStateKind } from './progress.js';
import type { RoleKind } from './roles.js';

export interface FollowerProgress {
  readonly id: MemberId;
  readonly learner: boolean;
  readonly match: LogIndex;
  readonly next: LogIndex;
  readonly state: ProgressStateKind;
  /** Heard from during the current check-quorum round. */
  readonly recentActive: boolean;
  /** Appends sent and not yet acknowledged. */
  readonly inflight: number;
  /** How many entries behind the leader's last index. */
  readonly lag: number;
}

export interface Status {
  readonly id: MemberId;
  readonly role: RoleKind;
  readonly term: Term;
  readonly vote: MemberId | null;
  readonly leader: MemberId | null;
  readonly commit: LogIndex;
  readonly applied: LogIndex;
  readonly lastIndex: LogIndex;
  readonly snapshotIndex: LogIndex;
  readonly conf: ConfState;
  /** Leader only: the target of a leadership transfer under way. */
  readonly transferee: MemberId | null;
  /** Leader only (empty otherwise): every member but the leader, sorted by id. */
  readonly progress: readonly FollowerProgress[];
}
