// Raft paper §5.3: log replication; plus batching and flow control.
import test from 'ava';
import { asIndex, asTerm } from '../../../../src/manager/raft/types.js';
import type { Entry, MemberId } from '../../../../src/manager/raft/types.js';
import type { AppendMessage, Message } from '../../../../src/manager/raft/core/index.js';
import { RaftNode } from '../../../../src/manager/raft/core/index.js';
import { Network, Solo, ack, bytes, config, entriesWithTerms, id, idsOf, persistedWith, text, view } from './harness.js';

const [n1, n2, n3] = [id(1), id(2), id(3)];
const voters3 = idsOf(3);

/** A leader of term 1 whose no-op is committed, all followers in replicate state. */
function committedLeader(voters: readonly MemberId[] = voters3, overrides = {}): Solo {
  const solo = new Solo(n1, persistedWith({ voters }), overrides).elect(voters);
  solo.replicate(voters);
  return solo;
}

const appends = (msgs: readonly Message[]): AppendMessage[] => msgs.filter((m): m is AppendMessage => m.type === 'append');
const plain = (e: Entry): { index: number; term: number; data: string } => ({ index: e.index, term: e.term, data: text(e.data) });

test('§5.3 the leader appends a proposal and replicates it with the index and term preceding it', (t) => {
  const solo = committedLeader();
  const li = view(solo.node).lastIndex;
  t.deepEqual(solo.node.propose(bytes('some data')), { kind: 'appended', index: asIndex(li + 1), term: asTerm(1) });
  t.is(view(solo.node).lastIndex, li + 1);
  t.is(view(solo.node).commit, li);
  const rd = solo.drain();
  t.deepEqual(rd.entries.map(plain), [{ index: li + 1, term: 1, data: 'some data' }], 'written to stable storage');
  t.deepEqual(
    appends(rd.messages).map((m) => ({ to: m.to, prevIndex: m.prevIndex, prevTerm: m.prevTerm, commit: m.commit, entries: m.entries.map(plain) })),
    [n2, n3].map((to) => ({ to, prevIndex: li, prevTerm: 1, commit: li, entries: [{ index: li + 1, term: 1, data: 'some data' }] })),
  );
});

test('§5.3 once replicated on a majority the leader commits the entry, applies it and tells followers', (t) => {
  const solo = committedLeader();
  const li = view(solo.node).lastIndex;
  solo.node.propose(bytes('some data'));
  const sent = appends(solo.drain().messages);
  solo.committed = [];
  for (const m of sent) solo.node.step(ack(m));
  t.is(view(solo.node).commit, li + 1);
  const rd = solo.drain();
  t.deepEqual(rd.committedEntries.map(plain), [{ index: li + 1, term: 1, data: 'some data' }]);
  const out = appends(rd.messages);
  t.deepEqual(out.map((m) => [m.to, m.commit]), [[n2, li + 1], [n3, li + 1]]);
});

test('§5.3 an entry is committed once the leader that created it has replicated it on a majority', (t) => {
  const cases: [number, number[], boolean][] = [
    [1, [], true],
    [3, [], false],
    [3, [2], true],
    [3, [2, 3], true],
    [5, [], false],
    [5, [2], false],
    [5, [2, 3], true],
    [5, [2, 3, 4], true],
    [5, [2, 3, 4, 5], true],
  ];
  for (const [size, acceptors, committed] of cases) {
    const solo = committedLeader(idsOf(size));
    const li = view(solo.node).lastIndex;
    solo.node.propose(bytes('some data'));
    for (const m of appends(solo.drain().messages)) if (acceptors.includes(Number(m.to.slice(1)))) solo.node.step(ack(m));
    t.is(view(solo.node).commit > li, committed, `${size} voters, acceptors ${acceptors.join(',')}`);
  }
});

