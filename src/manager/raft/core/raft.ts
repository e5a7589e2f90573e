// The Raft state machine (after etcd-io/raft's raft.go): terms, roles,
// elections and the dispatch of incoming messages. Synchronous and pure: it
// only appends outgoing messages to `msgs`; RaftNode hands them out in Ready.
// Role-specific handling lives in follower.ts, leader.ts and replication.ts.
import type { ConfState, HardState, MemberId, PersistedState, Term } from '../types.js';
import { asTerm } from '../types.js';
import type { RaftConfig } from './config.js';
import type { Message, MessageBody } from './messages.js';
import type { ReadState } from './ready.js';
import type { Role, RoleKind } from './roles.js';
import { RaftLog } from './raft-log.js';
import { Membership } from './membership.js';
import { voteResult } from './quorum.js';
import { stepCandidate, stepFollower } from './follower.js';
import { newLeaderRole, stepLeader, tickLeader } from './leader.js';
import { assertNever } from '../../../api/errors.js';

export type CampaignKind = 'pre-election' | 'election' | 'transfer';

export class Raft {
  readonly id: MemberId;
  readonly cfg: RaftConfig;
  readonly log: RaftLog;
  members: Membership;
  term: Term;
  vote: MemberId | null;
  leader: MemberId | null = null;
  role: Role = { kind: 'follower' };
  /**
   * Ticks since the last valid leader contact (followers), since the
   * election started (candidates), or since the last check-quorum round
   * (leaders).
   */
  electionElapsed = 0;
  /** In [electionTicks, 2*electionTicks), drawn again at every role change (§5.2). */
  randomizedElectionTimeout = 0;
  /** Outgoing messages, sent by the driver only after the Ready carrying them is persisted. */
  msgs: Message[] = [];
  readStates: ReadState[] = [];

  constructor(cfg: RaftConfig, persisted: PersistedState, conf: ConfState) {
    this.id = cfg.id;
    this.cfg = cfg;
    this.log = new RaftLog(persisted);
    this.members = new Membership(conf);
    this.term = persisted.hardState.term;
    this.vote = persisted.hardState.vote;
    this.becomeFollower(this.term, null);
  }

  get roleKind(): RoleKind {
    return this.role.kind;
  }

  hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.log.committed };
  }

  send(to: MemberId, body: MessageBody, term: Term = this.term): void {
    this.msgs.push({ ...body, from: this.id, to, term } as Message);
  }

  /** A voter whose state is whole (no snapshot waiting to be applied) may campaign. */
  promotable(): boolean {
    return this.members.isVoter(this.id) && !this.log.hasUnappliedSnapshot();
  }

  // --- Role transitions (illegal ones throw) ---

  private reset(term: Term): void {
    if (term !== this.term) {
      this.term = term;
      this.vote = null;
    }
    this.leader = null;
    this.electionElapsed = 0;
    this.randomizedElectionTimeout = this.cfg.electionTicks + Math.floor(this.cfg.rng() * this.cfg.electionTicks);
  }

  becomeFollower(term: Term, leader: MemberId | null): void {
    this.reset(term);
    this.role = { kind: 'follower' };
    this.leader = leader;
  }

  becomePreCandidate(): void {
    if (this.role.kind === 'leader') throw new Error('invalid transition [leader -> pre-candidate]');
    // Neither term nor vote change: a pre-vote round disturbs nobody.
    this.reset(this.term);
    this.role = { kind: 'pre-candidate', votes: new Map() };
  }

  becomeCandidate(): void {
    if (this.role.kind === 'leader') throw new Error('invalid transition [leader -> candidate]');
    this.reset(asTerm(this.term + 1));
    this.vote = this.id;
    // The vote for ourselves counts only once durable (see onHardStateDurable).
    this.role = { kind: 'candidate', votes: new Map() };
  }

  becomeLeader(): void {
    if (this.role.kind !== 'candidate') throw new Error(`invalid transition [${this.role.kind} -> leader]`);
    this.reset(this.term);
    this.leader = this.id;
    this.role = newLeaderRole(this);
  }

  // --- Time ---

  tick(): void {
    const role = this.role;
    if (role.kind === 'leader') {
      tickLeader(this, role);
      return;
    }
    this.electionElapsed++;
    if (this.promotable() && this.electionElapsed >= this.randomizedElectionTimeout) {
      this.electionElapsed = 0;
      this.hup(false);
    }
  }

  // --- Elections ---

  /** Start an election now (a timeout, RaftNode.campaign, or TimeoutNow when `transfer`). */
  hup(transfer: boolean): void {
    if (this.role.kind === 'leader') return;
    if (!this.promotable()) return;
    // A committed membership change not yet applied could make us campaign
    // under a stale configuration.
    if (this.log.hasUnappliedConfig()) return;
    this.campaign(transfer ? 'transfer' : this.cfg.preVote ? 'pre-election' : 'election');
  }

  campaign(kind: CampaignKind): void {
    let voteTerm: Term;
    if (kind === 'pre-election') {
      this.becomePreCandidate();
      voteTerm = asTerm(this.term + 1);
      // Our own pre-vote changes no durable state, so it counts at once.
      if (this.poll(this.id, true) !== 'pending') return;
    } else {
      this.becomeCandidate();
      voteTerm = this.term;
    }
    const lastIndex = this.log.lastIndex();
    const lastTerm = this.log.lastTerm();
    for (const id of [...this.members.voters].sort()) {
      if (id === this.id) continue;
      if (kind === 'pre-election') {
        this.send(id, { type: 'pre-vote', lastIndex, lastTerm }, voteTerm);
      } else {
        this.send(id, { type: 'vote', lastIndex, lastTerm, transfer: kind === 'transfer' }, voteTerm);
      }
    }
  }

  /** Records a (pre-)vote and acts on the outcome. */
  poll(from: MemberId, granted: boolean): 'won' | 'lost' | 'pending' {
    const role = this.role;
    if (role.kind !== 'pre-candidate' && role.kind !== 'candidate') return 'pending';
    if (!role.votes.has(from)) role.votes.set(from, granted);
    const result = voteResult(this.members.voters, role.votes);
    if (result === 'won') {
      if (role.kind === 'pre-candidate') this.campaign('election');
      else this.becomeLeader();
    } else if (result === 'lost') {
      this.becomeFollower(this.term, null);
    }
    return result;
  }

  /** The driver made `hs` durable: a candidate's vote for itself now counts. */
  onHardStateDurable(hs: HardState): void {
    if (this.role.kind === 'candidate' && hs.term === this.term && hs.vote === this.id) {
      this.poll(this.id, true);
    }
  }

  // --- Messages ---

  step(m: Message): void {
    // Forwarded requests carry the sender's term for information only.
    if (m.type !== 'propose' && m.type !== 'read-index') {
      if (m.term > this.term) {
        if (m.type === 'vote' || m.type === 'pre-vote') {
          const force = m.type === 'vote' && m.transfer;
          const inLease = this.cfg.checkQuorum && this.leader !== null && this.electionElapsed < this.cfg.electionTicks;
          // Thesis §4.2.3: a node that heard from a live leader within the
          // minimum election timeout ignores requests to replace it.
          if (!force && inLease) return;
        }
        if (m.type === 'pre-vote') {
          // A pre-vote never changes our term.
        } else if (m.type === 'pre-vote-response' && !m.reject) {
          // A grant echoes the future term we asked for: we take it only on winning.
        } else if (m.type === 'append' || m.type === 'heartbeat' || m.type === 'snapshot') {
          this.becomeFollower(m.term, m.from);
        } else {
          this.becomeFollower(m.term, null);
        }
      } else if (m.term < this.term) {
        if ((this.cfg.checkQuorum || this.cfg.preVote) && (m.type === 'append' || m.type === 'heartbeat')) {
          // A stale leader (or one cut off while we moved on) learns our term
          // and steps down; without this it could stay isolated forever.
          // The answer carries our term, so if its sender leads that term now
          // it reads as an acknowledgement: claim only the committed prefix,
          // never a tail that may conflict with its log (found by the
          // simulator, seed 202657: the leader committed our stale tail).
          this.send(m.from, { type: 'append-response', index: this.log.committed, reject: null });
        } else if (m.type === 'pre-vote') {
          this.send(m.from, { type: 'pre-vote-response', reject: true });
        }
        return;
      }
    }

    if (m.type === 'vote' || m.type === 'pre-vote') {
      this.handleVoteRequest(m);
      return;
    }
    const role = this.role;
    switch (role.kind) {
      case 'leader':
        stepLeader(this, role, m);
        return;
      case 'candidate':
      case 'pre-candidate':
        stepCandidate(this, m);
        return;
      case 'follower':
        stepFollower(this, m);
        return;
      default:
        assertNever(role, 'role');
    }
  }

  /** §5.2, §5.4.1: at most one vote per term, and only for a log at least as up to date as ours. */
  private handleVoteRequest(m: Extract<Message, { type: 'vote' | 'pre-vote' }>): void {
    const canVote =
      this.vote === m.from ||
      (this.vote === null && this.leader === null) ||
      (m.type === 'pre-vote' && m.term > this.term);
    const responseType = m.type === 'vote' ? 'vote-response' : 'pre-vote-response';
    if (canVote && this.log.isUpToDate(m.lastIndex, m.lastTerm)) {
      // The response carries the request's term: for a pre-vote that is our
      // term + 1, which the candidate recognises as a grant for its round.
      this.send(m.from, { type: responseType, reject: false }, m.term);
      if (m.type === 'vote') {
        this.electionElapsed = 0;
        this.vote = m.from;
      }
    } else {
      this.send(m.from, { type: responseType, reject: true });
    }
  }
}
