// Raft paper §7: log compaction and InstallSnapshot.
import test from 'ava';
import { asIndex, asTerm } from '../../../../src/manager/raft/types.js';
import type { Snapshot } from '../../../../src/manager/raft/types.js';
import { Network, Solo, bytes, entriesWithTerms, id, idsOf, persistedWith, text, view } from './harness.js';

const [n1, n2, n3, n4] = [id(1), id(2), id(3), id(4)];
const voters3 = idsOf(3);

function snapshotAt(index: number, term: number, sm: string[] = ['s']): Snapshot {
  return { meta: { index: asIndex(index), term: asTerm(term), conf: { voters: voters3, learners: [] } }, data: bytes(JSON.stringify(sm)) };
}

test('§7 compaction keeps the snapshot and drops the entries it covers', (t) => {
  const net = new Network(3);
  net.elect(n1);
  for (let i = 0; i < 10; i++) net.propose(n1, `p${i}`);
  const before = view(net.node(n1));
  const snap = net.compact(n1);
  t.is(snap.meta.index as number, before.applied);
  const after = view(net.node(n1));
  t.is(after.snapshotIndex, before.applied);
  t.is(after.lastIndex, before.lastIndex);
  t.deepEqual(net.get(n1).storage.entries, []);
  t.false(net.node(n1).compact(snap), 'an older or equal snapshot is ignored');
  net.propose(n1, 'after');
  t.deepEqual(net.get(n1).sm.at(-1), 'after');
});

test('§7 compacting beyond the applied index is a bug and throws', (t) => {
  const solo = new Solo(n1, persistedWith({ voters: voters3, entries: entriesWithTerms(1, 1, 1, 1), commit: 3 }));
  t.throws(() => solo.node.compact(snapshotAt(2, 1)), { message: /only 0 is applied/ });
  solo.drainAll(); // applies 1..3
  t.true(solo.node.compact(snapshotAt(2, 1)));
  t.throws(() => solo.node.compact(snapshotAt(3, 2)), { message: /has term 2, the log has 1/ });
});

test('§7 the leader sends its snapshot to a follower whose next entry was compacted away', (t) => {
  const net = new Network(3);
  net.elect(n1);
  net.isolate(n3);
  for (let i = 0; i < 10; i++) net.propose(n1, `p${i}`);
  net.compact(n1);
  net.heal();
  net.tickAll(3);
  const snaps = net.delivered.filter((m) => m.type === 'snapshot');
  t.is(snaps.length, 1);
  t.is(snaps[0]?.to, n3);
  t.deepEqual(net.get(n3).sm, net.get(n1).sm);
  t.is(view(net.node(n3)).snapshotIndex, view(net.node(n1)).snapshotIndex);
  t.like(net.node(n1).status().progress.find((p) => p.id === n3), { state: 'replicate' });
  net.propose(n1, 'after');
  t.deepEqual(net.get(n3).sm.at(-1), 'after', 'replication continues from the snapshot');
});

test('§7 a follower installs a snapshot newer than its log, replacing the log', (t) => {
  const solo = new Solo(n1, persistedWith({ voters: [n1, n2], entries: entriesWithTerms(1, 1, 1) })).followerOf(n2, 3);
  const snap = snapshotAt(11, 2);
  solo.node.step({ type: 'snapshot', from: n2, to: n1, term: asTerm(3), snapshot: snap });
  t.is(view(solo.node).commit, 11);
  t.deepEqual(solo.node.status().conf, snap.meta.conf, 'the configuration comes with the snapshot');
  const rd = solo.drain();
  t.is(rd.snapshot, snap, 'handed to the driver to store and restore');
  t.deepEqual(rd.committedEntries, []);
  t.deepEqual(rd.messages, [{ type: 'append-response', from: n1, to: n2, term: asTerm(3), index: asIndex(11), reject: null }]);
  t.like(view(solo.node), { applied: 11, lastIndex: 11, snapshotIndex: 11 });
  t.deepEqual(solo.storage.entries, []);
});

