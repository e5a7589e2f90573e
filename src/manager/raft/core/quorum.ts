// Majority arithmetic over a set of voters. Learners never appear here.
import type { LogIndex, MemberId } from '../types.js';
import { asIndex } from '../types.js';

export type VoteResult = 'won' | 'lost' | 'pending';

/** How many voters make a majority of `n` (1 of 1, 2 of 3, 3 of 5). */
export function majority(n: number): number {
  return Math.floor(n / 2) + 1;
}

/**
 * The largest index that a majority of voters hold: sort the match indexes
 * descending and take the majority-th. Members missing from `match` count as 0.
 * No voters: 0 (nothing can commit).
 */
export function committedIndex(voters: Iterable<MemberId>, match: (id: MemberId) => number): LogIndex {
  const indexes = [...voters].map(match);
  if (indexes.length === 0) return asIndex(0);
  indexes.sort((a, b) => b - a);
  return asIndex(indexes[majority(indexes.length) - 1] ?? 0);
}

/** Won once a majority granted, lost once a majority can no longer grant. */
export function voteResult(voters: ReadonlySet<MemberId>, votes: ReadonlyMap<MemberId, boolean>): VoteResult {
  let granted = 0;
  let rejected = 0;
  for (const id of voters) {
    const v = votes.get(id);
    if (v === true) granted++;
    else if (v === false) rejected++;
  }
  const q = majority(voters.size);
  if (granted >= q) return 'won';
  if (voters.size - rejected < q) return 'lost';
  return 'pending';
}

/** Whether a majority of voters satisfy `pred`. */
export function hasQuorum(voters: ReadonlySet<MemberId>, pred: (id: MemberId) => boolean): boolean {
  let n = 0;
  for (const id of voters) if (pred(id)) n++;
  return voters.size > 0 && n >= majority(voters.size);
}
