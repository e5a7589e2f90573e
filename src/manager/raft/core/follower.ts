// Message handling for followers and (pre-)candidates: accepting appends,
// heartbeats and snapshots from the leader, forwarding local requests to it.
import type { MemberId } from '../types.js';
import { asIndex } from '../types.js';
import type { AppendMessage, HeartbeatMessage, Message, SnapshotMessage } from './messages.js';
import type { Raft } from './raft.js';
import { Membership } from './membership.js';

export function stepFollower(r: Raft, m: Message): void {
  switch (m.type) {
    case 'append':
      heardFromLeader(r, m.from);
      handleAppend(r, m);
      return;
    case 'heartbeat':
      heardFromLeader(r, m.from);
      handleHeartbeat(r, m);
      return;
    case 'snapshot':
      heardFromLeader(r, m.from);
      handleSnapshot(r, m);
      return;
    case 'propose':
      // Forwarded on to the leader we know; dropped when there is none (the
      // proposer times out and retries).
      if (r.leader !== null && r.leader !== r.id) r.send(r.leader, { type: 'propose', entries: m.entries });
      return;
    case 'read-index':
      if (r.leader !== null && r.leader !== r.id) r.send(r.leader, { type: 'read-index', context: m.context });
      return;
    case 'read-index-response':
      r.readStates.push({ index: m.index, context: m.context });
      return;
    case 'timeout-now':
      // Leadership transfer: campaign at once, skipping pre-vote and leases.
      r.hup(true);
      return;
    default:
      // Responses meant for a leader or a candidate: stale, ignored.
      return;
  }
}

export function stepCandidate(r: Raft, m: Message): void {
  switch (m.type) {
    case 'append':
    case 'heartbeat':
    case 'snapshot':
      // §5.2: another server won this term; recognise it as leader.
      r.becomeFollower(m.term, m.from);
      stepFollower(r, m);
      return;
    case 'pre-vote-response':
      if (r.role.kind === 'pre-candidate') r.poll(m.from, !m.reject);
      return;
    case 'vote-response':
      if (r.role.kind === 'candidate') r.poll(m.from, !m.reject);
      return;
    default:
      // No leader to forward proposals or reads to; TimeoutNow is for followers.
      return;
  }
}

function heardFromLeader(r: Raft, leader: MemberId): void {
  r.electionElapsed = 0;
  r.leader = leader;
}

/** §5.3 AppendEntries receiver. The answer goes out only after the entries are persisted. */
function handleAppend(r: Raft, m: AppendMessage): void {
  const log = r.log;
  if (m.prevIndex < log.committed) {
    r.send(m.from, { type: 'append-response', index: log.committed, reject: null });
    return;
  }
  const lastNew = log.maybeAppend(m.prevIndex, m.prevTerm, m.commit, m.entries);
  if (lastNew !== null) {
    r.send(m.from, { type: 'append-response', index: lastNew, reject: null });
    return;
  }
  // Refuse, and tell the leader where our log might agree with its own: the
  // last index <= prevIndex with a term <= prevTerm. The leader then skips
  // every entry in between instead of probing one index per round trip.
  const hint = log.findConflictByTerm(Math.min(m.prevIndex, log.lastIndex()), m.prevTerm);
  r.send(m.from, { type: 'append-response', index: m.prevIndex, reject: { hintIndex: hint.index, hintTerm: hint.term } });
}

function handleHeartbeat(r: Raft, m: HeartbeatMessage): void {
  // The leader sends min(our match, its commit), so this never exceeds our log.
  r.log.commitTo(m.commit);
  r.send(m.from, { type: 'heartbeat-response', context: m.context });
}

/** §7 InstallSnapshot receiver. */
function handleSnapshot(r: Raft, m: SnapshotMessage): void {
  const s = m.snapshot;
  const log = r.log;
  if (s.meta.index <= log.committed) {
    // Stale: we already have (and committed) everything it covers.
    r.send(m.from, { type: 'append-response', index: log.committed, reject: null });
    return;
  }
  if (log.matchTerm(s.meta.index, s.meta.term)) {
    // We hold its last entry, so by Log Matching everything before it: just commit.
    log.commitTo(s.meta.index);
    r.send(m.from, { type: 'append-response', index: log.committed, reject: null });
    return;
  }
  log.restore(s);
  r.members = new Membership(s.meta.conf);
  r.send(m.from, { type: 'append-response', index: asIndex(log.lastIndex()), reject: null });
}
