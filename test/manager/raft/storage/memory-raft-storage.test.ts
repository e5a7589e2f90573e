import test from 'ava';
import { MemoryRaftStorage } from '../../../../src/manager/raft/storage/memory-raft-storage.js';
import { entries, entry, hardState, snapshot } from './helpers/fixtures.js';

test('immediate mode: saves land at once, with truncation and compaction', async (t) => {
  const storage = new MemoryRaftStorage();
  await storage.save({ entries: entries(1, 6, 1), hardState: hardState(1, 2, 'm1') });
  await storage.save({ entries: [entry(4, 2)] });
  await storage.compact(snapshot(2, 1));
  t.deepEqual(await storage.load(), {
    hardState: hardState(1, 2, 'm1'),
    snapshot: snapshot(2, 1),
    entries: [entry(3, 1), entry(4, 2)],
  });
  t.is(storage.pendingCount, 0);
});

test('saved bytes are copied: the caller may reuse its buffers', async (t) => {
  const storage = new MemoryRaftStorage();
  const data = new Uint8Array([1, 2, 3]);
  await storage.save({ entries: [entry(1, 1, 'normal', data)] });
  data[0] = 99;
  t.deepEqual((await storage.load()).entries[0]?.data, new Uint8Array([1, 2, 3]));
});

test('misuse rejects and changes nothing', async (t) => {
  const storage = new MemoryRaftStorage({ durability: 'manual' });
  await t.throwsAsync(storage.save({ entries: [entry(2, 1)] }), { message: /gap/ });
  t.is(storage.pendingCount, 0);
  t.deepEqual((await storage.load()).entries, []);
});

test('manual mode: a save resolves only when the simulator flushes it', async (t) => {
  const storage = new MemoryRaftStorage({ durability: 'manual' });
  let resolved = false;
  const saved = storage.save({ entries: [entry(1, 1)] }).then(() => {
    resolved = true;
  });
  // The running node reads its own unflushed write back.
  t.deepEqual((await storage.load()).entries, [entry(1, 1)]);
  t.false(resolved);
  t.is(storage.pendingCount, 1);
  t.is(storage.flush(), 1);
  await saved;
  t.true(resolved);
  t.is(storage.pendingCount, 0);
});

test('manual mode: a crash loses exactly the batches not yet flushed', async (t) => {
  const storage = new MemoryRaftStorage({ durability: 'manual' });
  const a = storage.save({ entries: entries(1, 2, 1), hardState: hardState(1, 0) });
  const b = storage.save({ entries: entries(3, 4, 1), hardState: hardState(1, 2) });
  void storage.save({ entries: [entry(3, 2)], hardState: hardState(2, 2, 'm2') });
  t.is(storage.flush(2), 2);
  await Promise.all([a, b]);
  t.is(storage.crash(), 1);
  await t.throwsAsync(storage.load(), { message: /closed/ });

  storage.reopen();
  t.deepEqual(await storage.load(), { hardState: hardState(1, 2), snapshot: null, entries: entries(1, 4, 1) });
});

test('manual mode: close flushes pending batches, like a clean shutdown', async (t) => {
  const storage = new MemoryRaftStorage({ durability: 'manual' });
  const saved = storage.save({ entries: [entry(1, 1)] });
  await storage.close();
  await saved;
  t.is(storage.crash(), 0);
  storage.reopen();
  t.deepEqual((await storage.load()).entries, [entry(1, 1)]);
});
