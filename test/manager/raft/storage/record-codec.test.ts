import test from 'ava';
import {
  decodeEntry,
  decodeHardState,
  decodeSnapshotData,
  decodeSnapshotMeta,
  encodeEntry,
  encodeHardState,
  encodeSnapshotData,
  encodeSnapshotMeta,
} from '../../../../src/manager/raft/storage/record-codec.js';
import { StorageCorruptError } from '../../../../src/manager/raft/types.js';
import { entry, hardState, snapshot } from './helpers/fixtures.js';

test('records round-trip, including large and unicode values', (t) => {
  const e = entry(2 ** 40 + 3, 2 ** 33, 'config', new Uint8Array([0, 1, 255]));
  t.deepEqual(decodeEntry(e.index, encodeEntry(e)), e);
  const hs = hardState(2 ** 50, 2 ** 45, 'nœud-é');
  t.deepEqual(decodeHardState(encodeHardState(hs)), hs);
  t.deepEqual(decodeHardState(encodeHardState(hardState(0, 0))), hardState(0, 0));
  const s = snapshot(9, 4);
  t.deepEqual(decodeSnapshotMeta(encodeSnapshotMeta(s.meta, 32)), { meta: s.meta, dataLength: 32 });
  t.deepEqual(decodeSnapshotData(encodeSnapshotData(9, s.data)), { index: 9, data: s.data });
});

test('every single-bit flip in an entry record is detected', (t) => {
  const record = encodeEntry(entry(7, 3));
  for (let byte = 0; byte < record.length; byte++) {
    for (let bit = 0; bit < 8; bit++) {
      const damaged = Buffer.from(record);
      damaged[byte] = (damaged[byte] ?? 0) ^ (1 << bit);
      const error = t.throws(() => decodeEntry(7, damaged), { instanceOf: StorageCorruptError });
      t.is(error?.record, 'entry 7');
    }
  }
});

test('every truncation of a hard state record is detected', (t) => {
  const record = encodeHardState(hardState(5, 4, 'm1'));
  for (let length = 0; length < record.length; length++) {
    t.throws(() => decodeHardState(record.subarray(0, length)), { instanceOf: StorageCorruptError });
  }
});

test('a valid record of another type is refused by its tag', (t) => {
  const error = t.throws(() => decodeEntry(1, encodeHardState(hardState(1, 1))), { instanceOf: StorageCorruptError });
  t.regex(error?.message ?? '', /record tag 2, expected 3/);
});

test('encoding refuses numbers that are not safe u64 integers', (t) => {
  t.throws(() => encodeEntry(entry(1.5, 1)), { message: /invariant violated/ });
  t.throws(() => encodeHardState(hardState(-1, 0)), { message: /invariant violated/ });
});
