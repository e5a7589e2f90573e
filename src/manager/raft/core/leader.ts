// Message handling and local requests on a leader: proposals, acknowledgements
// and commit (§5.3, §5.4.2), check-quorum, ReadIndex and leadership transfer.
import type { Entry, LogIndex, MemberId } from '../types.js';
import { asIndex } from '../types.js';
import type { AppendResponseMessage, HeartbeatResponseMessage, Message, ProposedEntry } from './messages.js';
import type { LeaderRole } from './roles.js';
import type { Raft } from './raft.js';
import type { ProposeResult, TransferResult } from './results.js';
import type { ReadRequest } from './read-only.js';
import { dropped } from './results.js';
import { Progress } from './progress.js';
import { ReadOnly } from './read-only.js';
import { committedIndex, hasQuorum } from './quorum.js';
import { decodeConfChange } from './conf-change.js';
import { bcastHeartbeat, sendReplicateProbe } from './replication.js';

export function newProgress(r: Raft, id: MemberId, recentActive: boolean): Progress {
  return new Progress({
    next: asIndex(r.log.lastIndex() + 1),
    learner: r.members.isLearner(id),
    recentActive,
    maxInflight: r.cfg.maxInflightMsgs,
    maxInflightBytes: r.cfg.maxInflightBytes ?? 0,
  });
}

/** The leader state for a fresh term; appends the term's empty entry (§5.4.2, §8). */
export function newLeaderRole(r: Raft): LeaderRole {
  const progress = new Map<MemberId, Progress>();
  for (const id of r.members.members()) progress.set(id, newProgress(r, id, id === r.id));
  const self = progress.get(r.id);
  if (self !== undefined) {
    self.maybeUpdate(r.log.persisted);
    self.becomeReplicate();
  }
  const noop: Entry = { term: r.term, index: asIndex(r.log.lastIndex() + 1), kind: 'normal', data: new Uint8Array(0) };
  r.log.append([noop]);
  return {
    kind: 'leader',
    progress,
    readOnly: new ReadOnly(),
    postponedReads: [],
    transferee: null,
    // Unapplied config entries of earlier terms may sit before the no-op; and
    // a change must wait until an entry of this term commits (thesis §4.1 fix).
    pendingConfIndex: noop.index,
    uncommittedBytes: 0,
    heartbeatElapsed: 0,
    replicationDue: true,
  };
}

export function tickLeader(r: Raft, role: LeaderRole): void {
  role.heartbeatElapsed++;
  r.electionElapsed++;
  if (r.electionElapsed >= r.cfg.electionTicks) {
    r.electionElapsed = 0;
    if (r.cfg.checkQuorum && !checkQuorumActive(r, role)) {
      r.becomeFollower(r.term, null);
      return;
    }
    // A transfer that did not finish within an election timeout is abandoned.
    role.transferee = null;
  }
  if (role.heartbeatElapsed >= r.cfg.heartbeatTicks) {
    role.heartbeatElapsed = 0;
    bcastHeartbeat(r, role, role.readOnly.lastPendingContext());
  }
}

/** Whether a quorum answered within the last election timeout; starts a new round. */
function checkQuorumActive(r: Raft, role: LeaderRole): boolean {
  const active = hasQuorum(r.members.voters, (id) => id === r.id || role.progress.get(id)?.recentActive === true);
  for (const [id, pr] of role.progress) if (id !== r.id) pr.recentActive = false;
  return active;
}

export function stepLeader(r: Raft, role: LeaderRole, m: Message): void {
  switch (m.type) {
    case 'propose':
      appendProposals(r, role, m.entries);
      return;
    case 'read-index':
      leaderReadIndex(r, role, m.context, m.from);
      return;
    case 'append-response':
      handleAppendResponse(r, role, m);
      return;
    case 'heartbeat-response':
      handleHeartbeatResponse(r, role, m);
      return;
    default:
      return;
  }
}

