// A bounded closed-loop load generator: `clients` callers each issue
// requests back to back until `durationMs` passes or `maxOps` complete.
import { percentile } from './stats.js';

export interface LoadResult {
  readonly ops: number;
  readonly errors: number;
  readonly seconds: number;
  readonly opsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export async function runLoad(opts: {
  clients: number;
  durationMs: number;
  maxOps: number;
  op: (client: number, seq: number) => Promise<void>;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let issued = 0;
  const start = performance.now();
  const deadline = start + opts.durationMs;
  const worker = async (client: number): Promise<void> => {
    while (performance.now() < deadline && issued < opts.maxOps) {
      const seq = issued++;
      const t0 = performance.now();
      try {
        await opts.op(client, seq);
        latencies.push(performance.now() - t0);
      } catch {
        errors++;
        if (errors > 1000) return;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.clients }, (_, i) => worker(i)));
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { ops: latencies.length, errors, seconds, opsPerSec: latencies.length / seconds, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}