test('§5.3 committing an entry commits all preceding ones, including those of earlier leaders', (t) => {
  const cases: Entry[][] = [[], entriesWithTerms(1, 2), entriesWithTerms(1, 1, 2), entriesWithTerms(1, 1)];
  for (const prior of cases) {
    const solo = new Solo(n1, persistedWith({ voters: voters3, entries: prior, term: 2 })).elect(voters3);
    solo.node.propose(bytes('some data'));
    solo.replicate(voters3);
    const li = prior.length;
    t.deepEqual(solo.committed.map(plain), [
      ...prior.map(plain),
      { index: li + 1, term: 3, data: '' },
      { index: li + 2, term: 3, data: 'some data' },
    ]);
  }
});

test('§5.3 a follower applies entries once it learns they are committed, in log order', (t) => {
  const cases: [string[], number][] = [
    [['some data'], 1],
    [['some data', 'some data2'], 2],
    [['some data2', 'some data'], 2],
    [['some data', 'some data2'], 1],
  ];
  for (const [datas, commit] of cases) {
    const solo = new Solo(n1, persistedWith({ voters: voters3 })).followerOf(n2, 1);
    const entries: Entry[] = datas.map((d, i) => ({ term: asTerm(1), index: asIndex(i + 1), kind: 'normal', data: bytes(d) }));
    solo.node.step({ type: 'append', from: n2, to: n1, term: asTerm(1), prevIndex: asIndex(0), prevTerm: asTerm(0), entries, commit: asIndex(commit) });
    t.is(view(solo.node).commit, commit);
    solo.drainAll();
    t.deepEqual(solo.committed.map(plain), entries.slice(0, commit).map(plain));
  }
});

test('§5.3 a follower refuses an append whose preceding entry it lacks, with a backtracking hint', (t) => {
  const ents = entriesWithTerms(1, 1, 2);
  const cases: [number, number, Message['type'], number, { hintIndex: number; hintTerm: number } | null][] = [
    [0, 0, 'append-response', 1, null], // matches committed entries
    [1, 1, 'append-response', 1, null],
    [2, 2, 'append-response', 2, null], // matches an uncommitted entry
    [1, 2, 'append-response', 2, { hintIndex: 1, hintTerm: 1 }], // mismatch at an existing entry
    [3, 3, 'append-response', 3, { hintIndex: 2, hintTerm: 2 }], // no such entry
  ];
  for (const [term, index, type, windex, reject] of cases) {
    const solo = new Solo(n1, persistedWith({ voters: voters3, entries: ents, commit: 1 })).followerOf(n2, 2);
    solo.node.step({ type: 'append', from: n2, to: n1, term: asTerm(2), prevIndex: asIndex(index), prevTerm: asTerm(term), entries: [], commit: asIndex(1) });
    t.deepEqual(solo.drainAll(), [{ type, from: n1, to: n2, term: asTerm(2), index: asIndex(windex), reject: reject === null ? null : { hintIndex: asIndex(reject.hintIndex), hintTerm: asTerm(reject.hintTerm) } }], `prev (${index}, ${term})`);
  }
});

test('§5.3 a follower deletes a conflicting entry and all after it, appends new ones, and stores them', (t) => {
  const cases: [number, number, Entry[], number[], number[]][] = [
    [2, 2, entriesWithTerms(3, 3), [1, 2, 3], [3]],
    [1, 1, entriesWithTerms(2, 3, 4), [1, 3, 4], [3, 4]],
    [0, 0, entriesWithTerms(1, 1), [1, 2], []],
    [0, 0, entriesWithTerms(1, 3), [3], [3]],
  ];
  for (const [index, term, entries, want, wantStored] of cases) {
    const solo = new Solo(n1, persistedWith({ voters: voters3, entries: entriesWithTerms(1, 1, 2) })).followerOf(n2, 2);
    solo.node.step({ type: 'append', from: n2, to: n1, term: asTerm(2), prevIndex: asIndex(index), prevTerm: asTerm(term), entries, commit: asIndex(0) });
    const rd = solo.drain();
    t.deepEqual(rd.entries.map((e) => e.term as number), wantStored, 'the new entries are handed to storage');
    t.deepEqual(solo.terms(), want);
  }
});

