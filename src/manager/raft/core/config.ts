// Everything a RaftNode is configured with. Time is counted in ticks (the
// driver decides how long a tick is); randomness comes from `rng`.
import type { MemberId } from '../types.js';
import { ShoalError } from '../../../api/errors.js';

export interface RaftConfig {
  readonly id: MemberId;
  /**
   * A follower that hears nothing from a leader for a random number of ticks
   * in [electionTicks, 2*electionTicks) starts an election (§5.2). With
   * checkQuorum, also the leader's lease. Must exceed heartbeatTicks.
   */
  readonly electionTicks: number;
  /** The leader sends heartbeats every heartbeatTicks ticks. */
  readonly heartbeatTicks: number;
  /** Run a pre-vote round before a real election (thesis §9.6). */
  readonly preVote: boolean;
  /**
   * The leader steps down when it has not heard from a quorum within an
   * election timeout, and followers that heard from a leader within one
   * ignore vote requests (a partitioned node cannot disrupt the cluster).
   */
  readonly checkQuorum: boolean;
  /** Appends in flight to one follower in replicate state (the window). */
  readonly maxInflightMsgs: number;
  /** Maximum entry payload bytes in one append (at least one entry is always sent). */
  readonly maxSizePerMsg: number;
  /** Optional cap on in-flight payload bytes per follower; 0 or absent: none. */
  readonly maxInflightBytes?: number;
  /** Optional cap on the payload bytes of uncommitted entries on the leader; 0 or absent: none. */
  readonly maxUncommittedBytes?: number;
  /** Seeded source of numbers in [0, 1), for election timeouts. */
  readonly rng: () => number;
}

function positiveInt(value: number, field: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new ShoalError('InvalidArgument', `raft config ${field} must be an integer >= 1, got ${value}`, field);
  }
}

/** Throws an InvalidArgument ShoalError naming the field when the config cannot work. */
export function validateConfig(c: RaftConfig): void {
  if (c.id === '') throw new ShoalError('InvalidArgument', 'raft config id must not be empty', 'id');
  positiveInt(c.electionTicks, 'electionTicks');
  positiveInt(c.heartbeatTicks, 'heartbeatTicks');
  if (c.electionTicks <= c.heartbeatTicks) {
    throw new ShoalError(
      'InvalidArgument',
      `raft config electionTicks (${c.electionTicks}) must exceed heartbeatTicks (${c.heartbeatTicks}), or followers time out between heartbeats`,
      'electionTicks',
    );
  }
  positiveInt(c.maxInflightMsgs, 'maxInflightMsgs');
  positiveInt(c.maxSizePerMsg, 'maxSizePerMsg');
  for (const field of ['maxInflightBytes', 'maxUncommittedBytes'] as const) {
    const v = c[field];
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) {
      throw new ShoalError('InvalidArgument', `raft config ${field} must be an integer >= 0, got ${v}`, field);
    }
  }
}