/** Appends proposals (local or forwarded) to the log, or says why not. */
export function appendProposals(r: Raft, role: LeaderRole, proposed: readonly ProposedEntry[]): ProposeResult {
  if (!role.progress.has(r.id)) return dropped('not-a-member', `${r.id} was removed from the cluster and cannot lead it`);
  if (role.transferee !== null) {
    return dropped('transferring-leadership', `leadership is moving from ${r.id} to ${role.transferee}; retry on the new leader`);
  }
  const bytes = proposed.reduce((n, e) => n + e.data.byteLength, 0);
  const max = r.cfg.maxUncommittedBytes ?? 0;
  if (max > 0 && role.uncommittedBytes > 0 && role.uncommittedBytes + bytes > max) {
    return dropped('uncommitted-limit', `${role.uncommittedBytes} bytes are waiting to commit (limit ${max}); retry shortly`);
  }
  const configs = proposed.filter((e) => e.kind === 'config');
  if (configs.length > 1) return dropped('invalid-conf-change', 'only one membership change may be proposed at a time');
  const cfgEntry = configs[0];
  if (cfgEntry !== undefined) {
    if (role.pendingConfIndex > r.log.applied) {
      return dropped('conf-change-pending', `a membership change (entry ${role.pendingConfIndex}) is not applied yet; retry once it is`);
    }
    let refusal: string | null;
    try {
      refusal = r.members.refusal(decodeConfChange(cfgEntry.data));
    } catch (err) {
      refusal = err instanceof Error ? err.message : String(err);
    }
    if (refusal !== null) return dropped('invalid-conf-change', refusal);
  }
  const first = r.log.lastIndex() + 1;
  const entries: Entry[] = proposed.map((e, i) => ({ term: r.term, index: asIndex(first + i), kind: e.kind, data: e.data }));
  r.log.append(entries);
  for (const e of entries) if (e.kind === 'config') role.pendingConfIndex = e.index;
  role.uncommittedBytes += bytes;
  role.replicationDue = true;
  return { kind: 'appended', index: r.log.lastIndex(), term: r.term };
}

/** §5.3, §5.4.2: commit the highest index a quorum holds, if it is from this term. */
export function maybeCommit(r: Raft, role: LeaderRole): boolean {
  const idx = committedIndex(r.members.voters, (id) => role.progress.get(id)?.match ?? 0);
  if (!r.log.maybeCommit(idx, r.term)) return false;
  role.replicationDue = true;
  // The first commit of this term makes our commit index current: serve the
  // reads that waited for it.
  const reads = role.postponedReads;
  role.postponedReads = [];
  for (const read of reads) leaderReadIndex(r, role, read.context, read.from);
  return true;
}

/** Our own entries count toward commit only once durable (RaftNode.advance calls this). */
export function selfAck(r: Raft, role: LeaderRole): void {
  const self = role.progress.get(r.id);
  if (self !== undefined && self.maybeUpdate(r.log.persisted)) maybeCommit(r, role);
}

function handleAppendResponse(r: Raft, role: LeaderRole, m: AppendResponseMessage): void {
  const pr = role.progress.get(m.from);
  if (pr === undefined) return;
  pr.recentActive = true;
  if (m.reject !== null) {
    let probe: LogIndex = m.reject.hintIndex;
    // Skip our entries of terms the follower does not have.
    if (m.reject.hintTerm > 0) probe = r.log.findConflictByTerm(m.reject.hintIndex, m.reject.hintTerm).index;
    if (pr.maybeDecrTo(m.index, probe)) {
      if (pr.state.kind === 'replicate') pr.becomeProbe();
      role.replicationDue = true;
    }
    return;
  }
  // An answer to a probe that only confirms what we knew still proves the
  // follower's position: switch to replicate.
  const confirmsProbe = pr.match === m.index && pr.state.kind === 'probe';
  if (!pr.maybeUpdate(m.index) && !confirmsProbe) return;
  switch (pr.state.kind) {
    case 'probe':
      pr.becomeReplicate();
      break;
    case 'snapshot':
      // Caught up from the snapshot if the log still holds what follows it.
      if (pr.match + 1 >= r.log.firstIndex()) {
        pr.becomeProbe();
        pr.becomeReplicate();
      }
      break;
    case 'replicate':
      pr.inflights.freeLE(m.index);
      break;
  }
  maybeCommit(r, role);
  role.replicationDue = true;
  if (m.from === role.transferee && pr.match === r.log.lastIndex()) {
    r.send(m.from, { type: 'timeout-now' });
  }
}

