// How a leader sends: appends paced by each follower's progress (flow
// control), snapshots to followers whose next entry was compacted away, and
// heartbeats. Appends are batched: proposals mark replication due, and the
// sends happen once per Ready (flushReplication), so many proposals between
// two Readys go out as one append per follower (split by maxSizePerMsg).
import type { MemberId } from '../types.js';
import { asIndex } from '../types.js';
import type { Progress } from './progress.js';
import type { LeaderRole } from './roles.js';
import type { Raft } from './raft.js';
import { invariant } from '../../../api/errors.js';

export function flushReplication(r: Raft, role: LeaderRole): void {
  if (!role.replicationDue) return;
  role.replicationDue = false;
  for (const [id, pr] of role.progress) {
    if (id === r.id) continue;
    sendAppends(r, id, pr);
  }
}

/** Fills the follower's window: one append in probe, up to maxInflightMsgs in replicate. */
function sendAppends(r: Raft, id: MemberId, pr: Progress): void {
  // Commit news travels in an otherwise empty append.
  let sendIfEmpty = pr.sentCommit < r.log.committed;
  while (maybeSendAppend(r, id, pr, sendIfEmpty)) {
    sendIfEmpty = false;
    if (pr.state.kind !== 'replicate' || pr.next > r.log.lastIndex()) return;
  }
}

/** Sends one append (or the snapshot) to `id` unless paused. Returns whether it sent. */
export function maybeSendAppend(r: Raft, id: MemberId, pr: Progress, sendIfEmpty: boolean): boolean {
  if (pr.isPaused()) return false;
  const prevIndex = asIndex(pr.next - 1);
  const prevTerm = r.log.term(prevIndex);
  const batch = prevTerm === undefined ? undefined : r.log.entriesFrom(pr.next, r.cfg.maxSizePerMsg);
  if (prevTerm === undefined || batch === undefined) return sendSnapshot(r, id, pr);
  if (batch.entries.length === 0 && !sendIfEmpty) return false;
  const last = batch.entries.at(-1)?.index ?? prevIndex;
  const commit = r.log.committed;
  r.send(id, { type: 'append', prevIndex, prevTerm, entries: batch.entries, commit });
  pr.sentAppend(batch.entries.length, last, batch.bytes);
  if (commit > pr.sentCommit) pr.sentCommit = commit;
  return true;
}

/**
 * After a heartbeat answer from a replicating follower that is behind: an
 * empty append at next-1, outside the window. If appends were lost, the
 * follower refuses it and we fall back to probing; otherwise it acknowledges
 * what it holds. Without this, lost appends would stall a full window forever.
 */
export function sendReplicateProbe(r: Raft, id: MemberId, pr: Progress): void {
  if (pr.state.kind !== 'replicate') return;
  const prevIndex = asIndex(pr.next - 1);
  const prevTerm = r.log.term(prevIndex);
  if (prevTerm === undefined) {
    // The entries in flight were compacted away meanwhile: no append can
    // recover them, and the full window would pause this follower forever.
    // Probe instead; the next flush sends the snapshot (found by the simulator, seed 2759).
    pr.becomeProbe();
    return;
  }
  r.send(id, { type: 'append', prevIndex, prevTerm, entries: [], commit: r.log.committed });
}

/** §7: the entries `id` needs are gone; send the latest snapshot instead. */
function sendSnapshot(r: Raft, id: MemberId, pr: Progress): boolean {
  // Only to a follower we know is there: a snapshot is big.
  if (!pr.recentActive) return false;
  const snapshot = r.log.snapshot;
  invariant(snapshot !== null, `entries before ${r.log.firstIndex()} were compacted but there is no snapshot`);
  pr.becomeSnapshot(snapshot.meta.index);
  r.send(id, { type: 'snapshot', snapshot });
  return true;
}

/**
 * Heartbeats to every follower. `context` is the newest pending ReadIndex
 * request: a quorum of answers echoing it confirms leadership for it and
 * for every read queued before it.
 */
export function bcastHeartbeat(r: Raft, role: LeaderRole, context: Uint8Array | null): void {
  for (const [id, pr] of role.progress) {
    if (id === r.id) continue;
    // Never tell a follower to commit beyond what it is known to hold.
    const commit = asIndex(Math.min(pr.match, r.log.committed));
    r.send(id, { type: 'heartbeat', commit, context });
  }
}
