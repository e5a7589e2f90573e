// The in-memory log: persistence bookkeeping across races between a Ready in
// flight and new appends.
import test from 'ava';
import { asIndex, asTerm } from '../../../../src/manager/raft/types.js';
import { RaftLog } from '../../../../src/manager/raft/core/raft-log.js';
import { EMPTY, entriesWithTerms } from './harness.js';

test('entries handed out count as persisted when the Ready is advanced, as far as they still match', (t) => {
  const log = new RaftLog(EMPTY);
  log.append(entriesWithTerms(1, 1, 1, 1));
  const handed = log.takeUnhandedEntries();
  t.is(handed.length, 3);
  // Meanwhile a new leader overwrites entries 2.. with term 2.
  log.append(entriesWithTerms(2, 2, 2));
  t.is(log.handedOut as number, 1, 'the replaced entries must be handed out again');
  log.entriesPersisted(handed);
  t.is(log.persisted as number, 1, 'of the saved entries only entry 1 is still in the log');
  const again = log.takeUnhandedEntries();
  t.deepEqual(again.map((e) => e.term as number), [2, 2]);
  log.entriesPersisted(again);
  t.is(log.persisted as number, 3);
});

test('a snapshot received while entries are in flight resets what is known durable', (t) => {
  const log = new RaftLog(EMPTY);
  log.append(entriesWithTerms(1, 1, 1));
  const old = log.takeUnhandedEntries();
  const snap = { meta: { index: asIndex(5), term: asTerm(2), conf: { voters: [], learners: [] } }, data: new Uint8Array(0) };
  log.restore(snap);
  log.append(entriesWithTerms(6, 2));
  log.entriesPersisted(old);
  t.is(log.persisted as number, 0, 'entries saved before the snapshot count for nothing until it is saved');
  t.is(log.takePendingSnapshot(), snap);
  const ents = log.takeUnhandedEntries();
  t.deepEqual(ents.map((e) => e.index as number), [6]);
  log.snapshotPersisted(snap);
  log.entriesPersisted(ents);
  t.is(log.persisted as number, 6);
  t.true(log.hasUnappliedSnapshot());
  log.snapshotApplied(snap);
  t.false(log.hasUnappliedSnapshot());
  t.notThrows(() => log.checkInvariants());
});

test('a follower never overwrites a committed entry', (t) => {
  const log = new RaftLog({ ...EMPTY, hardState: { term: asTerm(1), vote: null, commit: asIndex(2) }, entries: entriesWithTerms(1, 1, 1, 1) });
  t.throws(() => log.maybeAppend(asIndex(1), asTerm(1), asIndex(2), entriesWithTerms(2, 2)), { message: /committed/ });
});

test('entriesFrom respects the byte budget but always returns one entry', (t) => {
  const log = new RaftLog(EMPTY);
  log.append([1, 2, 3].map((i) => ({ term: asTerm(1), index: asIndex(i), kind: 'normal' as const, data: new Uint8Array(100) })));
  t.is(log.entriesFrom(1, 10)?.entries.length, 1);
  t.is(log.entriesFrom(1, 200)?.entries.length, 2);
  t.is(log.entriesFrom(4, 200)?.entries.length, 0);
});
