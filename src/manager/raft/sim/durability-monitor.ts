// What a member promised in a message must survive its crash (the driver
// contract's "persist before send", and the core's duty to put in a Ready's
// hard state and entries everything its messages promise):
// - a member that sent a message in term T restarts with a term >= T;
// - one that granted its vote to X in term T and restarts in term T has X
//   as its vote (else it could vote twice in a term);
// - one that acknowledged entries up to i to the leader of term T and
//   restarts in term T still holds them (within a term a log never loses
//   what it acknowledged).
// Pre-votes are exempt: they carry a future term and promise nothing.
import type { HardState, MemberId } from '../types.js';
import type { Message } from '../core/index.js';
import { check } from './violation.js';

interface Promises {
  term: number;
  /** The latest vote granted, and in which term. */
  grant: { readonly term: number; readonly to: MemberId } | null;
  /** The highest index acknowledged in the latest term anything was acknowledged in. */
  ack: { readonly term: number; readonly index: number } | null;
}

export class DurabilityMonitor {
  private readonly promises = new Map<MemberId, Promises>();

  constructor(private readonly enabled: boolean) {}

  /** `fromLeader`: the sender leads (it may send before its own write is durable, and acknowledges nothing). */
  observeSent(m: Message, fromLeader: boolean): void {
    if (m.type === 'pre-vote' || m.type === 'pre-vote-response') return;
    let p = this.promises.get(m.from);
    if (p === undefined) {
      p = { term: 0, grant: null, ack: null };
      this.promises.set(m.from, p);
    }
    p.term = Math.max(p.term, m.term);
    if (m.type === 'vote-response' && !m.reject) p.grant = { term: m.term, to: m.to };
    if (m.type === 'append-response' && m.reject === null && !fromLeader) {
      if (p.ack === null || m.term > p.ack.term) p.ack = { term: m.term, index: m.index };
      else if (m.term === p.ack.term && m.index > p.ack.index) p.ack = { term: m.term, index: m.index };
    }
  }

  /** `member` restarted from a disk holding `hs` and a log up to `lastIndex`. */
  observeRestart(member: MemberId, hs: HardState, lastIndex: number): void {
    const p = this.promises.get(member);
    if (p === undefined || !this.enabled) return;
    check(hs.term >= p.term, 'durability', () => `${member} sent messages in term ${p.term} but restarted in term ${hs.term}`);
    const grant = p.grant;
    if (grant !== null && grant.term === hs.term) {
      check(hs.vote === grant.to, 'durability', () => `${member} granted its vote to ${grant.to} in term ${grant.term} but restarted with vote ${hs.vote ?? 'none'}`);
    }
    const ack = p.ack;
    if (ack !== null && ack.term === hs.term) {
      check(lastIndex >= ack.index, 'durability', () => `${member} acknowledged entries up to ${ack.index} in term ${ack.term} but restarted with its log ending at ${lastIndex}`);
    }
  }
}
