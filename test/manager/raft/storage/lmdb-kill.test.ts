// kill -9 while a child process is saving: every index the child printed as
// acknowledged (printed after save() resolved) must be there after reopening,
// the log must be intact, and the in-flight batch must have landed whole or
// not at all. SIGKILL leaves the page cache alone, so this tests LMDB's crash
// atomicity and our recovery, not fsync (power loss cannot be simulated here).
import test from 'ava';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { LmdbRaftStorage } from '../../../../src/manager/raft/storage/lmdb-raft-storage.js';
import { KILL_TERM, entry, tempDir } from './helpers/fixtures.js';

const WRITER = fileURLToPath(new URL('./helpers/kill-writer.ts', import.meta.url));

interface Round {
  /** The last index the child had when it started. */
  readonly start: number;
  /** The highest index acknowledged before the kill. */
  readonly acked: number;
}

/** Runs the writer on `dir` and SIGKILLs it when it has acknowledged `acks` saves. */
function writeThenKill(dir: string, acks: number): Promise<Round> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import=tsx', WRITER, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let start = -1;
    let acked = -1;
    let seen = 0;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [word, value] = line.split(' ');
      if (word === 'ready') start = Number(value);
      if (word !== 'acked') return;
      // Lines that arrive after the kill signal were still acknowledged.
      acked = Math.max(acked, Number(value));
      if (++seen === acks) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL' && acked > start && start >= 0) resolve({ start, acked });
      else reject(new Error(`writer ended with code ${String(code)} signal ${String(signal)} after ${seen} acks`));
    });
  });
}

test('acknowledged saves survive SIGKILL mid-stream, twice in a row', async (t) => {
  const dir = tempDir(t);
  let previous = 0;
  for (const acks of [150, 80]) {
    const round = await writeThenKill(dir, acks);
    t.is(round.start, previous, 'the restarted writer resumes from the recovered log');

    const storage = await LmdbRaftStorage.open(dir);
    const state = await storage.load(); // verifies checksums and continuity
    await storage.close();

    const snapshotIndex = state.snapshot?.meta.index ?? 0;
    const last = state.entries.at(-1)?.index ?? snapshotIndex;
    t.true(last >= round.acked, `last stored index ${last} must cover acked ${round.acked}`);
    // Each batch carries commit = its last index: equal means no torn batch.
    t.is(Number(state.hardState.commit), last);
    t.true(snapshotIndex > 0, 'the writer compacted at least once');
    t.is(Number(state.entries[0]?.index), snapshotIndex + 1);
    t.log(`round: acked ${round.acked}, recovered last ${last} (in-flight batch ${last > round.acked ? "landed" : "lost or none"})`);
    for (const e of state.entries) t.deepEqual(e, entry(e.index, KILL_TERM));
    previous = last;
  }
});
