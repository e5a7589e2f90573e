// The log as the core holds it in memory: the latest snapshot (or nothing)
// followed by every entry after it. Storage is written only by the driver,
// from Ready; this class tracks how far that has happened.
//
// Invariants (checked by checkInvariants, relied on everywhere):
//   snapshotIndex <= applied <= committed <= lastIndex
//   persisted <= lastIndex, handedOut <= lastIndex
//   entries[i].index === snapshotIndex + 1 + i
import type { Entry, LogIndex, PersistedState, Snapshot, Term } from '../types.js';
import { asIndex, asTerm } from '../types.js';
import { invariant } from '../../../api/errors.js';

export class RaftLog {
  /** The latest snapshot: loaded, taken by the driver (compact) or received. */
  private snap: Snapshot | null;
  private snapIndex: LogIndex;
  private snapTerm: Term;
  private entries: Entry[];

  /** Highest index known to be committed (§5.3). */
  committed: LogIndex;
  /** Highest index the driver has applied (acknowledged through advance). */
  applied: LogIndex;
  /**
   * Highest index such that storage holds exactly this log up to it. Only
   * these entries count toward the leader's own acknowledgement.
   */
  persisted: LogIndex;
  /** Highest entry index already handed to the driver in a Ready. */
  handedOut: LogIndex;
  /** A received snapshot not yet handed to the driver. */
  private pendingSnapshot: Snapshot | null = null;
  /** A received snapshot not yet applied (applied < snapshotIndex until then). */
  private snapshotUnapplied = false;

  constructor(state: PersistedState) {
    this.snap = state.snapshot;
    this.snapIndex = state.snapshot?.meta.index ?? asIndex(0);
    this.snapTerm = state.snapshot?.meta.term ?? asTerm(0);
    this.entries = [...state.entries];
    this.entries.forEach((e, i) => {
      invariant(e.index === this.snapIndex + 1 + i, `persisted entry ${e.index} is out of place: expected ${this.snapIndex + 1 + i}`);
    });
    const last = this.lastIndex();
    invariant(state.hardState.commit <= last, `persisted commit ${state.hardState.commit} is beyond the last entry ${last}`);
    this.committed = asIndex(Math.max(state.hardState.commit, this.snapIndex));
    this.applied = this.snapIndex;
    this.persisted = last;
    this.handedOut = last;
  }

  get snapshot(): Snapshot | null {
    return this.snap;
  }

  snapshotIndex(): LogIndex {
    return this.snapIndex;
  }

  firstIndex(): LogIndex {
    return asIndex(this.snapIndex + 1);
  }

  lastIndex(): LogIndex {
    return asIndex(this.snapIndex + this.entries.length);
  }

  lastTerm(): Term {
    return this.entries.at(-1)?.term ?? this.snapTerm;
  }

  /** The term of the entry at `i`; undefined when compacted away or beyond the end. */
  term(i: number): Term | undefined {
    if (i === this.snapIndex) return this.snapTerm;
    if (i < this.snapIndex) return undefined;
    return this.entries[i - this.snapIndex - 1]?.term;
  }

  matchTerm(i: number, t: Term): boolean {
    return this.term(i) === t;
  }

  /** §5.4.1: whether a log ending at (lastIndex, lastTerm) is at least as up to date as ours. */
  isUpToDate(lastIndex: LogIndex, lastTerm: Term): boolean {
    const ours = this.lastTerm();
    return lastTerm > ours || (lastTerm === ours && lastIndex >= this.lastIndex());
  }

  entry(i: number): Entry | undefined {
    if (i <= this.snapIndex) return undefined;
    return this.entries[i - this.snapIndex - 1];
  }

  /** Entries in [lo, hi] (inclusive); lo must not be compacted. */
  slice(lo: number, hi: number): Entry[] {
    invariant(lo > this.snapIndex, `entries from ${lo} were compacted (snapshot at ${this.snapIndex})`);
    return this.entries.slice(lo - this.snapIndex - 1, Math.max(0, hi - this.snapIndex));
  }