test('§5.3 figure 7: the leader brings each follower log into agreement with its own', (t) => {
  const lead = entriesWithTerms(1, 1, 1, 1, 4, 4, 5, 5, 6, 6, 6);
  const followers = [
    [1, 1, 1, 4, 4, 5, 5, 6, 6],
    [1, 1, 1, 4],
    [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6],
    [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7],
    [1, 1, 1, 4, 4, 4, 4],
    [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3],
  ];
  for (const terms of followers) {
    const net = new Network(0);
    const lp = persistedWith({ voters: voters3, entries: lead, term: 8, commit: lead.length });
    net.add(n1, new RaftNode(config(n1), lp), lp);
    const fp = persistedWith({ voters: voters3, entries: entriesWithTerms(1, ...terms), term: 7 });
    net.add(n2, new RaftNode(config(n2), fp), fp);
    const ep = persistedWith({ voters: voters3, term: 7 });
    net.add(n3, new RaftNode(config(n3), ep), ep);
    net.elect(n1);
    t.deepEqual(net.leaders(), [n1]);
    net.propose(n1, 'x');
    const leaderLog = net.get(n1).storage.entries.map((e) => [e.index, e.term, text(e.data)]);
    t.deepEqual(net.get(n2).storage.entries.map((e) => [e.index, e.term, text(e.data)]), leaderLog, `follower ${terms.join(',')}`);
    const rejects = net.delivered.filter((m) => m.type === 'append-response' && m.from === n2 && m.reject !== null).length;
    t.true(rejects <= 2, `fast backtracking: ${rejects} refusals`);
  }
});

test('§5.3 many proposals between two Readys leave as one append per follower', (t) => {
  const solo = committedLeader();
  for (let i = 0; i < 50; i++) solo.node.propose(bytes(`p${i}`));
  const rd = solo.drain();
  t.is(rd.entries.length, 50, 'one batch to storage');
  const sent = appends(rd.messages);
  t.deepEqual(sent.map((m) => [m.to, m.entries.length]), [[n2, 50], [n3, 50]]);
});

test('flow control: appends are split by maxSizePerMsg, always at least one entry', (t) => {
  const solo = committedLeader(voters3, { maxSizePerMsg: 250 });
  for (let i = 0; i < 5; i++) solo.node.propose(new Uint8Array(100));
  solo.node.propose(new Uint8Array(1000));
  const sent = appends(solo.drain().messages).filter((m) => m.to === n2);
  t.deepEqual(sent.map((m) => m.entries.length), [2, 2, 1, 1]);
});

test('flow control: a probing follower gets one append until it answers', (t) => {
  const solo = new Solo(n1, persistedWith({ voters: voters3 })).elect(voters3);
  const first = appends(solo.drainAll()).filter((m) => m.to === n2);
  t.is(first.length, 1, 'one probe');
  solo.node.propose(bytes('a'));
  solo.node.propose(bytes('b'));
  t.deepEqual(appends(solo.drainAll()).filter((m) => m.to === n2), [], 'paused while probing');
  const probe = first[0];
  if (probe === undefined) return t.fail();
  solo.node.step(ack(probe));
  const next = appends(solo.drainAll()).filter((m) => m.to === n2);
  t.deepEqual(next.map((m) => m.entries.map((e) => text(e.data))), [['a', 'b']], 'replicating after the answer');
  t.is(solo.node.status().progress.find((p) => p.id === n2)?.state, 'replicate');
});

test('flow control: a heartbeat answer lets a paused probe go again', (t) => {
  const solo = new Solo(n1, persistedWith({ voters: voters3 })).elect(voters3);
  solo.drainAll();
  solo.node.propose(bytes('a'));
  t.deepEqual(appends(solo.drainAll()).filter((m) => m.to === n2), []);
  solo.node.step({ type: 'heartbeat-response', from: n2, to: n1, term: asTerm(1), context: null });
  t.is(appends(solo.drainAll()).filter((m) => m.to === n2).length, 1);
});

