// Leadership transfer (thesis §3.10): the leader stops taking proposals,
// catches the target up, and sends it TimeoutNow.
import test from 'ava';
import { Network, bytes, id, view } from './harness.js';

const [n1, n2, n3, n4] = [id(1), id(2), id(3), id(4)];

test('transfer to an up-to-date follower: it campaigns at once and wins', (t) => {
  const net = new Network(3);
  net.elect(n1);
  const term = view(net.node(n1)).term;
  t.deepEqual(net.node(n1).transferLeadership(n2), { kind: 'started', to: n2 });
  net.stabilize();
  t.deepEqual(net.leaders(), [n2]);
  t.is(view(net.node(n2)).term, term + 1);
  t.like(view(net.node(n1)), { role: 'follower', leader: n2 as string });
});

test('transfer to a lagging follower catches it up before TimeoutNow', (t) => {
  const net = new Network(3);
  net.elect(n1);
  net.cut(n1, n3);
  for (const p of ['a', 'b', 'c']) net.propose(n1, p);
  net.heal();
  const mark = net.delivered.length;
  t.is(net.node(n1).transferLeadership(n3).kind, 'started');
  net.stabilize();
  t.deepEqual(net.leaders(), [n3]);
  const toN3 = net.delivered.slice(mark).filter((m) => m.to === n3).map((m) => m.type);
  const timeoutAt = toN3.indexOf('timeout-now');
  t.true(timeoutAt > 0, 'TimeoutNow was sent');
  t.true(toN3.slice(0, timeoutAt).includes('append'), 'after the missing entries');
  net.propose(n3, 'd');
  for (const m of net.members.values()) t.deepEqual(m.sm, ['a', 'b', 'c', 'd'], m.id);
});

test('proposals are refused while a transfer is under way', (t) => {
  const net = new Network(3);
  net.elect(n1);
  net.isolate(n2);
  net.node(n1).transferLeadership(n2);
  const r = net.node(n1).propose(bytes('x'));
  t.like(r, { kind: 'dropped', reason: 'transferring-leadership' });
  t.is(net.node(n1).status().transferee, n2);
});

test('a transfer that does not finish within an election timeout is abandoned', (t) => {
  const net = new Network(3);
  net.elect(n1);
  net.isolate(n2);
  net.node(n1).transferLeadership(n2);
  for (let i = 0; i < 10; i++) net.tick(n1);
  net.stabilize();
  t.is(net.node(n1).status().transferee, null);
  t.is(view(net.node(n1)).role, 'leader');
  t.is(net.node(n1).propose(bytes('x')).kind, 'appended');
});

test('transfer to self, to a learner, or from a follower is refused with a reason', (t) => {
  const net = new Network(3, { learners: [n4] });
  net.elect(n1);
  t.deepEqual(net.node(n1).transferLeadership(n1), { kind: 'already-leader' });
  t.like(net.node(n1).transferLeadership(n4), { kind: 'refused', reason: 'not-a-voter' });
  t.like(net.node(n1).transferLeadership(id(9)), { kind: 'refused', reason: 'not-a-voter' });
  const r = net.node(n2).transferLeadership(n3);
  t.like(r, { kind: 'refused', reason: 'not-leader' });
  if (r.kind === 'refused') t.regex(r.message, /ask n1/);
});

test('transfer works with pre-vote and check-quorum (TimeoutNow bypasses both)', (t) => {
  const net = new Network(3, { config: { preVote: true, checkQuorum: true } });
  net.elect(n1);
  net.propose(n1, 'a');
  net.node(n1).transferLeadership(n3);
  net.stabilize();
  t.deepEqual(net.leaders(), [n3]);
  net.tickAll(30);
  t.deepEqual(net.leaders(), [n3], 'and the new leader holds');
});

test('a second transfer replaces the first', (t) => {
  const net = new Network(3);
  net.elect(n1);
  net.isolate(n2);
  net.node(n1).transferLeadership(n2);
  net.stabilize(); // TimeoutNow to n2 is lost
  net.heal();
  net.node(n1).transferLeadership(n3);
  t.is(net.node(n1).status().transferee, n3);
  net.stabilize();
  t.deepEqual(net.leaders(), [n3]);
});

test('removing the transfer target cancels the transfer', (t) => {
  const net = new Network(3);
  net.elect(n1);
  net.node(n1).proposeConfChange({ type: 'remove', id: n3 });
  net.flush(); // the change is appended and sent, not yet committed
  net.isolate(n3);
  net.node(n1).transferLeadership(n3);
  t.is(net.node(n1).status().transferee, n3);
  net.stabilize();
  t.is(net.node(n1).status().transferee, null);
  t.is(view(net.node(n1)).role, 'leader');
});
