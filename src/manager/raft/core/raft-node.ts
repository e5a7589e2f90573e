// The public face of the Raft core (after etcd-io/raft's rawnode.go): a
// synchronous Tick/Step/Ready/Advance API. No timers, IO, clock or global
// randomness inside; one driver owns the loop.
//
// Driver contract, for each Ready (see ready.ts):
//   rd = node.ready()                      // only when node.hasReady()
//   await storage.save({ snapshot: rd.snapshot, entries: rd.entries, hardState: rd.hardState })  // fsync
//   transport.send(rd.messages)            // never before the save is durable
//   restore rd.snapshot, apply rd.committedEntries in order
//     (config entries: node.applyConfChange(decodeConfChange(e.data)))
//   serve rd.readStates once applied >= their index
//   node.advance(rd)
// tick/step/propose/... may be called at any time, also while a Ready is
// being handled; what they produce waits for the next Ready.
import type { ConfState, Entry, HardState, MemberId, PersistedState, Snapshot } from '../types.js';
import { asIndex, asTerm } from '../types.js';
import type { RaftConfig } from './config.js';
import type { Message } from './messages.js';
import type { Ready, SoftState } from './ready.js';
import type { ProposeResult, ReadIndexResult, TransferResult } from './results.js';
import type { FollowerProgress, Status } from './status.js';
import type { ConfChange } from './conf-change.js';
import { validateConfig } from './config.js';
import { encodeConfChange } from './conf-change.js';
import { Raft } from './raft.js';
import { dropped } from './results.js';
import { appendProposals, leaderReadIndex, selfAck, syncLeaderMembership, transferLeadership } from './leader.js';
import { flushReplication } from './replication.js';
import { ShoalError, invariant } from '../../../api/errors.js';

const EMPTY_CONF: ConfState = { voters: [], learners: [] };

function isEmptyState(p: PersistedState): boolean {
  return p.snapshot === null && p.entries.length === 0 && p.hardState.term === 0 && p.hardState.vote === null;
}

export class RaftNode {
  private readonly r: Raft;
  private prevSoft: SoftState;
  private prevHard: HardState;
  /** The Ready handed out and not yet advanced (at most one). */
  private outstanding: Ready | null = null;

  /**
   * `persisted` is what storage loaded (empty on first start). The
   * configuration is the snapshot's; committed config entries after it come
   * back in the first Ready's committedEntries and are re-applied by the
   * driver, like every other entry after the snapshot.
   *
   * `bootstrapConf` founds a new cluster: only with empty state (throws
   * otherwise). It becomes one committed config entry per member at term 1,
   * stored and applied through the first Ready like any other.
   */
  constructor(config: RaftConfig, persisted: PersistedState, bootstrapConf?: ConfState) {
    validateConfig(config);
    if (bootstrapConf === undefined) {
      this.r = new Raft(config, persisted, persisted.snapshot?.meta.conf ?? EMPTY_CONF);
    } else {
      if (!isEmptyState(persisted)) {
        throw new ShoalError('FailedPrecondition', `cannot bootstrap raft member ${config.id}: it already has state; start it without a bootstrap configuration`);
      }
      if (bootstrapConf.voters.length === 0) {
        throw new ShoalError('InvalidArgument', 'cannot bootstrap a raft cluster without voters', 'voters');
      }
      this.r = new Raft(config, persisted, bootstrapConf);
      const changes: ConfChange[] = [
        ...bootstrapConf.voters.map((id): ConfChange => ({ type: 'add-voter', id })),
        ...bootstrapConf.learners.map((id): ConfChange => ({ type: 'add-learner', id })),
      ];
      const entries: Entry[] = changes.map((cc, i) => ({ term: asTerm(1), index: asIndex(i + 1), kind: 'config', data: encodeConfChange(cc) }));
      this.r.becomeFollower(asTerm(1), null);
      this.r.log.append(entries);
      this.r.log.commitTo(asIndex(entries.length));
    }
    this.prevSoft = { role: this.r.roleKind, leader: this.r.leader };
    this.prevHard = persisted.hardState;
  }

  get id(): MemberId {
    return this.r.id;
  }

