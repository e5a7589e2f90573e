// One simulated run, start to verdict:
//   1. chaos: `steps` events with the profile's faults; the safety checks
//      run after every event;
//   2. heal: faults off, crashed members restarted; within bounded virtual
//      time there must be a leader that a majority follows, and a write
//      called after healing must be acknowledged;
//   3. settle: clients stop; every member of the configuration must apply
//      every acknowledged write;
//   4. the client history must be linearizable.
import { checkHistory, explainResult, kvModel } from '../lincheck/index.js';
import type { Verdict } from '../lincheck/index.js';
import { CLIENT_TIMEOUT } from './clients.js';
import type { PartialOptions, SimOptions } from './options.js';
import { replayCommand, resolveOptions } from './options.js';
import { hashString } from './rng.js';
import { Simulation } from './simulation.js';
import { Trace } from './trace.js';
import type { ViolationKind } from './violation.js';
import { SimViolation } from './violation.js';

/**
 * Virtual ms allowed after healing: for a leader (10 to 20 election
 * timeouts; seeds 1-300 need at most 350), for an acknowledged write (a
 * client may first wait out a 600 ms timeout), and for every member to catch up.
 */
export const LEADER_BOUND = 2000;
export const PROGRESS_BOUND = 3000;
export const SETTLE_BOUND = 3000;
/** Search steps the linearizability check may take before answering "unknown". */
const LINCHECK_STEPS = 2_000_000;

export interface SimStats {
  readonly steps: number;
  readonly virtualMs: number;
  readonly operations: number;
  readonly acknowledgedWrites: number;
  readonly pendingWrites: number;
  readonly terms: number;
  readonly highestCommit: number;
  readonly crashes: number;
  readonly pauses: number;
  readonly partitions: number;
  readonly confChanges: number;
  readonly transfers: number;
  readonly snapshotsSent: number;
  /** Virtual ms from healing to a leader a majority follows, and to the first write acknowledged after healing. */
  readonly leaderAfterHealMs: number;
  readonly writeAfterHealMs: number;
  readonly linearizability: Verdict | 'not-checked';
  /** A digest of the history and final state: equal runs have equal fingerprints. */
  readonly fingerprint: number;
}

export interface SimFailure {
  readonly kind: ViolationKind | 'exception';
  readonly message: string;
  readonly step: number;
  readonly virtualMs: number;
}

export interface SimResult {
  readonly options: SimOptions;
  readonly failure: SimFailure | null;
  readonly stats: SimStats;
  /** The event log, when the run was traced. */
  readonly trace: readonly string[];
}

async function runUntil(sim: Simulation, done: () => boolean, deadline: number): Promise<boolean> {
  while (!done()) {
    if (sim.queue.now > deadline) return false;
    if (!(await sim.step())) return false;
  }
  return true;
}

function liveness(sim: Simulation, what: string): SimViolation {
  const members = [...sim.members.values()].map((m) => m.describe()).join('; ');
  return new SimViolation('liveness', `${what} (${members})`);
}

interface Timings {
  leaderAfterHealMs: number;
  writeAfterHealMs: number;
}

