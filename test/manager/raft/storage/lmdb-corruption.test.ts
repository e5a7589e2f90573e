// Damaged records must be reported, never used: each test writes a healthy
// log, damages one record through a raw LMDB handle, and expects load() to
// throw StorageCorruptError naming that record.
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { LmdbRaftStorage } from '../../../../src/manager/raft/storage/lmdb-raft-storage.js';
import { STATE_KEY, entryKey } from '../../../../src/manager/raft/storage/lmdb-layout.js';
import { StorageCorruptError } from '../../../../src/manager/raft/types.js';
import type { RawLmdb } from './helpers/fixtures.js';
import { entries, hardState, snapshot, tempDir, withRawLmdb } from './helpers/fixtures.js';

/** A log with snapshot at 2 and entries 3..6, then `damage`, then load(). */
async function loadAfter(t: ExecutionContext, damage: (raw: RawLmdb) => Promise<void>): Promise<StorageCorruptError | undefined> {
  const dir = tempDir(t);
  const storage = await LmdbRaftStorage.open(dir);
  await storage.save({ entries: entries(1, 6, 1), hardState: hardState(1, 4, 'm1') });
  await storage.compact(snapshot(2, 1, new Uint8Array(5000).fill(3)));
  await storage.close();
  await withRawLmdb(dir, damage);
  const reopened = await LmdbRaftStorage.open(dir);
  t.teardown(() => reopened.close());
  return t.throwsAsync(reopened.load(), { instanceOf: StorageCorruptError });
}

function flipped(value: Buffer | undefined, at: number): Buffer {
  if (value === undefined) throw new Error('record to damage is missing');
  const copy = Buffer.from(value);
  const i = at < 0 ? copy.length + at : at;
  copy[i] = (copy[i] ?? 0) ^ 0x10;
  return copy;
}

test('a bit flipped in an entry payload is reported with the entry index', async (t) => {
  const error = await loadAfter(t, async (raw) => {
    await raw.entries.put(entryKey(4), flipped(raw.entries.get(entryKey(4)), -1));
  });
  t.is(error?.record, 'entry 4');
  t.regex(error?.message ?? '', /checksum mismatch/);
});

test('a bit flipped in a stored checksum is reported', async (t) => {
  const error = await loadAfter(t, async (raw) => {
    await raw.entries.put(entryKey(5), flipped(raw.entries.get(entryKey(5)), 0));
  });
  t.is(error?.record, 'entry 5');
});

test('a truncated (torn) entry record is reported', async (t) => {
  const error = await loadAfter(t, async (raw) => {
    const value = raw.entries.get(entryKey(3));
    await raw.entries.put(entryKey(3), Buffer.from(value ?? Buffer.alloc(0)).subarray(0, 9));
  });
  t.is(error?.record, 'entry 3');
});

test('a record shorter than its header is reported', async (t) => {
  const error = await loadAfter(t, async (raw) => {
    await raw.entries.put(entryKey(6), Buffer.from([1, 2]));
  });
  t.is(error?.record, 'entry 6');
  t.regex(error?.message ?? '', /shorter than a record header/);
});

test('a damaged hard state is reported', async (t) => {
  const error = await loadAfter(t, async (raw) => {
    await raw.state.put(STATE_KEY.hardState, flipped(raw.state.get(STATE_KEY.hardState), 7));
  });
  t.is(error?.record, 'hard-state');
});

test('a damaged byte deep inside the snapshot data is reported', async (t) => {
  const error = await loadAfter(t, async (raw) => {
    await raw.state.put(STATE_KEY.snapshotData, flipped(raw.state.get(STATE_KEY.snapshotData), 4000));
  });
  t.is(error?.record, 'snapshot-data');
});

test('a damaged snapshot meta is reported', async (t) => {
  const error = await loadAfter(t, async (raw) => {
    await raw.state.put(STATE_KEY.snapshotMeta, flipped(raw.state.get(STATE_KEY.snapshotMeta), 12));
  });
  t.is(error?.record, 'snapshot-meta');
});

test('a missing entry in the middle of the log is reported as a gap', async (t) => {
  const error = await loadAfter(t, async (raw) => {
    await raw.entries.remove(entryKey(4));
  });
  t.is(error?.record, 'entry 5');
  t.regex(error?.message ?? '', /not contiguous: expected index 4 after index 3/);
});

test('a gap right after the snapshot is reported', async (t) => {
  const error = await loadAfter(t, async (raw) => {
    await raw.entries.remove(entryKey(3));
  });
  t.is(error?.record, 'entry 4');
});

test('a valid record stored under the wrong key is reported', async (t) => {
  const error = await loadAfter(t, async (raw) => {
    await raw.entries.put(entryKey(5), Buffer.from(raw.entries.get(entryKey(6)) ?? Buffer.alloc(0)));
  });
  t.is(error?.record, 'entry 5');
  t.regex(error?.message ?? '', /stored under key 5/);
});

test('a damaged format record is refused at open', async (t) => {
  const dir = tempDir(t);
  const storage = await LmdbRaftStorage.open(dir);
  await storage.close();
  await withRawLmdb(dir, async (raw) => {
    await raw.state.put(STATE_KEY.format, flipped(raw.state.get(STATE_KEY.format), -1));
  });
  const error = await t.throwsAsync(LmdbRaftStorage.open(dir), { instanceOf: StorageCorruptError });
  t.is(error?.record, 'format');
});
