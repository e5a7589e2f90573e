// The RaftNode surface: configuration checks, bootstrap, status, the
// membership-change codec and the plain-data wire contract.
import test from 'ava';
import { decode, encode } from 'cbor-x';
import { asTerm } from '../../../../src/manager/raft/types.js';
import { ShoalError } from '../../../../src/api/errors.js';
import { ConfChangeDecodeError, RaftNode, decodeConfChange, encodeConfChange } from '../../../../src/manager/raft/core/index.js';
import { EMPTY, Network, bytes, config, id, persistedWith } from './harness.js';

const [n1, n2, n3] = [id(1), id(2), id(3)];

test('a config that cannot work is refused, naming the field', (t) => {
  const cases: [Parameters<typeof config>[1], string][] = [
    [{ electionTicks: 1, heartbeatTicks: 1 }, 'electionTicks'],
    [{ heartbeatTicks: 0 }, 'heartbeatTicks'],
    [{ maxInflightMsgs: 0 }, 'maxInflightMsgs'],
    [{ maxSizePerMsg: 1.5 }, 'maxSizePerMsg'],
    [{ maxUncommittedBytes: -1 }, 'maxUncommittedBytes'],
  ];
  for (const [overrides, field] of cases) {
    const err = t.throws(() => new RaftNode(config(n1, overrides), EMPTY), { instanceOf: ShoalError });
    t.is(err?.code, 'InvalidArgument');
    t.is(err?.detail, field);
  }
});

test('bootstrapping a node that already has state is refused', (t) => {
  const err = t.throws(() => new RaftNode(config(n1), persistedWith({ voters: [n1], term: 3 }), { voters: [n1], learners: [] }), { instanceOf: ShoalError });
  t.is(err?.code, 'FailedPrecondition');
  t.regex(err?.message ?? '', /already has state/);
});

test('bootstrap: the configuration is committed at term 1 and applied through the first Ready', (t) => {
  const node = new RaftNode(config(n1), EMPTY, { voters: [n1, n2], learners: [n3] });
  const rd = node.ready();
  t.deepEqual(rd.hardState, { term: asTerm(1), vote: null, commit: rd.entries.at(-1)?.index });
  t.is(rd.entries.length, 3);
  t.deepEqual(rd.committedEntries, rd.entries);
  t.deepEqual(rd.entries.map((e) => decodeConfChange(e.data)), [
    { type: 'add-voter', id: n1 },
    { type: 'add-voter', id: n2 },
    { type: 'add-learner', id: n3 },
  ]);
  node.advance(rd);
  t.false(node.hasReady());
});

test('status shows each follower\'s progress and lag for the console', (t) => {
  const net = new Network(3);
  net.elect(n1);
  net.cut(n1, n3);
  net.propose(n1, 'a');
  net.propose(n1, 'b');
  const s = net.node(n1).status();
  t.is(s.role, 'leader');
  t.is(s.leader, n1);
  t.deepEqual(s.conf, { voters: [n1, n2, n3], learners: [] });
  t.deepEqual(
    s.progress.map((p) => ({ id: p.id, lag: p.lag, learner: p.learner })),
    [
      { id: n2, lag: 0, learner: false },
      { id: n3, lag: 2, learner: false },
    ],
  );
  t.deepEqual(net.node(n2).status().progress, [], 'followers have no progress to show');
});

test('membership changes round-trip through their CBOR encoding; garbage is refused clearly', (t) => {
  const ccs = [
    { type: 'add-voter' as const, id: n1 },
    { type: 'add-learner' as const, id: n2, context: bytes('10.0.0.2:2377') },
    { type: 'remove' as const, id: n3 },
  ];
  for (const cc of ccs) t.deepEqual(decodeConfChange(encodeConfChange(cc)), cc);
  t.throws(() => decodeConfChange(new Uint8Array([0xff, 0x00])), { instanceOf: ConfChangeDecodeError });
  t.throws(() => decodeConfChange(new Uint8Array(encode({ type: 'promote', id: 'x' }))), { message: /unknown type "promote"/ });
  t.throws(() => decodeConfChange(new Uint8Array(encode({ type: 'remove' }))), { message: /id must be/ });
});

function isPlain(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return typeof v !== 'function' && typeof v !== 'symbol' && typeof v !== 'bigint';
  if (v instanceof Uint8Array) return Object.getPrototypeOf(v) === Uint8Array.prototype;
  if (Array.isArray(v)) return v.every(isPlain);
  return Object.getPrototypeOf(v) === Object.prototype && Object.values(v).every(isPlain);
}

test('messages are plain data that survive a CBOR round trip', (t) => {
  const net = new Network(3, { config: { preVote: true } });
  net.elect(n1);
  net.node(n2).propose(bytes('x'));
  net.node(n3).readIndex(bytes('r'));
  net.stabilize();
  net.compact(n1);
  net.node(n1).transferLeadership(n2);
  net.stabilize();
  const types = new Set(net.delivered.map((m) => m.type));
  t.true(types.size >= 10, [...types].join(','));
  for (const m of net.delivered) {
    t.true(isPlain(m), m.type);
    const back = decode(encode(m)) as unknown;
    t.is(JSON.stringify(back, (_k, v: unknown) => (v instanceof Uint8Array ? [...v] : v)), JSON.stringify(m, (_k, v: unknown) => (v instanceof Uint8Array ? [...v] : v)));
  }
});