async function phases(sim: Simulation, timings: Timings): Promise<Verdict | 'not-checked'> {
  await sim.start();
  for (let i = 0; i < sim.options.steps; i++) if (!(await sim.step())) break;

  await sim.heal();
  const healedAt = sim.queue.now;
  if (!(await runUntil(sim, () => sim.leaderEstablished(), healedAt + LEADER_BOUND))) {
    throw liveness(sim, `no leader followed by a majority within ${LEADER_BOUND} ms of healing`);
  }
  timings.leaderAfterHealMs = sim.queue.now - healedAt;
  if (!(await runUntil(sim, () => sim.clients.lastAckedCall >= healedAt, healedAt + PROGRESS_BOUND))) {
    throw liveness(sim, `no write called after healing was acknowledged within ${PROGRESS_BOUND} ms`);
  }
  timings.writeAfterHealMs = sim.queue.now - healedAt;
  sim.clients.stopping = true;
  await runUntil(sim, () => sim.clients.idle, sim.queue.now + CLIENT_TIMEOUT + 10);
  const target = sim.clients.maxAckedIndex;
  const caughtUp = (): boolean => sim.liveMembers().every((m) => (m.up?.applied ?? -1) >= target);
  if (!(await runUntil(sim, caughtUp, sim.queue.now + SETTLE_BOUND))) {
    throw liveness(sim, `acknowledged writes up to index ${target} not applied on every member of ${JSON.stringify(sim.confState())}`);
  }

  const history = sim.clients.history;
  const result = checkHistory(kvModel, history, { maxSteps: LINCHECK_STEPS });
  if (result.verdict === 'not-linearizable') throw new SimViolation('linearizability', explainResult(kvModel, history, result));
  return result.verdict;
}

/** Runs one seed. With `trace`, every event is logged (and passed to `sink` as it happens). */
export async function runSimulation(given: PartialOptions, trace = false, sink?: (line: string) => void): Promise<SimResult> {
  const options = resolveOptions(given);
  const log = new Trace(trace, sink);
  const sim = new Simulation(options, log);
  let failure: SimFailure | null = null;
  let verdict: Verdict | 'not-checked' = 'not-checked';
  const timings: Timings = { leaderAfterHealMs: -1, writeAfterHealMs: -1 };
  try {
    verdict = await phases(sim, timings);
  } catch (err) {
    const kind = err instanceof SimViolation ? err.kind : 'exception';
    const message = err instanceof SimViolation ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
    failure = { kind, message, step: sim.steps, virtualMs: sim.queue.now };
    sim.log(`FAILED at step ${sim.steps}: ${kind}: ${message.split('\n')[0] ?? ''}`);
  }
  const history = sim.clients.history;
  const final = [...sim.members.values()].map((m) => m.describe()).join(';');
  return {
    options,
    failure,
    trace: log.lines,
    stats: {
      steps: sim.steps,
      virtualMs: sim.queue.now,
      operations: history.length,
      acknowledgedWrites: sim.clients.acknowledged,
      pendingWrites: history.filter((o) => 'pending' in o).length,
      terms: sim.monitor.leaderCount,
      highestCommit: sim.monitor.highestCommit,
      crashes: sim.nemesis.crashes,
      pauses: sim.nemesis.pauses,
      partitions: sim.nemesis.partitions,
      confChanges: sim.nemesis.changes,
      transfers: sim.nemesis.transfers,
      snapshotsSent: sim.snapshotsSent,
      ...timings,
      linearizability: verdict,
      fingerprint: hashString(final, hashString(JSON.stringify(history))),
    },
  };
}

/** A failing seed, said so that a person can replay it. */
export function describeFailure(result: SimResult, traceTail: readonly string[] = []): string {
  const f = result.failure;
  if (f === null) return `seed ${result.options.seed}: ok`;
  const o = result.options;
  const lines = [
    `seed ${o.seed} FAILED (${o.members} members, profile ${o.profile}, pre-vote ${o.preVote}, check-quorum ${o.checkQuorum}, snapshot every ${o.snapshotEvery}, ` +
      `heartbeat ${o.flow.heartbeatTicks} ticks, window ${o.flow.maxInflightMsgs}, ${o.flow.maxSizePerMsg} bytes per append${o.fault === 'none' ? '' : `, fault ${o.fault}`})`,
    `  at step ${f.step}, ${f.virtualMs} virtual ms: ${f.kind}`,
    ...f.message.split('\n').map((l) => `  ${l}`),
  ];
  if (traceTail.length > 0) lines.push(`  last ${traceTail.length} trace lines:`, ...traceTail.map((l) => `    ${l}`));
  lines.push(`  replay: ${replayCommand(o)}`);
  return lines.join('\n');
}
