// The simulator's checks fail when they should: each Raft safety property
// on hand-made observations, and the state machine's sessions.
import test from 'ava';
import type { Entry, MemberId } from '../../../../src/manager/raft/types.js';
import { asIndex, asTerm } from '../../../../src/manager/raft/types.js';
import { SafetyMonitor } from '../../../../src/manager/raft/sim/safety-monitor.js';
import { LogMirror } from '../../../../src/manager/raft/sim/log-mirror.js';
import { KvSimMachine, encodeCommand } from '../../../../src/manager/raft/sim/kv-sim-machine.js';
import { DurabilityMonitor } from '../../../../src/manager/raft/sim/durability-monitor.js';
import { id } from '../core/harness.js';

const [n1, n2, n3] = [id(1), id(2), id(3)];

function entry(index: number, term: number, data = ''): Entry {
  return { index: asIndex(index), term: asTerm(term), kind: 'normal', data: new TextEncoder().encode(data) };
}

/** Stores entries in `log` the way the sim driver does, reporting each to the monitor. */
function store(monitor: SafetyMonitor, member: MemberId, log: LogMirror, entries: readonly Entry[]): void {
  for (const e of entries) {
    const r = log.storeEntry(e);
    if ('gapAfter' in r) throw new Error(`gap after ${r.gapAfter}`);
    monitor.observeStored(member, e, r.prevTerm);
  }
}

test('election safety: two leaders in one term are caught, one leader in two terms is fine', (t) => {
  const m = new SafetyMonitor();
  m.observeStatus(n1, 'leader', 2, 0);
  m.observeStatus(n1, 'leader', 2, 0);
  m.observeStatus(n2, 'leader', 3, 0);
  t.throws(() => m.observeStatus(n3, 'leader', 2, 0), { message: /election-safety: n3 and n1 are both leaders of term 2/ });
});

test('log matching: the same (index, term) with other data, or after another term, is caught', (t) => {
  const m = new SafetyMonitor();
  store(m, n1, new LogMirror(), [entry(1, 1, 'a'), entry(2, 2, 'b')]);
  store(m, n2, new LogMirror(), [entry(1, 1, 'a'), entry(2, 2, 'b')]);
  t.throws(() => store(m, n3, new LogMirror(), [entry(1, 1, 'a'), entry(2, 2, 'X')]), { message: /log-matching: n3 and n1 hold different entries at index 2 term 2/ });
  // A fresh (1, 3) is fine by itself; (2, 2) after it is not: n1 holds (2, 2) after a term-1 entry.
  t.throws(() => store(m, n3, new LogMirror(), [entry(1, 3, 'z'), entry(2, 2, 'b')]), {
    message: /log-matching: n3 holds entry 2\/2 after a term-3 entry, n1 after a term-1 one/,
  });
});

test('leader completeness: a leader of a later term without a committed entry is caught, in either order of discovery', (t) => {
  // The election is seen first, the commit later.
  const a = new SafetyMonitor();
  const stale = new LogMirror();
  store(a, n2, stale, [entry(1, 1)]);
  a.observeLeaderReady(n2, 3, stale);
  const full = new LogMirror();
  store(a, n1, full, [entry(1, 1), entry(2, 2, 'x')]);
  a.observeApplied(n1, entry(1, 1), 1);
  t.throws(() => {
    a.observeApplied(n1, entry(2, 2, 'x'), 2);
    a.observeStatus(n1, 'leader', 2, 2);
  }, { message: /leader-completeness: n2 became leader of term 3 without index 2, where entry 2\/2 was committed by term 2/ });

  // The commit is seen first; a leader of the same term may lack nothing, a later one must hold it.
  const b = new SafetyMonitor();
  b.observeStatus(n1, 'leader', 2, 2);
  b.observeApplied(n1, entry(1, 1), 1);
  b.observeApplied(n1, entry(2, 2, 'x'), 2);
  const ok = new LogMirror();
  store(b, n3, ok, [entry(1, 1), entry(2, 2, 'x'), entry(3, 4)]);
  b.observeLeaderReady(n3, 4, ok);
  const bad = new LogMirror();
  store(b, n2, bad, [entry(1, 1), entry(2, 3, 'y')]);
  t.throws(() => b.observeLeaderReady(n2, 5, bad), { message: /n2 became leader of term 5 with a term-3 entry at index 2/ });
});