  /**
   * Entries from `lo` to the end, at most `maxBytes` of data but always at
   * least one entry if there is any. Undefined when `lo` was compacted away.
   */
  entriesFrom(lo: number, maxBytes: number): { entries: Entry[]; bytes: number } | undefined {
    if (lo <= this.snapIndex) return undefined;
    const out: Entry[] = [];
    let bytes = 0;
    for (let i = lo - this.snapIndex - 1; i < this.entries.length; i++) {
      const e = this.entries[i];
      if (e === undefined) break;
      if (out.length > 0 && bytes + e.data.byteLength > maxBytes) break;
      out.push(e);
      bytes += e.data.byteLength;
    }
    return { entries: out, bytes };
  }

  /**
   * Appends entries that start at most one past the end, replacing any
   * existing entries from the first one's index on (the caller has checked
   * that this never touches committed entries).
   */
  append(ents: readonly Entry[]): void {
    const first = ents[0];
    if (first === undefined) return;
    invariant(first.index > this.committed, `cannot overwrite committed entry ${first.index} (committed ${this.committed})`);
    invariant(first.index <= this.lastIndex() + 1, `gap before entry ${first.index} (last ${this.lastIndex()})`);
    this.entries.length = first.index - this.snapIndex - 1;
    this.entries.push(...ents);
    const kept = asIndex(first.index - 1);
    if (this.handedOut > kept) this.handedOut = kept;
    if (this.persisted > kept) this.persisted = kept;
  }

  /**
   * §5.3 consistency check and append on a follower. Returns the index of the
   * last new entry, or null if the log has no entry (prevIndex, prevTerm).
   */
  maybeAppend(prevIndex: LogIndex, prevTerm: Term, commit: LogIndex, ents: readonly Entry[]): LogIndex | null {
    if (!this.matchTerm(prevIndex, prevTerm)) return null;
    const lastNew = asIndex(prevIndex + ents.length);
    const conflict = this.findConflict(ents);
    if (conflict !== 0) {
      invariant(conflict > this.committed, `entry ${conflict} conflicts with a committed entry (committed ${this.committed})`);
      this.append(ents.slice(conflict - prevIndex - 1));
    }
    this.commitTo(asIndex(Math.min(commit, lastNew)));
    return lastNew;
  }

  /** The first entry of `ents` that is missing or has another term here; 0 if none. */
  findConflict(ents: readonly Entry[]): number {
    for (const e of ents) {
      if (e.index <= this.snapIndex) continue; // covered by the snapshot: committed, hence equal
      if (!this.matchTerm(e.index, e.term)) return e.index;
    }
    return 0;
  }

  /**
   * The largest index <= `index` whose term is <= `term`, with that term (the
   * fast backtracking of §5.3's optimisation). Stops at the first compacted
   * index, whose term is unknown (reported as 0).
   */
  findConflictByTerm(index: number, term: Term): { index: LogIndex; term: Term } {
    for (let i = Math.min(index, this.lastIndex()); i >= 0; i--) {
      const t = this.term(i);
      if (t === undefined) return { index: asIndex(i), term: asTerm(0) };
      if (t <= term) return { index: asIndex(i), term: t };
    }
    return { index: asIndex(0), term: asTerm(0) };
  }

  commitTo(i: LogIndex): void {
    if (i <= this.committed) return;
    invariant(i <= this.lastIndex(), `commit ${i} beyond last index ${this.lastIndex()}`);
    this.committed = i;
  }

  /** §5.4.2: commit `i` only if it is from `term` (the leader's current term). */
  maybeCommit(i: LogIndex, term: Term): boolean {
    if (i > this.committed && this.term(i) === term) {
      this.commitTo(i);
      return true;
    }
    return false;
  }

  appliedTo(i: LogIndex): void {
    if (i <= this.applied) return;
    invariant(i <= this.committed, `applied ${i} beyond committed ${this.committed}`);
    this.applied = i;
  }

  /** Whether committed but unapplied entries include a config change. */
  hasUnappliedConfig(): boolean {
    for (let i = Math.max(this.applied, this.snapIndex) + 1; i <= this.committed; i++) {
      if (this.entry(i)?.kind === 'config') return true;
    }
    return false;
  }

