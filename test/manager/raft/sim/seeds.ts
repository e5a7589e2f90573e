// Runs simulator seeds inside a test: every failure is reported with its
// seed, the tail of its replayed trace and the command line that replays it.
import type { ExecutionContext } from 'ava';
import type { PartialOptions } from '../../../../src/manager/raft/sim/options.js';
import type { SimResult } from '../../../../src/manager/raft/sim/run.js';
import { describeFailure, runSimulation } from '../../../../src/manager/raft/sim/run.js';

/** Trace lines shown with a failure (the replay command gives them all). */
const TAIL = 80;

export function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}

/** Runs each seed; fails the test with a replayable report of the first failures. */
export async function passSeeds(t: ExecutionContext, seeds: readonly number[], given: Omit<PartialOptions, 'seed'> = {}): Promise<SimResult[]> {
  const failures: string[] = [];
  const results: SimResult[] = [];
  for (const seed of seeds) {
    const r = await runSimulation({ seed, ...given });
    results.push(r);
    if (r.failure === null) continue;
    const traced = await runSimulation(r.options, true);
    failures.push(describeFailure(r, traced.trace.slice(-TAIL)));
    if (failures.length >= 3) break;
  }
  t.is(failures.length, 0, `\n${failures.join('\n\n')}`);
  const undecided = results.filter((r) => r.stats.linearizability === 'unknown').map((r) => r.options.seed);
  const steps = results.reduce((n, r) => n + r.stats.steps, 0);
  const ops = results.reduce((n, r) => n + r.stats.operations, 0);
  t.log(`${results.length} seeds, ${steps} steps, ${ops} client operations${undecided.length > 0 ? `; histories undecided: ${undecided.join(', ')}` : ''}`);
  return results;
}
