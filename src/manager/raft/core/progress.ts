// What the leader knows about one follower, and how it sends to it (flow
// control, after etcd-io/raft's tracker/progress.go):
//
// - probe: the follower's log position is unknown. One append at a time, then
//   paused until it answers (or a heartbeat answer arrives).
// - replicate: the follower is known to match up to `match`. Appends are sent
//   optimistically (next advances when sending) up to the in-flight window.
// - snapshot: the entries it needs were compacted away; a snapshot is in
//   flight. Nothing else is sent until it is reported or acknowledged.
import type { LogIndex } from '../types.js';
import { asIndex } from '../types.js';
import { Inflights } from './inflights.js';
import { assertNever } from '../../../api/errors.js';

export type ProgressState =
  | { readonly kind: 'probe'; readonly paused: boolean }
  | { readonly kind: 'replicate' }
  | { readonly kind: 'snapshot'; readonly pendingIndex: LogIndex };

export type ProgressStateKind = ProgressState['kind'];

export class Progress {
  // Invariant: match < next.
  /** Highest index known to be replicated on the follower. */
  match: LogIndex;
  /** Next index to send. */
  next: LogIndex;
  state: ProgressState = { kind: 'probe', paused: false };
  readonly inflights: Inflights;
  /** Heard from since the last check-quorum round (any response counts). */
  recentActive: boolean;
  learner: boolean;
  /** The highest commit index sent to this follower in an append. */
  sentCommit: LogIndex = asIndex(0);

  constructor(opts: { next: LogIndex; match?: LogIndex; learner: boolean; recentActive: boolean; maxInflight: number; maxInflightBytes: number }) {
    this.next = opts.next;
    this.match = opts.match ?? asIndex(0);
    this.learner = opts.learner;
    this.recentActive = opts.recentActive;
    this.inflights = new Inflights(opts.maxInflight, opts.maxInflightBytes);
  }

  becomeProbe(): void {
    // After a snapshot the follower holds at least the snapshot's index.
    if (this.state.kind === 'snapshot') {
      this.next = asIndex(Math.max(this.match + 1, this.state.pendingIndex + 1));
    } else {
      this.next = asIndex(this.match + 1);
    }
    this.state = { kind: 'probe', paused: false };
    this.inflights.reset();
  }

  becomeReplicate(): void {
    this.next = asIndex(this.match + 1);
    this.state = { kind: 'replicate' };
    this.inflights.reset();
  }

  becomeSnapshot(snapshotIndex: LogIndex): void {
    this.state = { kind: 'snapshot', pendingIndex: snapshotIndex };
    this.inflights.reset();
  }

  /** Pause a probe until the follower answers (used after sending, and after a snapshot report). */
  pauseProbe(): void {
    if (this.state.kind === 'probe') this.state = { kind: 'probe', paused: true };
  }

  /** Allow the next probe (a heartbeat answer proves the follower is there). */
  resumeProbe(): void {
    if (this.state.kind === 'probe') this.state = { kind: 'probe', paused: false };
  }

  /** The follower acknowledged up to `n`. Returns whether match grew. */
  maybeUpdate(n: LogIndex): boolean {
    let updated = false;
    if (this.match < n) {
      this.match = n;
      updated = true;
      this.resumeProbe();
    }
    if (this.next < n + 1) this.next = asIndex(n + 1);
    return updated;
  }

  /** Records an append carrying entries up to `lastIndex` (or none). */
  sentAppend(entryCount: number, lastIndex: LogIndex, bytes: number): void {
    switch (this.state.kind) {
      case 'replicate':
        if (entryCount > 0) {
          this.next = asIndex(lastIndex + 1);
          this.inflights.add(lastIndex, bytes);
        }
        return;
      case 'probe':
        this.state = { kind: 'probe', paused: true };
        return;
      case 'snapshot':
        return;
      default:
        assertNever(this.state, 'progress state');
    }
  }

  /**
   * The follower refused an append at prevIndex `rejected`; `matchHint` is the
   * leader's guess at the last index they might share. Returns false when
   * the refusal is stale (an answer to an older append).
   */
  maybeDecrTo(rejected: LogIndex, matchHint: LogIndex): boolean {
    if (this.state.kind === 'replicate') {
      if (rejected <= this.match) return false;
      this.next = asIndex(this.match + 1);
      return true;
    }
    if (this.next - 1 !== rejected) return false;
    this.next = asIndex(Math.max(Math.min(rejected, matchHint + 1), this.match + 1));
    this.resumeProbe();
    return true;
  }

  isPaused(): boolean {
    switch (this.state.kind) {
      case 'probe':
        return this.state.paused;
      case 'replicate':
        return this.inflights.full();
      case 'snapshot':
        return true;
      default:
        return assertNever(this.state, 'progress state');
    }
  }
}