  // --- Snapshots ---

  /**
   * Installs a received snapshot (§7), replacing the whole log. The caller
   * checked that it is newer than `committed` and not already matched.
   */
  restore(s: Snapshot): void {
    this.snap = s;
    this.snapIndex = s.meta.index;
    this.snapTerm = s.meta.term;
    this.entries = [];
    this.committed = s.meta.index;
    this.handedOut = s.meta.index;
    this.persisted = asIndex(0); // storage holds none of this log until the snapshot is saved
    this.pendingSnapshot = s;
    this.snapshotUnapplied = true;
  }

  /** The driver restored its state machine from `s`. */
  snapshotApplied(s: Snapshot): void {
    if (s.meta.index > this.applied) this.applied = s.meta.index;
    if (this.applied >= this.snapIndex) this.snapshotUnapplied = false;
  }

  /** The driver took `s` at an applied index: keep it for laggards and drop the entries it covers. */
  compact(s: Snapshot): boolean {
    const i = s.meta.index;
    if (i <= this.snapIndex) return false;
    invariant(i <= this.applied, `cannot compact to ${i}: only ${this.applied} is applied`);
    invariant(this.term(i) === s.meta.term, `snapshot at ${i} has term ${s.meta.term}, the log has ${this.term(i)}`);
    this.entries = this.entries.slice(i - this.snapIndex);
    this.snap = s;
    this.snapIndex = i;
    this.snapTerm = s.meta.term;
    return true;
  }

  // --- Ready bookkeeping ---

  hasUnhandedEntries(): boolean {
    return this.handedOut < this.lastIndex();
  }

  hasUnappliedSnapshot(): boolean {
    return this.snapshotUnapplied;
  }

  hasPendingSnapshot(): boolean {
    return this.pendingSnapshot !== null;
  }

  /** Entries not yet handed to the driver; marks them handed out. */
  takeUnhandedEntries(): Entry[] {
    const out = this.slice(this.handedOut + 1, this.lastIndex());
    this.handedOut = this.lastIndex();
    return out;
  }

  takePendingSnapshot(): Snapshot | null {
    const s = this.pendingSnapshot;
    this.pendingSnapshot = null;
    return s;
  }

  /** Committed entries after `from` (the applied index, or a snapshot's). */
  committedAfter(from: LogIndex): Entry[] {
    const lo = Math.max(from, this.snapIndex) + 1;
    if (lo > this.committed) return [];
    return this.slice(lo, this.committed);
  }

  /** The driver saved `s`: storage now holds the log up to its index. */
  snapshotPersisted(s: Snapshot): void {
    if (this.snapIndex === s.meta.index && this.snapTerm === s.meta.term && this.persisted < s.meta.index) {
      this.persisted = s.meta.index;
    }
  }

  /**
   * The driver saved `saved` (one Ready's entries, contiguous). They count
   * only if they extend the persisted prefix, and only as far as they still
   * match the log: a conflicting append may have replaced the tail meanwhile
   * (same index and term means same entry and same prefix, §5.3 Log Matching).
   */
  entriesPersisted(saved: readonly Entry[]): void {
    const first = saved[0];
    if (first === undefined || first.index > this.persisted + 1) return;
    for (let i = saved.length - 1; i >= 0; i--) {
      const e = saved[i];
      if (e !== undefined && this.term(e.index) === e.term) {
        if (e.index > this.persisted) this.persisted = e.index;
        return;
      }
    }
  }

  checkInvariants(): void {
    invariant(this.snapshotUnapplied || this.snapIndex <= this.applied, `snapshot ${this.snapIndex} > applied ${this.applied}`);
    invariant(this.applied <= this.committed, `applied ${this.applied} > committed ${this.committed}`);
    invariant(this.committed <= this.lastIndex(), `committed ${this.committed} > last ${this.lastIndex()}`);
    invariant(this.persisted <= this.lastIndex(), `persisted ${this.persisted} > last ${this.lastIndex()}`);
    invariant(this.handedOut <= this.lastIndex(), `handed out ${this.handedOut} > last ${this.lastIndex()}`);
  }
}
