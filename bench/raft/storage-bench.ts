// Latency and throughput of LmdbRaftStorage.save(), every save fsynced.
//   npx tsx bench/raft/storage-bench.ts [saves-per-case]
// Cases: a batch of 1 entry or 64 entries (100 bytes each) plus hard state,
// issued one at a time (await each: the Raft driver's persist-then-send) and
// with 8 saves in flight (they share one LMDB transaction and one fsync).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asNodeId } from '../../src/api/ids.js';
import { LmdbRaftStorage } from '../../src/manager/raft/storage/lmdb-raft-storage.js';
import { asIndex, asTerm } from '../../src/manager/raft/types.js';
import type { Entry, SaveBatch } from '../../src/manager/raft/types.js';

const SAVES = Number(process.argv[2] ?? 2000);
const ENTRY_BYTES = 100;

interface Result {
  readonly name: string;
  readonly p50: number;
  readonly p99: number;
  readonly savesPerSec: number;
  readonly entriesPerSec: number;
}

function makeBatch(first: number, count: number): SaveBatch {
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    entries.push({ index: asIndex(first + i), term: asTerm(1), kind: 'normal', data: new Uint8Array(ENTRY_BYTES).fill(i & 0xff) });
  }
  return { entries, hardState: { term: asTerm(1), vote: asNodeId('m1'), commit: asIndex(first) } };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

async function runCase(name: string, batchSize: number, inFlight: number): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-storage-bench-'));
  const storage = await LmdbRaftStorage.open(dir);
  try {
    let next = 1;
    const one = async (): Promise<number> => {
      const batch = makeBatch(next, batchSize);
      next += batchSize;
      const start = performance.now();
      await storage.save(batch);
      return performance.now() - start;
    };
    for (let i = 0; i < 50; i++) await one(); // warm up
    const latencies: number[] = [];
    const began = performance.now();
    // `inFlight` workers each await their own saves: concurrent saves started
    // in the same event turn share a transaction (group commit).
    const perWorker = Math.ceil(SAVES / inFlight);
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        for (let i = 0; i < perWorker; i++) latencies.push(await one());
      }),
    );
    const seconds = (performance.now() - began) / 1000;
    latencies.sort((a, b) => a - b);
    const saves = perWorker * inFlight;
    return {
      name,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      savesPerSec: saves / seconds,
      entriesPerSec: (saves * batchSize) / seconds,
    };
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const results: Result[] = [];
for (const [name, batchSize, inFlight] of [
  ['batch 1, sequential', 1, 1],
  ['batch 64, sequential', 64, 1],
  ['batch 1, 8 in flight', 1, 8],
  ['batch 64, 8 in flight', 64, 8],
] as const) {
  results.push(await runCase(name, batchSize, inFlight));
}
console.log(`LmdbRaftStorage.save, ${SAVES} saves per case, ${ENTRY_BYTES}-byte entries + hard state, fsync per commit`);
console.table(
  results.map((r) => ({
    case: r.name,
    'p50 ms': r.p50.toFixed(3),
    'p99 ms': r.p99.toFixed(3),
    'saves/s': Math.round(r.savesPerSec),
    'entries/s': Math.round(r.entriesPerSec),
  })),
);
