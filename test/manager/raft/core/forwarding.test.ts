// Proposal forwarding and proposal limits.
import test from 'ava';
import { asTerm } from '../../../../src/manager/raft/types.js';
import { Network, bytes, id, view } from './harness.js';

const [n1, n2, n3] = [id(1), id(2), id(3)];

test('a follower forwards a proposal to the leader, which commits it everywhere', (t) => {
  const net = new Network(3);
  net.elect(n1);
  t.deepEqual(net.node(n2).propose(bytes('from n2')), { kind: 'forwarded', to: n1 });
  net.stabilize();
  for (const m of net.members.values()) t.deepEqual(m.sm, ['from n2'], m.id);
  t.true(net.delivered.some((m) => m.type === 'propose' && m.from === n2 && m.to === n1));
});

test('proposals forwarded together are appended together', (t) => {
  const net = new Network(3);
  net.elect(n1);
  for (let i = 0; i < 5; i++) net.node(n3).propose(bytes(`p${i}`));
  net.stabilize();
  t.deepEqual(net.get(n1).sm, ['p0', 'p1', 'p2', 'p3', 'p4']);
});

test('without a leader a proposal is dropped with a reason to retry', (t) => {
  const net = new Network(3);
  const r = net.node(n1).propose(bytes('x'));
  t.like(r, { kind: 'dropped', reason: 'no-leader' });
  if (r.kind === 'dropped') t.regex(r.message, /retry/);
  net.node(n1).campaign();
  t.like(net.node(n1).propose(bytes('x')), { kind: 'dropped', reason: 'no-leader' }, 'a candidate has no leader either');
});

test('a forwarded proposal reaching a node without a leader is dropped', (t) => {
  const net = new Network(3);
  net.node(n3).step({ type: 'propose', from: n2, to: n3, term: asTerm(1), entries: [{ kind: 'normal', data: bytes('x') }] });
  net.stabilize();
  t.deepEqual(net.get(n3).sm, []);
  t.is(net.queue.length, 0);
});

test('the leader refuses proposals beyond maxUncommittedBytes until some commit', (t) => {
  const net = new Network(3, { config: { maxUncommittedBytes: 100 } });
  net.elect(n1);
  net.isolate(n1);
  t.is(net.node(n1).propose(new Uint8Array(60)).kind, 'appended');
  t.like(net.node(n1).propose(new Uint8Array(60)), { kind: 'dropped', reason: 'uncommitted-limit' });
  net.heal();
  net.tickAll(2);
  t.is(view(net.node(n1)).applied, view(net.node(n1)).commit);
  t.is(net.node(n1).propose(new Uint8Array(60)).kind, 'appended', 'accepted again once applied');
});

test('a proposal larger than the limit is still accepted when nothing is pending', (t) => {
  const net = new Network(1, { config: { maxUncommittedBytes: 10 } });
  net.elect(n1);
  t.is(net.node(n1).propose(new Uint8Array(50)).kind, 'appended');
});
