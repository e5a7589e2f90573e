import test from 'ava';
import type { ExecutionContext } from 'ava';
import { LmdbRaftStorage } from '../../../../src/manager/raft/storage/lmdb-raft-storage.js';
import type { PersistedState } from '../../../../src/manager/raft/types.js';
import { entries, entry, hardState, snapshot, tempDir } from './helpers/fixtures.js';

async function openTemp(t: ExecutionContext): Promise<{ dir: string; storage: LmdbRaftStorage }> {
  const dir = tempDir(t);
  const storage = await LmdbRaftStorage.open(dir);
  t.teardown(() => storage.close());
  return { dir, storage };
}

function indexesAndTerms(state: PersistedState): string[] {
  return state.entries.map((e) => `${e.index}@${e.term}`);
}

test('a new directory loads as an empty log', async (t) => {
  const { storage } = await openTemp(t);
  t.deepEqual(await storage.load(), { hardState: hardState(0, 0), snapshot: null, entries: [] });
});

test('save then load round-trips entries, hard state and snapshot byte for byte', async (t) => {
  const { storage } = await openTemp(t);
  const snap = snapshot(3, 1, new Uint8Array([0, 255, 7]));
  const batch = [entry(4, 1, 'config', new Uint8Array([1, 2, 3])), entry(5, 2, 'normal', new Uint8Array(0)), entry(6, 2)];
  await storage.save({ snapshot: snap, entries: batch, hardState: hardState(2, 5, 'm1') });
  const loaded = await storage.load();
  t.deepEqual(loaded, { hardState: hardState(2, 5, 'm1'), snapshot: snap, entries: batch });
  t.is(loaded.entries[0]?.data.constructor, Uint8Array);
});

test('an entry at index i replaces i and drops every stored entry after it', async (t) => {
  const { storage } = await openTemp(t);
  await storage.save({ entries: entries(1, 6, 1) });
  await storage.save({ entries: [entry(4, 2), entry(5, 2)] });
  t.deepEqual(indexesAndTerms(await storage.load()), ['1@1', '2@1', '3@1', '4@2', '5@2']);
  // Re-sending the tail unchanged (a duplicate append) changes nothing.
  await storage.save({ entries: [entry(5, 2)] });
  t.deepEqual(indexesAndTerms(await storage.load()), ['1@1', '2@1', '3@1', '4@2', '5@2']);
  await storage.save({ entries: [entry(2, 3)] });
  t.deepEqual(indexesAndTerms(await storage.load()), ['1@1', '2@3']);
});

test('a batch that would leave a gap is refused and writes nothing', async (t) => {
  const { storage } = await openTemp(t);
  await storage.save({ entries: entries(1, 3, 1) });
  const before = await storage.load();
  await t.throwsAsync(storage.save({ entries: [entry(5, 1)], hardState: hardState(1, 5) }), { message: /gap after the last stored index 3/ });
  await t.throwsAsync(storage.save({ entries: [entry(4, 1), entry(6, 1)] }), { message: /contiguous/ });
  t.deepEqual(await storage.load(), before);
});

test('a batch is atomic: a failure after its snapshot was written rolls the snapshot back', async (t) => {
  const { storage } = await openTemp(t);
  await storage.save({ entries: entries(1, 5, 1), hardState: hardState(1, 2) });
  const before = await storage.load();
  // The snapshot (keep-suffix, log then ends at 5) is written first inside the
  // transaction; the entries then leave a gap, so the whole batch must go.
  const bad = storage.save({ snapshot: snapshot(3, 1), entries: [entry(7, 1)], hardState: hardState(4, 7) });
  // A good save queued in the same event turn shares the LMDB transaction and must still land.
  const good = storage.save({ entries: [entry(6, 1)] });
  await t.throwsAsync(bad, { message: /gap/ });
  await good;
  t.deepEqual(await storage.load(), { ...before, entries: [...before.entries, entry(6, 1)] });
});

test('compaction keeps the snapshot and drops entries up to its index', async (t) => {
  const { storage } = await openTemp(t);
  await storage.save({ entries: entries(1, 8, 1), hardState: hardState(1, 6) });
  await storage.compact(snapshot(5, 1));
  const loaded = await storage.load();
  t.deepEqual(loaded.snapshot, snapshot(5, 1));
  t.deepEqual(indexesAndTerms(loaded), ['6@1', '7@1', '8@1']);
  t.deepEqual(loaded.hardState, hardState(1, 6));
  // An older (or equal) snapshot is ignored.
  await storage.compact(snapshot(4, 1));
  t.deepEqual(await storage.load(), loaded);
  // Compacting the whole log leaves just the snapshot; appends continue after it.
  await storage.compact(snapshot(8, 1));
  await storage.save({ entries: [entry(9, 2)] });
  const after = await storage.load();
  t.is(Number(after.snapshot?.meta.index), 8);
  t.deepEqual(indexesAndTerms(after), ['9@2']);
});

test('installing a snapshot the log does not hold replaces the whole log (§7)', async (t) => {
  const { storage } = await openTemp(t);
  await storage.save({ entries: entries(1, 6, 1) });
  // Entry 4 has term 1, the snapshot says term 2: the suffix is not trustworthy.
  await storage.save({ snapshot: snapshot(4, 2), hardState: hardState(2, 4) });
  t.deepEqual(indexesAndTerms(await storage.load()), []);
  // A snapshot beyond the log replaces it too.
  await storage.save({ entries: entries(5, 6, 2) });
  await storage.save({ snapshot: snapshot(10, 3), entries: [entry(11, 3)] });
  const loaded = await storage.load();
  t.is(Number(loaded.snapshot?.meta.index), 10);
  t.deepEqual(indexesAndTerms(loaded), ['11@3']);
});

test('entries the snapshot already covers are skipped', async (t) => {
  const { storage } = await openTemp(t);
  await storage.save({ snapshot: snapshot(5, 2) });
  await storage.save({ entries: entries(3, 7, 2) });
  t.deepEqual(indexesAndTerms(await storage.load()), ['6@2', '7@2']);
});

test('close and reopen recovers exactly what was saved', async (t) => {
  const dir = tempDir(t);
  const first = await LmdbRaftStorage.open(dir);
  await first.save({ entries: entries(1, 10, 1), hardState: hardState(1, 3, 'm2') });
  await first.compact(snapshot(4, 1));
  await first.save({ entries: [entry(9, 2), entry(10, 2), entry(11, 2)], hardState: hardState(2, 9, 'm1') });
  const saved = await first.load();
  await first.close();
  await t.throwsAsync(first.load(), { message: /closed/ });

  const second = await LmdbRaftStorage.open(dir);
  t.teardown(() => second.close());
  t.deepEqual(await second.load(), saved);
  t.deepEqual(indexesAndTerms(saved), ['5@1', '6@1', '7@1', '8@1', '9@2', '10@2', '11@2']);
});

test('a multi-megabyte snapshot survives a small initial map size', async (t) => {
  const dir = tempDir(t);
  const storage = await LmdbRaftStorage.open(dir, { mapSize: 1 << 20 });
  const big = new Uint8Array(3 << 20).map((_, i) => i % 251);
  await storage.save({ snapshot: snapshot(2, 1, big) });
  await storage.close();
  const reopened = await LmdbRaftStorage.open(dir);
  t.teardown(() => reopened.close());
  const data = (await reopened.load()).snapshot?.data ?? new Uint8Array(0);
  // Buffer.equals, not deepEqual: ava's deep diff of 3 MB takes seconds.
  t.true(Buffer.from(data).equals(big));
});