function handleHeartbeatResponse(r: Raft, role: LeaderRole, m: HeartbeatResponseMessage): void {
  const pr = role.progress.get(m.from);
  if (pr === undefined) return;
  pr.recentActive = true;
  pr.resumeProbe();
  if (pr.match < r.log.lastIndex()) {
    if (pr.state.kind === 'replicate') sendReplicateProbe(r, m.from, pr);
    role.replicationDue = true;
  } else if (pr.sentCommit < r.log.committed) {
    role.replicationDue = true;
  }
  if (m.context === null) return;
  const acks = role.readOnly.recvAck(m.from, m.context);
  if (acks === null) return;
  if (!hasQuorum(r.members.voters, (id) => id === r.id || acks.has(id))) return;
  for (const read of role.readOnly.advance(m.context)) respondRead(r, read);
}

/** ReadIndex on the leader: record the commit index, then confirm leadership with a heartbeat round. */
export function leaderReadIndex(r: Raft, role: LeaderRole, context: Uint8Array, from: MemberId): void {
  if (r.log.term(r.log.committed) !== r.term) {
    // Until an entry of this term commits, our commit index may lag the
    // previous leader's (thesis §6.4 step 1).
    role.postponedReads.push({ context, from });
    return;
  }
  const request: ReadRequest = { index: r.log.committed, context, from };
  if (r.members.voters.size === 1 && r.members.isVoter(r.id)) {
    respondRead(r, request);
    return;
  }
  if (role.readOnly.add(request)) bcastHeartbeat(r, role, context);
}

function respondRead(r: Raft, read: ReadRequest): void {
  if (read.from === r.id) r.readStates.push({ index: read.index, context: read.context });
  else r.send(read.from, { type: 'read-index-response', index: read.index, context: read.context });
}

/** Thesis §3.10: catch `to` up, then tell it to campaign at once. */
export function transferLeadership(r: Raft, role: LeaderRole, to: MemberId): TransferResult {
  if (to === r.id) return { kind: 'already-leader' };
  const pr = role.progress.get(to);
  if (pr === undefined || !r.members.isVoter(to)) {
    return { kind: 'refused', reason: 'not-a-voter', message: `${to} is not a voter; only a voter can lead` };
  }
  if (role.transferee === to) return { kind: 'started', to };
  role.transferee = to;
  // The transfer must finish within one election timeout or is abandoned.
  r.electionElapsed = 0;
  if (pr.match === r.log.lastIndex()) {
    r.send(to, { type: 'timeout-now' });
  } else {
    // Catch it up; in replicate state the appends it lacks may be lost in
    // flight, so ask where it stands right away.
    sendReplicateProbe(r, to, pr);
    role.replicationDue = true;
  }
  return { kind: 'started', to };
}

/** After a membership change: track exactly the members, and step down if no longer a voter. */
export function syncLeaderMembership(r: Raft, role: LeaderRole): void {
  for (const id of r.members.members()) {
    const pr = role.progress.get(id);
    // A new member counts as active, or check-quorum could fire before it answers.
    if (pr === undefined) role.progress.set(id, newProgress(r, id, true));
    else pr.learner = r.members.isLearner(id);
  }
  for (const id of [...role.progress.keys()]) if (!r.members.isMember(id)) role.progress.delete(id);
  if (role.transferee !== null && !r.members.isVoter(role.transferee)) role.transferee = null;
  role.replicationDue = true;
  maybeCommit(r, role);
}
