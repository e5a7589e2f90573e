// Raft paper §5.1 and §5.2: terms and leader election.
import test from 'ava';
import { asIndex, asTerm } from '../../../../src/manager/raft/types.js';
import type { MemberId } from '../../../../src/manager/raft/types.js';
import type { Message } from '../../../../src/manager/raft/core/index.js';
import { RaftNode } from '../../../../src/manager/raft/core/index.js';
import { Raft } from '../../../../src/manager/raft/core/raft.js';
import { Network, config, drain, drainAll, id, idsOf, leaderOf, persistedWith, view } from './harness.js';

const [n1, n2, n3] = [id(1), id(2), id(3)];
const voters3 = idsOf(3);

function follower(term: number, leader: MemberId, voters = voters3, me = n1): RaftNode {
  const node = new RaftNode(config(me), persistedWith({ voters }));
  node.step({ type: 'heartbeat', from: leader, to: me, term: asTerm(term), commit: asIndex(0), context: null });
  drainAll(node);
  return node;
}

function candidate(voters = voters3): RaftNode {
  const node = new RaftNode(config(n1), persistedWith({ voters }));
  node.campaign();
  drainAll(node);
  return node;
}

const append = (from: MemberId, term: number): Message => ({
  type: 'append', from, to: n1, term: asTerm(term), prevIndex: asIndex(0), prevTerm: asTerm(0), entries: [], commit: asIndex(0),
});

for (const role of ['follower', 'candidate', 'leader'] as const) {
  test(`§5.1 a ${role} that sees a larger term adopts it and becomes follower`, (t) => {
    const node = role === 'follower' ? follower(1, n2) : role === 'candidate' ? candidate() : leaderOf(voters3);
    node.step(append(n2, 5));
    t.is(view(node).term, 5);
    t.is(view(node).role, 'follower');
    t.is(view(node).leader, n2);
  });
}

test('§5.1 a message with a stale term is ignored', (t) => {
  const node = new RaftNode(config(n1), persistedWith({ voters: voters3, term: 2 }));
  node.step(append(n2, 1));
  const rd = drain(node);
  t.deepEqual(rd.messages, []);
  t.deepEqual(rd.entries, []);
  t.is(view(node).leader, null);
  t.is(view(node).term, 2);
});

test('§5.2 servers start as followers', (t) => {
  const node = new RaftNode(config(n1), persistedWith({ voters: voters3 }));
  t.is(view(node).role, 'follower');
  t.is(view(node).term, 0);
});

test('§5.2 the leader sends heartbeats every heartbeat interval', (t) => {
  const node = leaderOf(voters3);
  drainAll(node);
  node.tick();
  const msgs = drainAll(node);
  t.deepEqual(msgs, [
    { type: 'heartbeat', from: n1, to: n2, term: asTerm(1), commit: asIndex(0), context: null },
    { type: 'heartbeat', from: n1, to: n3, term: asTerm(1), commit: asIndex(0), context: null },
  ]);
});

for (const role of ['follower', 'candidate'] as const) {
  test(`§5.2 a ${role} that hears nothing for an election timeout starts an election`, (t) => {
    const node = role === 'follower' ? follower(1, n2) : candidate();
    const before = view(node).term;
    t.is(before, 1);
    for (let i = 1; i < 2 * 10; i++) node.tick();
    const msgs = drainAll(node);
    t.is(view(node).term, 2);
    t.is(view(node).role, 'candidate');
    t.is(view(node).vote, n1 as string);
    t.deepEqual(msgs, [
      { type: 'vote', from: n1, to: n2, term: asTerm(2), lastIndex: asIndex(0), lastTerm: asTerm(0), transfer: false },
      { type: 'vote', from: n1, to: n3, term: asTerm(2), lastIndex: asIndex(0), lastTerm: asTerm(0), transfer: false },
    ]);
  });
}

test('§5.2 one round of RequestVote: win on a majority, lose on a majority of refusals, else wait', (t) => {
  const cases: [number, Record<number, boolean>, string][] = [
    [1, {}, 'leader'],
    [3, { 2: true, 3: true }, 'leader'],
    [3, { 2: true }, 'leader'],
    [5, { 2: true, 3: true, 4: true, 5: true }, 'leader'],
    [5, { 2: true, 3: true, 4: true }, 'leader'],
    [5, { 2: true, 3: true }, 'leader'],
    [3, { 2: false, 3: false }, 'follower'],
    [5, { 2: false, 3: false, 4: false, 5: false }, 'follower'],
    [5, { 2: true, 3: false, 4: false, 5: false }, 'follower'],
    [3, {}, 'candidate'],
    [5, { 2: true }, 'candidate'],
    [5, { 2: false, 3: false }, 'candidate'],
    [5, {}, 'candidate'],
  ];
  for (const [size, votes, want] of cases) {
    const node = candidate(idsOf(size));
    for (const [from, granted] of Object.entries(votes)) {
      node.step({ type: 'vote-response', from: id(Number(from)), to: n1, term: asTerm(1), reject: !granted });
    }
    t.is(view(node).role, want, `${size} voters, votes ${JSON.stringify(votes)}`);
    t.is(view(node).term, 1);
  }
});

