// ReadIndex (thesis §6.4): linearizable reads without writing to the log.
import test from 'ava';
import { Network, bytes, id, text, view } from './harness.js';

const [n1, n2, n3] = [id(1), id(2), id(3)];
const ctx = (s: string): Uint8Array => bytes(s);
const states = (net: Network, me: typeof n1): [number, string][] => net.get(me).readStates.map((r) => [r.index, text(r.context)]);

test('the leader answers a read after one heartbeat round confirms its leadership', (t) => {
  const net = new Network(3);
  net.elect(n1);
  net.propose(n1, 'w');
  const commit = view(net.node(n1)).commit;
  t.deepEqual(net.node(n1).readIndex(ctx('r1')), { kind: 'pending' });
  net.flush();
  t.deepEqual(states(net, n1), [], 'not before the heartbeat round');
  const hb = net.queue.filter((m) => m.type === 'heartbeat');
  t.is(hb.length, 2);
  t.true(hb.every((m) => m.type === 'heartbeat' && m.context !== null && text(m.context) === 'r1'));
  net.stabilize();
  t.deepEqual(states(net, n1), [[commit, 'r1']]);
});

test('a follower forwards the read to the leader and gets the read state back', (t) => {
  const net = new Network(3);
  net.elect(n1);
  net.propose(n1, 'w');
  t.deepEqual(net.node(n2).readIndex(ctx('f1')), { kind: 'forwarded', to: n1 });
  net.stabilize();
  t.deepEqual(states(net, n2), [[view(net.node(n1)).commit, 'f1']]);
  t.deepEqual(states(net, n1), []);
});

test('a read index covers every write committed before the read', (t) => {
  const net = new Network(3);
  net.elect(n1);
  const w = net.node(n1).propose(bytes('w1'));
  net.stabilize();
  net.node(n3).readIndex(ctx('after-w1'));
  net.stabilize();
  const rs = net.get(n3).readStates[0];
  t.true(rs !== undefined && w.kind === 'appended' && rs.index >= w.index);
});

test('without a known leader a read is refused', (t) => {
  const net = new Network(3);
  t.like(net.node(n2).readIndex(ctx('x')), { kind: 'dropped', reason: 'no-leader' });
});

test('a single-member leader answers at once', (t) => {
  const net = new Network(1);
  net.elect(n1);
  net.node(n1).readIndex(ctx('solo'));
  net.flush();
  t.deepEqual(states(net, n1), [[view(net.node(n1)).commit, 'solo']]);
  t.is(net.queue.length, 0);
});

test('a new leader postpones reads until an entry of its term is committed', (t) => {
  const net = new Network(3);
  net.elect(n1);
  net.node(n2).campaign();
  net.flush();
  net.deliver();
  net.flush();
  net.deliver(); // n2 leads; its no-op is not committed yet
  t.is(view(net.node(n2)).role, 'leader');
  net.node(n2).readIndex(ctx('early'));
  net.flush();
  t.deepEqual(states(net, n2), []);
  t.false(net.queue.some((m) => m.type === 'heartbeat' && m.context !== null));
  net.stabilize();
  t.deepEqual(states(net, n2), [[view(net.node(n2)).commit, 'early']]);
});

test('a leader cut off from the quorum cannot confirm a read', (t) => {
  const net = new Network(3);
  net.elect(n1);
  net.isolate(n1);
  net.node(n1).readIndex(ctx('stale'));
  for (let i = 0; i < 5; i++) {
    net.tick(n1);
    net.stabilize();
  }
  t.deepEqual(states(net, n1), []);
});

test('reads queued before a confirmed one are released with it, in order', (t) => {
  const net = new Network(3);
  net.elect(n1);
  net.cut(n1, n2);
  net.cut(n1, n3);
  net.node(n1).readIndex(ctx('a'));
  net.node(n1).readIndex(ctx('b'));
  net.stabilize();
  t.deepEqual(states(net, n1), []);
  net.heal();
  net.node(n1).readIndex(ctx('c'));
  net.stabilize();
  t.deepEqual(states(net, n1).map(([, c]) => c), ['a', 'b', 'c']);
});

test('a lost heartbeat round is completed by the next heartbeat, which carries the newest context', (t) => {
  const net = new Network(3);
  net.elect(n1);
  net.dropIf = (m) => m.type === 'heartbeat';
  net.node(n1).readIndex(ctx('r'));
  net.stabilize();
  t.deepEqual(states(net, n1), []);
  net.dropIf = null;
  net.tickAll(1);
  t.deepEqual(states(net, n1).map(([, c]) => c), ['r']);
});
