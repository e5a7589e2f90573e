// The Raft safety properties (Figure 3 of the paper), checked as the
// simulation runs, on what the sim drivers observe: the Readys they handle,
// the batches they store, the entries they apply and each member's status.
//
// - Election Safety: at most one leader per term, over every member and
//   every restart.
// - Log Matching: recorded inductively. The first time any log holds
//   (index, term) we record the entry and the term before it; every other log
//   holding (index, term) must agree on both. By induction on the index, two
//   logs with the same (index, term) are then identical up to it.
// - Leader Completeness: an entry's commit term is bounded by the term of the
//   first member seen with a commit index covering it (a member only learns
//   of a commit in or after the term it happened). Every leader of a later
//   term must hold it in the log it had when it first handed out a Ready.
// - State Machine Safety: the entry applied at each index, and the rolling
//   hash of the state after it, are the same on every member (snapshots
//   carry the hash too).
import type { Entry, MemberId } from '../types.js';
import type { RoleKind } from '../core/index.js';
import type { LogMirror } from './log-mirror.js';
import { entryKey } from './kv-sim-machine.js';
import { check } from './violation.js';

interface Election {
  readonly member: MemberId;
  readonly term: number;
  readonly log: LogMirror;
}

interface Applied {
  readonly term: number;
  /** Unknown when the index was only ever seen inside a snapshot. */
  key: string | undefined;
  readonly hash: number;
  readonly by: MemberId;
}

export class SafetyMonitor {
  private readonly leaders = new Map<number, MemberId>();
  /** `${index}:${term}` -> the entry and the term before it, as first stored. */
  private readonly stored = new Map<string, { readonly key: string; readonly prevTerm: number | undefined; readonly by: MemberId }>();
  private readonly applied = new Map<number, Applied>();
  /** index -> upper bound of the term it was committed in. */
  private readonly commitTerm = new Map<number, number>();
  private maxCommit = 0;
  private readonly elections: Election[] = [];
  private readonly electionKeys = new Set<string>();

  /** How many distinct (term, leader) pairs were seen. */
  get leaderCount(): number {
    return this.leaders.size;
  }

  get highestCommit(): number {
    return this.maxCommit;
  }

  /** A member's role, term and commit index right after it handled something. */
  observeStatus(member: MemberId, role: RoleKind, term: number, commit: number): void {
    if (role === 'leader') this.observeLeader(member, term);
    if (commit <= this.maxCommit) return;
    for (let i = this.maxCommit + 1; i <= commit; i++) {
      this.commitTerm.set(i, term);
      this.checkCommitted(i);
    }
    this.maxCommit = commit;
  }

  observeLeader(member: MemberId, term: number): void {
    const other = this.leaders.get(term);
    check(other === undefined || other === member, 'election-safety', () => `${member} and ${other} are both leaders of term ${term}`);
    this.leaders.set(term, member);
  }

  /** A leader handed out a Ready; `log` is its log with that Ready's entries stored. */
  observeLeaderReady(member: MemberId, term: number, log: LogMirror): void {
    this.observeLeader(member, term);
    const key = `${member}:${term}`;
    if (this.electionKeys.has(key)) return;
    this.electionKeys.add(key);
    const election: Election = { member, term, log: log.copy() };
    this.elections.push(election);
    for (let i = 1; i <= this.maxCommit; i++) {
      const ct = this.commitTerm.get(i);
      if (ct !== undefined && ct < term) this.checkElection(election, i);
    }
  }

  /** The driver stored `e` in `member`'s log; `prevTerm` is the term its log holds just before it. */
  observeStored(member: MemberId, e: Entry, prevTerm: number | undefined): void {
    const id = `${e.index}:${e.term}`;
    const key = entryKey(e);
    const first = this.stored.get(id);
    if (first === undefined) {
      this.stored.set(id, { key, prevTerm, by: member });
      return;
    }
    check(first.key === key, 'log-matching', () => `${member} and ${first.by} hold different entries at index ${e.index} term ${e.term}`);
    check(
      prevTerm === undefined || first.prevTerm === undefined || first.prevTerm === prevTerm,
      'log-matching',
      () => `${member} holds entry ${e.index}/${e.term} after a term-${prevTerm} entry, ${first.by} after a term-${first.prevTerm} one`,
    );
  }

  /** `member` applied `e`, reaching a state with rolling hash `hash`. */
  observeApplied(member: MemberId, e: Entry, hash: number): void {
    const key = entryKey(e);
    const seen = this.applied.get(e.index);
    if (seen === undefined) {
      this.applied.set(e.index, { term: e.term, key, hash, by: member });
      this.checkCommitted(e.index);
      return;
    }
    check(
      seen.term === e.term && (seen.key === undefined || seen.key === key),
      'state-machine-safety',
      () => `${member} applied entry ${e.index}/${e.term} but ${seen.by} applied ${e.index}/${seen.term}${seen.term === e.term ? ' with other data' : ''}`,
    );
    check(seen.hash === hash, 'state-machine-safety', () => `${member} and ${seen.by} reached different states at index ${e.index}`);
    if (seen.key === undefined) seen.key = key;
  }

  /** `member` restored its state machine from a snapshot of (index, term) whose state hashes to `hash`. */
  observeRestored(member: MemberId, index: number, term: number, hash: number): void {
    if (index === 0) return;
    const seen = this.applied.get(index);
    if (seen === undefined) {
      this.applied.set(index, { term, key: undefined, hash, by: member });
      this.checkCommitted(index);
      return;
    }
    check(seen.term === term, 'state-machine-safety', () => `${member} restored a snapshot at ${index}/${term} but ${seen.by} applied ${index}/${seen.term}`);
    check(seen.hash === hash, 'state-machine-safety', () => `${member} restored a snapshot at ${index} whose state differs from ${seen.by}'s`);
  }

  /** Once an index's commit term and entry are both known, every later leader must have held it. */
  private checkCommitted(index: number): void {
    const ct = this.commitTerm.get(index);
    if (ct === undefined || !this.applied.has(index)) return;
    for (const e of this.elections) if (e.term > ct) this.checkElection(e, index);
  }

  private checkElection(e: Election, index: number): void {
    const committed = this.applied.get(index);
    if (committed === undefined || index < e.log.snapshotIndex) return;
    const held = e.log.term(index);
    check(
      held === committed.term,
      'leader-completeness',
      () =>
        `${e.member} became leader of term ${e.term} ${held === undefined ? 'without' : `with a term-${held} entry at`} index ${index}` +
        `, where entry ${index}/${committed.term} was committed by term ${this.commitTerm.get(index)}`,
    );
  }
}
