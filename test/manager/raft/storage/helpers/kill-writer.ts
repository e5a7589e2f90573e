// Child process for the kill -9 test: `node --import=tsx kill-writer.ts DIR`.
// Appends batches forever (compacting now and then) and prints
// `acked <lastIndex>` only after each save() has resolved. Every batch sets
// hard state commit = its own last index, so after a crash the stored commit
// must equal the stored last index (a batch landed whole or not at all).
import { LmdbRaftStorage } from '../../../../../src/manager/raft/storage/lmdb-raft-storage.js';
import { KILL_TERM, entry, hardState, snapshot } from './fixtures.js';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: kill-writer.ts DIR');

const storage = await LmdbRaftStorage.open(dir);
const recovered = await storage.load();
let last = recovered.entries.at(-1)?.index ?? recovered.snapshot?.meta.index ?? 0;
process.stdout.write(`ready ${last}\n`);

for (let n = 0; ; n++) {
  const count = 1 + (n % 7);
  const batch = Array.from({ length: count }, (_, i) => entry(last + 1 + i, KILL_TERM));
  last += count;
  await storage.save({ entries: batch, hardState: hardState(KILL_TERM, last, 'm1') });
  process.stdout.write(`acked ${last}\n`);
  if (n % 20 === 19) await storage.compact(snapshot(last - 5, KILL_TERM));
}
