// Raft paper §5.4: safety (election restriction, committing entries from
// previous terms), and a randomized check of State Machine Safety.
import test from 'ava';
import fc from 'fast-check';
import { asIndex, asTerm } from '../../../../src/manager/raft/types.js';
import type { Message } from '../../../../src/manager/raft/core/index.js';
import { Network, Solo, entriesWithTerms, id, idsOf, persistedWith, view } from './harness.js';

const [n1, n2] = [id(1), id(2)];
const voters3 = idsOf(3);

test('§5.4.1 a vote request carries the index and term of the candidate\'s last entry', (t) => {
  const cases: [number[], number][] = [
    [[1], 2],
    [[1, 2], 3],
  ];
  for (const [terms, wterm] of cases) {
    const solo = new Solo(n1, persistedWith({ voters: voters3 }));
    const entries = entriesWithTerms(1, ...terms);
    solo.node.step({ type: 'append', from: n2, to: n1, term: asTerm(wterm - 1), prevIndex: asIndex(0), prevTerm: asTerm(0), entries, commit: asIndex(0) });
    solo.drainAll();
    let votes: Message[] = [];
    for (let i = 1; i < 20 && votes.length === 0; i++) {
      solo.node.tick();
      votes = solo.drainAll().filter((m) => m.type === 'vote');
    }
    t.deepEqual(
      votes.map((m) => (m.type === 'vote' ? [m.to, m.term, m.lastIndex, m.lastTerm] : [])),
      [id(2), id(3)].map((to) => [to, wterm, terms.length, terms.at(-1)]),
    );
  }
});

test('§5.4.1 a voter denies its vote when its own log is more up to date', (t) => {
  const cases: [number[], number, number, boolean][] = [
    // same last term
    [[1], 1, 1, false],
    [[1], 1, 2, false],
    [[1, 1], 1, 1, true],
    // candidate has the higher last term
    [[1], 2, 1, false],
    [[1], 2, 2, false],
    [[1, 1], 2, 1, false],
    // voter has the higher last term
    [[2], 1, 1, true],
    [[2], 1, 2, true],
    [[2, 2], 1, 1, true],
    [[1, 1], 1, 1, true],
  ];
  for (const [terms, lastTerm, lastIndex, reject] of cases) {
    const solo = new Solo(n1, persistedWith({ voters: [n1, n2], entries: entriesWithTerms(1, ...terms) }));
    solo.node.step({ type: 'vote', from: n2, to: n1, term: asTerm(3), lastIndex: asIndex(lastIndex), lastTerm: asTerm(lastTerm), transfer: false });
    const msgs = solo.drainAll();
    t.is(msgs.length, 1);
    t.is(msgs[0]?.type, 'vote-response');
    t.is(msgs[0]?.type === 'vote-response' && msgs[0].reject, reject, `log ${terms.join(',')} vs (${lastIndex}, ${lastTerm})`);
  }
});

test('§5.4.2 a leader commits only entries of its current term by counting replicas', (t) => {
  const cases: [number, number][] = [
    [1, 0],
    [2, 0],
    [3, 3],
  ];
  for (const [index, wcommit] of cases) {
    const solo = new Solo(n1, persistedWith({ voters: [n1, n2], entries: entriesWithTerms(1, 1, 2), term: 2 })).elect([n1, n2]);
    t.is(view(solo.node).term, 3);
    solo.drainAll();
    solo.node.propose(new Uint8Array(0));
    solo.drainAll();
    solo.node.step({ type: 'append-response', from: n2, to: n1, term: asTerm(3), index: asIndex(index), reject: null });
    t.is(view(solo.node).commit, wcommit, `n2 acknowledged ${index}`);
  }
});

test('§5.4.2 figure 8: an old-term entry on a majority is committed only with an entry of the current term', (t) => {
  const voters5 = idsOf(5);
  const [n3] = [id(3)];
  // n1 held entry 2 from term 2 and leads again in term 4 (its no-op is entry 3).
  const solo = new Solo(n1, persistedWith({ voters: voters5, entries: entriesWithTerms(1, 1, 2), term: 3 })).elect(voters5);
  t.is(view(solo.node).term, 4);
  solo.drainAll();
  for (const from of [n2, n3]) solo.node.step({ type: 'append-response', from, to: n1, term: asTerm(4), index: asIndex(2), reject: null });
  t.is(view(solo.node).commit, 0, 'entry 2 is on n1, n2, n3 (a majority) but is not committed by counting');
  for (const from of [n2, n3]) solo.node.step({ type: 'append-response', from, to: n1, term: asTerm(4), index: asIndex(3), reject: null });
  t.is(view(solo.node).commit, 3, 'committing the term-4 entry commits entry 2 with it');
});