  /** Advance the logical clock by one tick (elections, heartbeats, check-quorum). */
  tick(): void {
    this.r.tick();
  }

  /** Handle a message from a peer. Messages addressed to another member are ignored. */
  step(m: Message): void {
    if (m.to !== this.r.id || m.from === this.r.id) return;
    this.r.step(m);
  }

  /** Start an election now (pre-vote first if configured). No effect on a leader or a non-voter. */
  campaign(): void {
    this.r.hup(false);
  }

  /** Propose a command for the state machine. */
  propose(data: Uint8Array): ProposeResult {
    return this.proposeEntry({ kind: 'normal', data });
  }

  /** Propose a single-step membership change; refused while another is unapplied. */
  proposeConfChange(cc: ConfChange): ProposeResult {
    return this.proposeEntry({ kind: 'config', data: encodeConfChange(cc) });
  }

  private proposeEntry(entry: { kind: 'normal' | 'config'; data: Uint8Array }): ProposeResult {
    const r = this.r;
    const role = r.role;
    if (role.kind === 'leader') return appendProposals(r, role, [entry]);
    if (r.leader === null || role.kind !== 'follower') return dropped('no-leader', `${r.id} knows no leader (election under way); retry shortly`);
    r.send(r.leader, { type: 'propose', entries: [entry] });
    return { kind: 'forwarded', to: r.leader };
  }

  /**
   * Apply a committed membership change (the driver calls this when it
   * applies a `config` entry). Returns the configuration now in effect, to
   * be stored with the next snapshot. A leader that is no longer a voter
   * steps down.
   */
  applyConfChange(cc: ConfChange): ConfState {
    const r = this.r;
    r.members.apply(cc);
    const role = r.role;
    if (role.kind === 'leader') {
      syncLeaderMembership(r, role);
      if (!r.members.isVoter(r.id)) {
        // Tell the others the commit index before stepping down.
        flushReplication(r, role);
        r.becomeFollower(r.term, null);
      }
    }
    return r.members.confState();
  }

  /**
   * Linearizable read: the ReadState for `context` (unique per request)
   * appears in a later Ready; serve the read once applied >= its index.
   */
  readIndex(context: Uint8Array): ReadIndexResult {
    const r = this.r;
    const role = r.role;
    if (role.kind === 'leader') {
      leaderReadIndex(r, role, context, r.id);
      return { kind: 'pending' };
    }
    if (r.leader === null || role.kind !== 'follower') return dropped('no-leader', `${r.id} knows no leader (election under way); retry shortly`);
    r.send(r.leader, { type: 'read-index', context });
    return { kind: 'forwarded', to: r.leader };
  }

  /** Hand leadership to `to`: proposals are refused until it takes over or an election timeout passes. */
  transferLeadership(to: MemberId): TransferResult {
    const role = this.r.role;
    if (role.kind !== 'leader') {
      const leader = this.r.leader;
      return { kind: 'refused', reason: 'not-leader', message: `${this.r.id} is not the leader${leader === null ? '' : `; ask ${leader}`}` };
    }
    return transferLeadership(this.r, role, to);
  }

  /** The transport could not reach `id`: stop optimistic sending to it and probe. */
  reportUnreachable(id: MemberId): void {
    const role = this.r.role;
    if (role.kind !== 'leader') return;
    const pr = role.progress.get(id);
    if (pr?.state.kind === 'replicate') pr.becomeProbe();
  }

  /**
   * The transport finished sending a snapshot to `id` (ok) or gave up. Either
   * way the follower goes back to probing; after a failure the next attempt
   * waits for a heartbeat answer.
   */
  reportSnapshot(id: MemberId, ok: boolean): void {
    const role = this.r.role;
    if (role.kind !== 'leader') return;
    const pr = role.progress.get(id);
    if (pr === undefined || pr.state.kind !== 'snapshot') return;
    if (!ok) pr.becomeSnapshot(pr.match);
    pr.becomeProbe();
    pr.pauseProbe();
  }

  /**
   * The driver took `snapshot` at an applied index (and stored it): keep it
   * to send to laggards and drop the log up to it. Returns false if it is not
   * newer than the current one.
   */
  compact(snapshot: Snapshot): boolean {
    return this.r.log.compact(snapshot);
  }