test('state machine safety: different entries or states at one index are caught, snapshots included', (t) => {
  const m = new SafetyMonitor();
  m.observeApplied(n1, entry(1, 1, 'a'), 11);
  m.observeApplied(n2, entry(1, 1, 'a'), 11);
  t.throws(() => m.observeApplied(n3, entry(1, 2, 'b'), 11), { message: /state-machine-safety: n3 applied entry 1\/2 but n1 applied 1\/1/ });
  t.throws(() => m.observeApplied(n3, entry(1, 1, 'a'), 12), { message: /different states at index 1/ });
  m.observeRestored(n3, 1, 1, 11);
  t.throws(() => m.observeRestored(n3, 1, 1, 99), { message: /restored a snapshot at 1 whose state differs/ });
});

test('log mirror: stores like storage (truncation, snapshots keep a matching suffix, gaps refused)', (t) => {
  const log = new LogMirror();
  for (const e of [entry(1, 1), entry(2, 1), entry(3, 2)]) log.storeEntry(e);
  t.deepEqual(log.storeEntry(entry(2, 3)), { prevTerm: 1 });
  t.is(log.lastIndex(), 2);
  t.deepEqual(log.storeEntry(entry(5, 3)), { gapAfter: 2 });
  log.storeSnapshot({ index: asIndex(1), term: asTerm(1), conf: { voters: [], learners: [] } });
  t.is(log.term(2), 3, 'the suffix after a matching snapshot is kept');
  log.storeSnapshot({ index: asIndex(4), term: asTerm(4), conf: { voters: [], learners: [] } });
  t.is(log.lastIndex(), 4);
  t.is(log.term(2), undefined);
});

test('kv machine: a duplicated or retried attempt applies once; snapshots carry state, sessions and hash', (t) => {
  const kv = new KvSimMachine();
  const put = (seq: number, value: string): Entry => ({ ...entry(seq, 1), data: encodeCommand({ op: 'put', client: 1, seq, key: 'k', value }) });
  t.deepEqual(kv.applyEntry(put(1, 'a')), { client: 1, seq: 1, output: { op: 'put' } });
  t.deepEqual(kv.applyEntry(put(2, 'b')), { client: 1, seq: 2, output: { op: 'put' } });
  t.deepEqual(kv.applyEntry({ ...put(1, 'a'), index: asIndex(3) }), { client: 1, seq: 1, output: null }, 'an older attempt is ignored');
  t.is(kv.get('k'), 'b');
  const cas = { ...entry(4, 1), data: encodeCommand({ op: 'cas', client: 2, seq: 1, key: 'k', expected: 'b', value: 'c' }) };
  t.deepEqual(kv.applyEntry(cas), { client: 2, seq: 1, output: { op: 'cas', ok: true } });
  t.deepEqual(kv.applyEntry({ ...cas, index: asIndex(5) }), { client: 2, seq: 1, output: { op: 'cas', ok: true } }, 'a duplicate answers as the original');
  t.is(kv.get('k'), 'c');
  const copy = new KvSimMachine();
  copy.restore(kv.snapshot());
  t.is(copy.hash, kv.hash);
  t.is(copy.get('k'), 'c');
  t.deepEqual(copy.session(2), kv.session(2));
});

test('durability: a restart must keep the term, vote and acknowledged entries its messages promised; pre-votes promise nothing', (t) => {
  const d = new DurabilityMonitor(true);
  const hs = (term: number, vote: MemberId | null) => ({ term: asTerm(term), vote, commit: asIndex(0) });
  d.observeSent({ type: 'pre-vote', from: n1, to: n2, term: asTerm(9), lastIndex: asIndex(0), lastTerm: asTerm(0) }, false);
  d.observeSent({ type: 'vote-response', from: n1, to: n2, term: asTerm(3), reject: false }, false);
  t.notThrows(() => d.observeRestart(n1, hs(3, n2), 0));
  t.throws(() => d.observeRestart(n1, hs(2, null), 0), { message: /durability: n1 sent messages in term 3 but restarted in term 2/ });
  t.throws(() => d.observeRestart(n1, hs(3, null), 0), { message: /n1 granted its vote to n2 in term 3 but restarted with vote none/ });
  d.observeSent({ type: 'append-response', from: n1, to: n2, term: asTerm(3), index: asIndex(7), reject: null }, false);
  t.throws(() => d.observeRestart(n1, hs(3, n2), 6), { message: /n1 acknowledged entries up to 7 in term 3 but restarted with its log ending at 6/ });
  t.notThrows(() => d.observeRestart(n1, hs(4, null), 2), 'a later term may have truncated the log');
  d.observeSent({ type: 'append-response', from: n3, to: n2, term: asTerm(3), index: asIndex(7), reject: null }, true);
  t.notThrows(() => d.observeRestart(n3, hs(3, null), 0), "a leader's answer to a stale append acknowledges nothing");
  t.notThrows(() => new DurabilityMonitor(false).observeRestart(n1, hs(0, null), 0));
});