test('§5.2 a candidate counts its own vote only once it is durable', (t) => {
  const node = new RaftNode(config(n1), persistedWith({ voters: [n1] }));
  node.campaign();
  t.is(view(node).role, 'candidate');
  const rd = node.ready();
  t.deepEqual(rd.hardState, { term: asTerm(1), vote: n1, commit: asIndex(0) });
  t.is(view(node).role, 'candidate', 'not leader while the vote is unsaved');
  node.advance(rd);
  t.is(view(node).role, 'leader');
});

test('§5.2 each follower votes for at most one candidate per term, first come first served', (t) => {
  const cases: [MemberId | null, MemberId, boolean][] = [
    [null, n2, false],
    [null, n3, false],
    [n2, n2, false],
    [n3, n3, false],
    [n2, n3, true],
    [n3, n2, true],
  ];
  for (const [vote, from, reject] of cases) {
    const node = new RaftNode(config(n1), persistedWith({ voters: voters3, term: 1, vote }));
    node.step({ type: 'vote', from, to: n1, term: asTerm(1), lastIndex: asIndex(0), lastTerm: asTerm(0), transfer: false });
    t.deepEqual(drain(node).messages, [{ type: 'vote-response', from: n1, to: from, term: asTerm(1), reject }], `vote ${vote}, asked by ${from}`);
  }
});

test('§5.2 a candidate that hears from a leader of its term or later falls back to follower', (t) => {
  for (const term of [1, 2]) {
    const node = candidate();
    t.is(view(node).role, 'candidate');
    node.step(append(n2, term));
    t.is(view(node).role, 'follower');
    t.is(view(node).term, term);
    t.is(view(node).leader, n2);
  }
});

for (const role of ['follower', 'candidate'] as const) {
  test(`§5.2 election timeouts of a ${role} are randomized over [et, 2et)`, (t) => {
    const node = role === 'follower' ? follower(1, n2) : candidate();
    const seen = new Set<number>();
    for (let round = 0; round < 500; round++) {
      if (role === 'follower') {
        node.step({ type: 'heartbeat', from: n2, to: n1, term: asTerm(node.status().term + 1), commit: asIndex(0), context: null });
      } else {
        node.campaign();
      }
      drainAll(node);
      let ticks = 0;
      for (;;) {
        node.tick();
        ticks++;
        if (drainAll(node).some((m) => m.type === 'vote')) break;
      }
      seen.add(ticks);
    }
    for (let d = 10; d < 20; d++) t.true(seen.has(d), `a timeout of ${d} ticks happened`);
    t.false([...seen].some((d) => d < 10 || d >= 20));
  });
}

for (const role of ['follower', 'candidate'] as const) {
  test(`§5.2 usually only one ${role} times out first, which avoids split votes`, (t) => {
    const ids = idsOf(5);
    const nodes = ids.map((me) => new RaftNode(config(me), persistedWith({ voters: ids })));
    let conflicts = 0;
    for (let round = 0; round < 300; round++) {
      for (const node of nodes) {
        if (role === 'follower') {
          const term = node.status().term + 1;
          node.step({ type: 'heartbeat', from: id(9), to: node.id, term: asTerm(term), commit: asIndex(0), context: null });
        } else {
          node.campaign();
        }
        drainAll(node);
      }
      let timedOut = 0;
      while (timedOut === 0) {
        for (const node of nodes) {
          node.tick();
          if (drainAll(node).some((m) => m.type === 'vote')) timedOut++;
        }
      }
      if (timedOut > 1) conflicts++;
    }
    t.true(conflicts / 300 <= 0.3, `${conflicts} conflicts in 300 rounds`);
  });
}

test('§5.2 illegal role switches throw', (t) => {
  const conf = { voters: voters3, learners: [] };
  const r = new Raft(config(n1), persistedWith({ voters: voters3 }), conf);
  t.throws(() => r.becomeLeader(), { message: /follower -> leader/ });
  r.becomePreCandidate();
  t.throws(() => r.becomeLeader(), { message: /pre-candidate -> leader/ });
  r.becomeCandidate();
  r.becomeLeader();
  t.throws(() => r.becomeCandidate(), { message: /leader -> candidate/ });
  t.throws(() => r.becomePreCandidate(), { message: /leader -> pre-candidate/ });
  t.notThrows(() => r.becomeFollower(asTerm(2), null));
});

test('§5.2 a cluster elects exactly one leader and every member learns it', (t) => {
  const net = new Network(5);
  net.tickAll(25);
  const leaders = net.leaders();
  t.is(leaders.length, 1);
  const leader = leaders[0];
  for (const m of net.members.values()) t.is(view(m.node).leader, leader ?? "none");
});

test('§5.2 a vote is persisted before it is sent', (t) => {
  const net = new Network(3);
  net.node(n1).campaign();
  net.flush();
  const vote = net.queue.find((m) => m.type === 'vote' && m.to === n2);
  t.truthy(vote);
  net.deliver();
  net.flush();
  const grant = net.queue.find((m) => m.type === 'vote-response' && m.from === n2);
  t.truthy(grant);
  t.is(net.get(n2).storage.hardState.vote, n1, 'the vote is on disk when the grant leaves');
  net.stabilize();
  t.deepEqual(net.leaders(), [n1]);
});