  status(): Status {
    const r = this.r;
    const log = r.log;
    const role = r.role;
    const progress: FollowerProgress[] = [];
    if (role.kind === 'leader') {
      for (const [id, pr] of [...role.progress].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        if (id === r.id) continue;
        progress.push({
          id,
          learner: pr.learner,
          match: pr.match,
          next: pr.next,
          state: pr.state.kind,
          recentActive: pr.recentActive,
          inflight: pr.inflights.size,
          lag: log.lastIndex() - pr.match,
        });
      }
    }
    return {
      id: r.id,
      role: role.kind,
      term: r.term,
      vote: r.vote,
      leader: r.leader,
      commit: log.committed,
      applied: log.applied,
      lastIndex: log.lastIndex(),
      snapshotIndex: log.snapshotIndex(),
      conf: r.members.confState(),
      transferee: role.kind === 'leader' ? role.transferee : null,
      progress,
    };
  }

  // --- Ready / Advance ---

  /** Whether ready() has anything to hand out. False while a Ready is outstanding. */
  hasReady(): boolean {
    if (this.outstanding !== null) return false;
    const r = this.r;
    const log = r.log;
    if (r.role.kind === 'leader' && r.role.replicationDue) return true;
    if (r.msgs.length > 0 || r.readStates.length > 0) return true;
    if (log.hasUnhandedEntries() || log.hasPendingSnapshot() || log.committed > log.applied) return true;
    if (r.roleKind !== this.prevSoft.role || r.leader !== this.prevSoft.leader) return true;
    return !sameHardState(r.hardState(), this.prevHard);
  }

  /** The next batch of work. Throws if the previous Ready was not advanced. */
  ready(): Ready {
    invariant(this.outstanding === null, 'ready() called again before advance() of the previous Ready');
    const r = this.r;
    const log = r.log;
    const role = r.role;
    if (role.kind === 'leader') flushReplication(r, role);

    const soft: SoftState = { role: r.roleKind, leader: r.leader };
    const hard = r.hardState();
    const snapshot = log.takePendingSnapshot();
    const entries = log.takeUnhandedEntries();
    const committedEntries = log.committedAfter(log.applied);
    const messages = r.msgs;
    const readStates = r.readStates;
    r.msgs = [];
    r.readStates = [];

    const rd: {
      -readonly [K in keyof Ready]: Ready[K];
    } = { entries, committedEntries, messages, readStates };
    if (soft.role !== this.prevSoft.role || soft.leader !== this.prevSoft.leader) {
      rd.softState = soft;
      this.prevSoft = soft;
    }
    if (!sameHardState(hard, this.prevHard)) {
      rd.hardState = hard;
      this.prevHard = hard;
    }
    if (snapshot !== null) rd.snapshot = snapshot;
    this.outstanding = rd;
    return rd;
  }

  /**
   * The driver persisted, sent and applied `rd`. Its entries now count as
   * durable (a leader's own acknowledgement), its committed entries as
   * applied, and a candidate's vote for itself as cast.
   */
  advance(rd: Ready): void {
    invariant(rd === this.outstanding, 'advance() must be given the Ready last returned by ready()');
    this.outstanding = null;
    const r = this.r;
    const log = r.log;
    if (rd.snapshot !== undefined) {
      log.snapshotPersisted(rd.snapshot);
      log.snapshotApplied(rd.snapshot);
    }
    log.entriesPersisted(rd.entries);
    const applied = rd.committedEntries.at(-1);
    if (applied !== undefined) log.appliedTo(applied.index);
    if (rd.hardState !== undefined) r.onHardStateDurable(rd.hardState);
    const role = r.role;
    if (role.kind === 'leader') {
      const bytes = rd.committedEntries.reduce((n, e) => n + e.data.byteLength, 0);
      role.uncommittedBytes = Math.max(0, role.uncommittedBytes - bytes);
      selfAck(r, role);
    }
  }

  /** Throws if a core invariant is broken (applied <= committed <= lastIndex, ...). Cheap; for tests and simulators. */
  checkInvariants(): void {
    this.r.log.checkInvariants();
  }
}

function sameHardState(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}