test('§7 a snapshot the follower already covers is ignored', (t) => {
  const solo = new Solo(n1, persistedWith({ voters: voters3, entries: entriesWithTerms(1, 1, 1, 1), commit: 3 })).followerOf(n2, 1);
  solo.node.step({ type: 'snapshot', from: n2, to: n1, term: asTerm(1), snapshot: snapshotAt(2, 1) });
  const rd = solo.drain();
  t.is(rd.snapshot, undefined);
  t.deepEqual(rd.messages.map((m) => (m.type === 'append-response' ? m.index : -1)), [asIndex(3)]);
});

test('§7 a snapshot whose last entry the follower holds only advances its commit', (t) => {
  const solo = new Solo(n1, persistedWith({ voters: voters3, entries: entriesWithTerms(1, 1, 1, 1, 1) })).followerOf(n2, 1);
  solo.node.step({ type: 'snapshot', from: n2, to: n1, term: asTerm(1), snapshot: snapshotAt(3, 1) });
  const rd = solo.drain();
  t.is(rd.snapshot, undefined);
  t.like(view(solo.node), { commit: 3, lastIndex: 4, snapshotIndex: 0 });
  t.deepEqual(rd.committedEntries.map((e) => e.index as number), [1, 2, 3]);
});

test('§7 a failed snapshot transfer is retried after the follower answers a heartbeat', (t) => {
  const net = new Network(3);
  net.elect(n1);
  net.isolate(n3);
  for (let i = 0; i < 5; i++) net.propose(n1, `p${i}`);
  net.compact(n1);
  net.heal();
  net.dropIf = (m) => m.type === 'snapshot';
  net.tickAll(1);
  t.like(net.node(n1).status().progress.find((p) => p.id === n3), { state: 'probe' }, 'reported failed: back to probing');
  t.deepEqual(net.get(n3).sm, []);
  net.dropIf = null;
  net.tickAll(3);
  t.true(net.delivered.some((m) => m.type === 'snapshot' && m.to === n3), 'sent again');
  t.deepEqual(net.get(n3).sm, net.get(n1).sm);
});

test('§7 a member restarts from its snapshot and re-applies the entries after it', (t) => {
  const net = new Network(3);
  net.elect(n1);
  for (let i = 0; i < 4; i++) net.propose(n1, `p${i}`);
  net.compact(n2);
  net.propose(n1, 'after-snapshot');
  const want = net.get(n2).sm;
  net.restart(n2);
  t.deepEqual(net.get(n2).sm, ['p0', 'p1', 'p2', 'p3'], 'restored from the snapshot');
  net.flush();
  t.deepEqual(net.get(n2).sm, want, 'committed entries after it re-applied');
  net.propose(n1, 'more');
  t.deepEqual(net.get(n2).sm.at(-1), 'more');
});

test('§7 a member joining after compaction is brought up from the snapshot', (t) => {
  const net = new Network(3);
  net.elect(n1);
  for (let i = 0; i < 3; i++) net.propose(n1, `p${i}`);
  net.compact(n1);
  net.join(n4);
  net.node(n1).proposeConfChange({ type: 'add-learner', id: n4 });
  net.stabilize();
  net.tickAll(2);
  t.deepEqual(net.get(n4).sm, ['p0', 'p1', 'p2']);
  t.deepEqual(net.get(n4).conf, { voters: voters3, learners: [n4] });
  t.true(net.delivered.some((m) => m.type === 'snapshot' && m.to === n4));
});

test('§7 a member does not campaign while a received snapshot is unapplied', (t) => {
  const solo = new Solo(n1, persistedWith({ voters: voters3 })).followerOf(n2, 1);
  solo.node.step({ type: 'snapshot', from: n2, to: n1, term: asTerm(1), snapshot: snapshotAt(5, 1) });
  const rd = solo.node.ready();
  for (let i = 0; i < 30; i++) solo.node.tick();
  t.is(view(solo.node).role, 'follower');
  solo.node.advance(rd);
  for (let i = 0; i < 30; i++) solo.node.tick();
  t.is(view(solo.node).role, 'candidate');
  t.is(text(rd.snapshot?.data ?? new Uint8Array()), '["s"]');
});
