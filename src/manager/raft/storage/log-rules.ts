// What a SaveBatch does to the stored log, decided by pure functions so the
// LMDB and in-memory storages cannot disagree. Each storage reads the few facts
// a plan needs (stored snapshot index, term at an index, last index) and
// applies the plan its own way.
//
// Invariants of a stored log (checked by load()):
//   - entries are contiguous and ascending;
//   - the first entry is snapshot.index + 1, or 1 when there is no snapshot.
import { invariant } from '../../../api/errors.js';
import type { Entry, SaveBatch, SnapshotMeta } from '../types.js';
import { StorageCorruptError } from '../types.js';
import { RECORD } from './record-codec.js';

function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/**
 * Checks everything about a batch that does not depend on the stored log.
 * A failure is a caller bug, so it throws at once (nothing is written).
 */
export function checkBatchShape(batch: SaveBatch): void {
  const { snapshot, entries, hardState } = batch;
  if (snapshot) {
    const { index, term } = snapshot.meta;
    invariant(isCount(index) && index >= 1, `snapshot index ${index} must be an integer >= 1`);
    invariant(isCount(term), `snapshot term ${term} must be an integer >= 0`);
  }
  if (hardState) {
    invariant(isCount(hardState.term), `hard state term ${hardState.term} must be an integer >= 0`);
    invariant(isCount(hardState.commit), `hard state commit ${hardState.commit} must be an integer >= 0`);
  }
  let previous: Entry | undefined;
  for (const e of entries ?? []) {
    invariant(isCount(e.index) && e.index >= 1, `entry index ${e.index} must be an integer >= 1`);
    invariant(isCount(e.term), `entry ${e.index} term ${e.term} must be an integer >= 0`);
    invariant(e.kind === 'normal' || e.kind === 'config', `entry ${e.index} has unknown kind ${String(e.kind)}`);
    if (previous) {
      invariant(e.index === previous.index + 1, `batch entries must be contiguous: ${previous.index} then ${e.index}`);
    }
    previous = e;
  }
}

/**
 * What installing a snapshot does (Raft paper §7, Figure 13, InstallSnapshot
 * steps 6-7):
 * - `ignore`: the stored snapshot is as new or newer (like etcd's
 *   ErrSnapOutOfDate); nothing changes;
 * - `keep-suffix`: the log holds the snapshot's last entry (same index and
 *   term), so entries up to it are dropped and the entries after it are kept;
 * - `replace-log`: otherwise the whole log is discarded.
 */
export type SnapshotPlan = 'ignore' | 'keep-suffix' | 'replace-log';

/**
 * @param storedIndex the stored snapshot's index, or null if there is none
 * @param termAtIndex the term of the stored entry at `meta.index`, if any
 */
export function planSnapshot(storedIndex: number | null, termAtIndex: number | undefined, meta: SnapshotMeta): SnapshotPlan {
  if (storedIndex !== null && meta.index <= storedIndex) return 'ignore';
  return termAtIndex === meta.term ? 'keep-suffix' : 'replace-log';
}

export interface AppendPlan {
  /** The entries to write: the batch minus any the snapshot already covers. */
  readonly entries: readonly Entry[];
  /**
   * Stored entries with an index > this are dropped after the write (conflict
   * truncation: an entry at index i replaces i and everything after it).
   * Null when nothing stored lies beyond the new entries.
   */
  readonly dropAfter: number | null;
}

/**
 * @param snapshotIndex the stored snapshot's index (0 if none), after any
 *   snapshot in the same batch was installed
 * @param lastIndex the last stored entry's index, or snapshotIndex if the log
 *   is empty
 */
export function planAppend(snapshotIndex: number, lastIndex: number, batch: readonly Entry[]): AppendPlan {
  // Entries the snapshot covers are committed, hence identical: skip them (as
  // etcd's MemoryStorage.Append does).
  const entries = batch.filter((e) => e.index > snapshotIndex);
  const first = entries[0];
  const last = entries.at(-1);
  if (first === undefined || last === undefined) return { entries: [], dropAfter: null };
  invariant(
    first.index <= lastIndex + 1,
    `appending entry ${first.index} would leave a gap after the last stored index ${lastIndex}`,
  );
  return { entries, dropAfter: last.index < lastIndex ? last.index : null };
}

/** load()'s continuity check; throws StorageCorruptError naming the entry. */
export function checkContinuity(snapshotIndex: number, entries: readonly Entry[]): void {
  let expected = snapshotIndex + 1;
  for (const e of entries) {
    if (e.index !== expected) {
      const after = expected === 1 ? 'at the start of the log' : `after index ${expected - 1}`;
      throw new StorageCorruptError(RECORD.entry(e.index), `log is not contiguous: expected index ${expected} ${after}`);
    }
    expected++;
  }
}