test('flow control: a replicating follower has at most maxInflightMsgs appends in flight', (t) => {
  const solo = committedLeader(voters3, { maxInflightMsgs: 3 });
  const sent: AppendMessage[] = [];
  for (let i = 0; i < 5; i++) {
    solo.node.propose(bytes(`p${i}`));
    sent.push(...appends(solo.drainAll()).filter((m) => m.to === n2));
  }
  t.is(sent.length, 3, 'the window is full after three');
  t.is(solo.node.status().progress.find((p) => p.id === n2)?.inflight, 3);
  const firstSent = sent[0];
  if (firstSent === undefined) return t.fail();
  solo.node.step(ack(firstSent));
  const more = appends(solo.drainAll()).filter((m) => m.to === n2);
  t.deepEqual(more.map((m) => m.entries.map((e) => text(e.data))), [['p3', 'p4']], 'one slot freed: the rest in one append');
});

test('flow control: an unreachable follower goes back to probing', (t) => {
  const solo = committedLeader();
  solo.node.reportUnreachable(n2);
  t.is(solo.node.status().progress.find((p) => p.id === n2)?.state, 'probe');
});

test('§5.3 the leader counts its own entries only once they are durable', (t) => {
  const net = new Network(3);
  net.elect(n1);
  const leader = net.node(n1);
  leader.propose(bytes('x'));
  const rd = leader.ready(); // not yet persisted
  const li = view(leader).lastIndex;
  for (const m of rd.messages) if (m.to === n2) net.node(n2).step(m);
  net.processReady(n2);
  for (const m of net.queue.splice(0)) leader.step(m);
  t.is(view(leader).commit, li - 1, 'n2 alone plus an unsaved leader copy is no quorum');
  leader.advance(rd);
  t.is(view(leader).commit, li, 'committed once the leader persisted it');
});

test('a single-member cluster commits after persisting', (t) => {
  const net = new Network(1);
  net.elect(n1);
  t.deepEqual(net.leaders(), [n1]);
  const node = net.node(n1);
  node.propose(bytes('x'));
  const rd = node.ready();
  t.deepEqual(rd.committedEntries, []);
  node.advance(rd);
  const next = node.ready();
  t.deepEqual(next.committedEntries.map((e) => text(e.data)), ['x']);
  node.advance(next);
});

test('Ready contract: one outstanding Ready at a time, advanced with that same Ready', (t) => {
  const net = new Network(3);
  const node = net.node(n1);
  node.campaign();
  t.true(node.hasReady());
  const rd = node.ready();
  t.false(node.hasReady(), 'nothing more until advance');
  t.throws(() => node.ready(), { message: /before advance/ });
  t.throws(() => node.advance({ ...rd }), { message: /last returned/ });
  node.advance(rd);
  t.false(node.hasReady());
});

test('§5.3 a partitioned minority cannot commit; the majority carries on and the minority catches up', (t) => {
  const net = new Network(5);
  net.elect(n1);
  net.propose(n1, 'a');
  net.isolate(n1);
  net.cut(n2, n3); // n2 stays with n1's side in spirit: the rest is n3,n4,n5
  net.isolate(n2);
  net.propose(n1, 'lost');
  net.tickAll(30);
  const majorityLeader = net.leaders().find((l) => l !== n1 && l !== n2);
  t.truthy(majorityLeader);
  if (majorityLeader === undefined) return;
  net.propose(majorityLeader, 'b');
  net.heal();
  net.tickAll(30);
  for (const m of net.members.values()) t.deepEqual(m.sm, ['a', 'b'], m.id);
});

test('flow control: appends lost in flight are recovered through the next heartbeat answer', (t) => {
  const net = new Network(3);
  net.elect(n1);
  net.cut(n1, n2);
  net.propose(n1, 'a'); // the append to n2 is lost; n2 stays in replicate with 'a' in flight
  net.heal();
  t.deepEqual(net.get(n2).sm, []);
  net.tickAll(2);
  t.deepEqual(net.get(n2).sm, ['a']);
});

test('flow control: a full window of lost appends does not stall the follower', (t) => {
  const net = new Network(3, { config: { maxInflightMsgs: 2 } });
  net.elect(n1);
  net.cut(n1, n2);
  for (const p of ['a', 'b', 'c', 'd']) net.propose(n1, p);
  net.heal();
  net.tickAll(3);
  t.deepEqual(net.get(n2).sm, ['a', 'b', 'c', 'd']);
});