test('§5.4.2 figure 8 on a cluster: an entry lost with its leader is overwritten, a committed one never is', (t) => {
  const net = new Network(5);
  const [n3, n4, n5] = [id(3), id(4), id(5)];
  // (a) n1 leads and gets an entry to n2 only.
  net.elect(n1);
  for (const other of [n3, n4, n5]) net.cut(n1, other);
  net.propose(n1, 'old leader entry');
  // (b) n1 crashes; n5 wins with n3, n4, but none of its appends arrive.
  net.heal();
  net.restart(n1);
  net.isolate(n1);
  net.cut(n5, n2);
  net.dropIf = (m) => m.from === n5 && m.type === 'append';
  net.elect(n5);
  t.true(net.leaders().includes(n5));
  net.node(n5).propose(new TextEncoder().encode('lost entry'));
  net.stabilize();
  // (c) n5 is cut off; n1 wins with n2, n3 and commits its old entry with a new one.
  net.dropIf = null;
  net.heal();
  net.isolate(n5);
  net.cut(n1, n4);
  // n3 voted for n5 in n5's term: n1 may need a second round to win.
  for (let i = 0; i < 3 && view(net.node(n1)).role !== 'leader'; i++) net.elect(n1);
  t.is(view(net.node(n1)).role, 'leader');
  t.deepEqual(net.get(n1).sm, ['old leader entry']);
  // Everyone converges; the lost entry is applied nowhere.
  net.heal();
  net.tickAll(40);
  for (const m of net.members.values()) t.deepEqual(m.sm, ['old leader entry'], m.id);
});

test('State Machine Safety holds under random partitions, drops, crashes, transfers, compactions and proposals', (t) => {
  let runsWithCommits = 0;
  fc.assert(
    fc.property(
      fc.array(
        fc.oneof(
          fc.record({ op: fc.constant('tick' as const), n: fc.integer({ min: 1, max: 15 }) }),
          fc.record({ op: fc.constant('propose' as const), who: fc.integer({ min: 1, max: 5 }) }),
          fc.record({ op: fc.constant('isolate' as const), who: fc.integer({ min: 1, max: 5 }) }),
          fc.record({ op: fc.constant('heal' as const) }),
          fc.record({ op: fc.constant('restart' as const), who: fc.integer({ min: 1, max: 5 }) }),
          fc.record({ op: fc.constant('lossy' as const), seed: fc.integer() }),
          fc.record({ op: fc.constant('transfer' as const), who: fc.integer({ min: 1, max: 5 }) }),
          fc.record({ op: fc.constant('compact' as const), who: fc.integer({ min: 1, max: 5 }) }),
        ),
        { maxLength: 30 },
      ),
      fc.boolean(),
      (ops, preVote) => {
        const net = new Network(5, { config: { preVote, checkQuorum: preVote } });
        net.elect(n1);
        let proposals = 0;
        for (const o of ops) {
          switch (o.op) {
            case 'tick':
              net.tickAll(o.n);
              break;
            case 'propose':
              net.node(id(o.who)).propose(new TextEncoder().encode(`p${proposals++}`));
              net.stabilize();
              break;
            case 'isolate':
              net.isolate(id(o.who));
              break;
            case 'heal':
              net.dropIf = null;
              net.heal();
              break;
            case 'restart':
              net.restart(id(o.who));
              break;
            case 'transfer':
              for (const l of net.leaders()) net.node(l).transferLeadership(id(o.who));
              net.stabilize();
              break;
            case 'compact':
              net.compact(id(o.who));
              break;
            case 'lossy': {
              let s = o.seed;
              net.dropIf = () => ((s = (s * 1103515245 + 12345) | 0) & 3) === 0;
              break;
            }
          }
        }
        // Heal, and the cluster converges on one log.
        net.dropIf = null;
        net.heal();
        net.tickAll(60);
        const leaders = net.leaders();
        if (leaders.length !== 1) return false;
        const leaderSm = net.get(leaders[0] ?? n1).sm;
        for (const m of net.members.values()) if (JSON.stringify(m.sm) !== JSON.stringify(leaderSm)) return false;
        if (leaderSm.length > 0) runsWithCommits++;
        return true;
      },
    ),
    { numRuns: 60, seed: 42 },
  );
  t.true(runsWithCommits >= 10, `${runsWithCommits} of 60 runs committed something`);
});
