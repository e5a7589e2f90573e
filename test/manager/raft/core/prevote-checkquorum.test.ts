// Pre-vote (thesis §9.6) and check-quorum with leader leases (thesis §6.2,
// §4.2.3): a partitioned node cannot disrupt a healthy cluster, and a leader
// cut off from its quorum steps down.
import test from 'ava';
import { asIndex, asTerm } from '../../../../src/manager/raft/types.js';
import { Network, Solo, entriesWithTerms, id, idsOf, persistedWith, view } from './harness.js';

const [n1, n2, n3] = [id(1), id(2), id(3)];
const voters3 = idsOf(3);

test('without pre-vote, a partitioned node rejoining with a higher term deposes the leader', (t) => {
  const net = new Network(3);
  net.elect(n1);
  const term = view(net.node(n1)).term;
  net.isolate(n3);
  net.tickAll(50);
  t.true(view(net.node(n3)).term > term + 1, 'n3 kept raising its term');
  const high = view(net.node(n3)).term;
  net.heal();
  net.tickAll(20);
  t.true(view(net.node(n1)).term >= high, 'the healthy leader was deposed: the cluster moved to n3\'s term');
});

test('pre-vote: a partitioned node does not raise its term, and rejoins without disruption', (t) => {
  const net = new Network(3, { config: { preVote: true } });
  net.elect(n1);
  const term = view(net.node(n1)).term;
  net.isolate(n3);
  net.tickAll(50);
  t.is(view(net.node(n3)).term, term);
  t.is(view(net.node(n3)).role, 'pre-candidate');
  net.heal();
  net.tickAll(3);
  t.deepEqual(net.leaders(), [n1]);
  t.is(view(net.node(n1)).term, term);
  t.is(view(net.node(n3)).leader, n1 as string);
});

test('pre-vote: the term is raised only after a quorum of pre-votes', (t) => {
  const solo = new Solo(n1, persistedWith({ voters: voters3, term: 1 }), { preVote: true });
  solo.node.campaign();
  const msgs = solo.drainAll();
  t.like(view(solo.node), { role: 'pre-candidate', term: 1, vote: null });
  t.deepEqual(msgs.map((m) => [m.type, m.to, m.term]), [['pre-vote', n2, 2], ['pre-vote', n3, 2]]);
  solo.node.step({ type: 'pre-vote-response', from: n2, to: n1, term: asTerm(2), reject: false });
  t.like(view(solo.node), { role: 'candidate', term: 2, vote: n1 as string });
  t.deepEqual(solo.drainAll().map((m) => [m.type, m.to, m.term]), [['vote', n2, 2], ['vote', n3, 2]]);
});

test('pre-vote: a quorum of refusals sends the pre-candidate back to follower', (t) => {
  const solo = new Solo(n1, persistedWith({ voters: voters3, term: 1 }), { preVote: true });
  solo.node.campaign();
  solo.drainAll();
  solo.node.step({ type: 'pre-vote-response', from: n2, to: n1, term: asTerm(1), reject: true });
  solo.node.step({ type: 'pre-vote-response', from: n3, to: n1, term: asTerm(1), reject: true });
  t.like(view(solo.node), { role: 'follower', term: 1 });
});

test('pre-vote: granting a pre-vote changes neither term nor vote; a stale log is refused', (t) => {
  const cases: [number, number, boolean][] = [
    [2, 2, false], // up to date
    [1, 1, true], // behind
  ];
  for (const [lastIndex, lastTerm, reject] of cases) {
    const solo = new Solo(n1, persistedWith({ voters: voters3, entries: entriesWithTerms(1, 1, 2), term: 2 }), { preVote: true });
    solo.node.step({ type: 'pre-vote', from: n2, to: n1, term: asTerm(3), lastIndex: asIndex(lastIndex), lastTerm: asTerm(lastTerm) });
    const msgs = solo.drainAll();
    t.deepEqual(msgs, [{ type: 'pre-vote-response', from: n1, to: n2, term: asTerm(reject ? 2 : 3), reject }]);
    t.like(view(solo.node), { term: 2, vote: null });
  }
});

test('pre-vote: a pre-vote from a stale term is refused with our term', (t) => {
  const solo = new Solo(n1, persistedWith({ voters: voters3, term: 5 }), { preVote: true });
  solo.node.step({ type: 'pre-vote', from: n2, to: n1, term: asTerm(3), lastIndex: asIndex(9), lastTerm: asTerm(3) });
  t.deepEqual(solo.drainAll(), [{ type: 'pre-vote-response', from: n1, to: n2, term: asTerm(5), reject: true }]);
});

test('check-quorum: a leader cut off from its quorum steps down within two election timeouts', (t) => {
  const net = new Network(3, { config: { checkQuorum: true } });
  net.elect(n1);
  net.isolate(n1);
  // The first round still counts the answers from before the partition.
  for (let i = 0; i < 10; i++) net.tick(n1);
  net.stabilize();
  t.is(view(net.node(n1)).role, 'leader');
  for (let i = 0; i < 10; i++) net.tick(n1);
  net.stabilize();
  t.is(view(net.node(n1)).role, 'follower', 'no answers during a whole round: stepped down');
  t.is(view(net.node(n1)).leader, null);
});

test('check-quorum: a leader that hears from its quorum stays leader', (t) => {
  const net = new Network(3, { config: { checkQuorum: true } });
  net.elect(n1);
  net.isolate(n3);
  net.tickAll(100);
  t.deepEqual(net.leaders(), [n1]);
});

test('check-quorum: a follower that heard from its leader within the lease ignores vote requests', (t) => {
  const solo = new Solo(n1, persistedWith({ voters: voters3 }), { checkQuorum: true }).followerOf(n2, 1);
  solo.node.step({ type: 'vote', from: n3, to: n1, term: asTerm(5), lastIndex: asIndex(9), lastTerm: asTerm(4), transfer: false });
  t.deepEqual(solo.drainAll(), []);
  t.like(view(solo.node), { term: 1, leader: n2 as string });
  for (let i = 0; i < 10; i++) solo.node.tick();
  solo.drainAll();
  solo.node.step({ type: 'vote', from: n3, to: n1, term: asTerm(5), lastIndex: asIndex(9), lastTerm: asTerm(4), transfer: false });
  t.like(solo.drainAll()[0], { type: 'vote-response', reject: false }, 'after the lease expired');
  t.like(view(solo.node), { term: 5, vote: n3 as string });
});

test('check-quorum: a leader transfer vote bypasses the lease', (t) => {
  const solo = new Solo(n1, persistedWith({ voters: voters3 }), { checkQuorum: true }).followerOf(n2, 1);
  solo.node.step({ type: 'vote', from: n3, to: n1, term: asTerm(2), lastIndex: asIndex(0), lastTerm: asTerm(0), transfer: true });
  t.like(solo.drainAll()[0], { type: 'vote-response', reject: false });
});

test('pre-vote and check-quorum: a partitioned node cannot disrupt a healthy cluster', (t) => {
  const net = new Network(5, { config: { preVote: true, checkQuorum: true } });
  net.elect(n1);
  const term = view(net.node(n1)).term;
  for (const p of ['a', 'b']) net.propose(n1, p);
  net.isolate(n3);
  net.propose(n1, 'c');
  net.tickAll(60);
  net.heal();
  net.tickAll(30);
  t.deepEqual(net.leaders(), [n1]);
  t.is(view(net.node(n1)).term, term, 'no new term anywhere');
  for (const m of net.members.values()) t.is(view(m.node).term, term, m.id);
  t.deepEqual(net.get(n3).sm, ['a', 'b', 'c'], 'and n3 caught up');
});

test('pre-vote and check-quorum: when the leader dies, the others still elect a new one', (t) => {
  const net = new Network(3, { config: { preVote: true, checkQuorum: true } });
  net.elect(n1);
  net.isolate(n1);
  net.tickAll(40);
  const leaders = net.leaders().filter((l) => l !== n1);
  t.is(leaders.length, 1);
  t.not(view(net.node(n1)).role, 'leader', 'the old leader stepped down (check-quorum)');
});
