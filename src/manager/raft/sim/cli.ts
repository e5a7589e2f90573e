// The deterministic Raft simulator from the command line.
//   one seed:   npx tsx src/manager/raft/sim/cli.ts --seed 1234 [--trace]
//   many seeds: npx tsx src/manager/raft/sim/cli.ts --seeds 100000 [--from 1] [--members 5] [--steps N]
// Options: --members 3|5, --profile NAME, --steps N, --fault send-before-persist|local-read,
//   --pre-vote true|false, --check-quorum true|false, --snapshot-every N, --clients N,
//   --durability-check true|false,
//   --stop-after N (failures before a long run stops; default 1).
// Exit status: 0 every seed passed, 1 some seed failed, 2 bad usage.
import type { DriverFault, PartialOptions, ProfileName } from './options.js';
import { DRIVER_FAULTS, PROFILES, replayCommand } from './options.js';
import { describeFailure, runSimulation } from './run.js';

const USAGE =
  'usage: cli.ts (--seed N [--trace] | --seeds COUNT [--from N] [--stop-after N]) [--members 3|5] [--profile NAME] [--steps N] ' +
  '[--fault NAME] [--pre-vote BOOL] [--check-quorum BOOL] [--snapshot-every N] [--clients N] [--durability-check BOOL]';

interface Args {
  readonly seed: number | null;
  readonly seeds: number;
  readonly from: number;
  readonly stopAfter: number;
  readonly trace: boolean;
  readonly options: Omit<PartialOptions, 'seed'>;
}

function parseArgs(argv: readonly string[]): Args | string {
  const values = new Map<string, string>();
  let trace = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--trace') trace = true;
    else if (arg.startsWith('--') && argv[i + 1] !== undefined) values.set(arg.slice(2), argv[++i] ?? '');
    else return `unexpected argument ${arg}`;
  }
  const int = (name: string): number | undefined | string => {
    const v = values.get(name);
    values.delete(name);
    if (v === undefined) return undefined;
    return /^\d+$/.test(v) ? Number(v) : `--${name} needs a whole number, got ${v}`;
  };
  const bool = (name: string): boolean | undefined | string => {
    const v = values.get(name);
    values.delete(name);
    if (v === undefined) return undefined;
    return v === 'true' ? true : v === 'false' ? false : `--${name} needs true or false, got ${v}`;
  };
  const seed = int('seed');
  const seeds = int('seeds');
  const from = int('from');
  const stopAfter = int('stop-after');
  const members = int('members');
  const steps = int('steps');
  const snapshotEvery = int('snapshot-every');
  const clients = int('clients');
  const preVote = bool('pre-vote');
  const checkQuorum = bool('check-quorum');
  const durabilityCheck = bool('durability-check');
  const profile = values.get('profile');
  const fault = values.get('fault');
  values.delete('profile');
  values.delete('fault');
  for (const v of [seed, seeds, from, stopAfter, members, steps, snapshotEvery, clients, preVote, checkQuorum, durabilityCheck]) if (typeof v === 'string') return v;
  const unknown = [...values.keys()][0];
  if (unknown !== undefined) return `unknown option --${unknown}`;
  if (members !== undefined && members !== 3 && members !== 5) return '--members must be 3 or 5';
  if (profile !== undefined && !(PROFILES as readonly string[]).includes(profile)) return `--profile must be one of ${PROFILES.join(', ')}`;
  if (fault !== undefined && !(DRIVER_FAULTS as readonly string[]).includes(fault)) return `--fault must be one of ${DRIVER_FAULTS.join(', ')}`;
  if ((seed === undefined) === (seeds === undefined)) return 'give either --seed or --seeds';
  const options: { -readonly [K in keyof Omit<PartialOptions, 'seed'>]: Omit<PartialOptions, 'seed'>[K] } = {};
  if (members !== undefined) options.members = members as 3 | 5;
  if (profile !== undefined) options.profile = profile as ProfileName;
  if (steps !== undefined) options.steps = steps as number;
  if (fault !== undefined) options.fault = fault as DriverFault;
  if (preVote !== undefined) options.preVote = preVote as boolean;
  if (checkQuorum !== undefined) options.checkQuorum = checkQuorum as boolean;
  if (snapshotEvery !== undefined) options.snapshotEvery = snapshotEvery as number;
  if (clients !== undefined) options.clients = clients as number;
  if (durabilityCheck !== undefined) options.durabilityCheck = durabilityCheck as boolean;
  return {
    seed: (seed as number | undefined) ?? null,
    seeds: (seeds as number | undefined) ?? 0,
    from: (from as number | undefined) ?? 1,
    stopAfter: (stopAfter as number | undefined) ?? 1,
    trace,
    options,
  };
}

/** Trace lines shown with a failure found in a long run (replay the seed for all). */
const TAIL = 60;

const out = (line: string): void => void process.stdout.write(`${line}\n`);

async function one(args: Args, seed: number): Promise<number> {
  const result = await runSimulation({ seed, ...args.options }, args.trace, args.trace ? out : undefined);
  const s = result.stats;
  out(
    `seed ${seed}: ${result.failure === null ? 'ok' : 'FAILED'} (${result.options.members} members, ${result.options.profile}; ` +
      `${s.steps} steps, ${s.virtualMs} virtual ms, ${s.operations} ops, ${s.acknowledgedWrites} acked writes, ${s.terms} leaders, ` +
      `${s.crashes} crashes, ${s.pauses} pauses, ${s.partitions} partitions, ${s.confChanges} conf changes, ${s.snapshotsSent} snapshots sent; ` +
      `history ${s.linearizability}; fingerprint ${s.fingerprint.toString(16)})`,
  );
  if (result.failure !== null) out(describeFailure(result));
  return result.failure === null ? 0 : 1;
}

async function many(args: Args): Promise<number> {
  const started = performance.now();
  let failures = 0;
  let unknown = 0;
  let lastReport = started;
  for (let i = 0; i < args.seeds; i++) {
    const seed = args.from + i;
    // A run only yields to microtasks: give signals (Ctrl-C) a turn between seeds.
    await new Promise((resolve) => setImmediate(resolve));
    const result = await runSimulation({ seed, ...args.options });
    if (result.stats.linearizability === 'unknown') {
      unknown++;
      out(`seed ${seed}: history undecided (the linearizability check ran out of search steps); replay: ${replayCommand(result.options, false)}`);
    }
    if (result.failure !== null) {
      failures++;
      // Run it again with the trace on, for the tail of the event log.
      const traced = await runSimulation(result.options, true);
      const same = traced.stats.fingerprint === result.stats.fingerprint;
      out(describeFailure(result, same ? traced.trace.slice(-TAIL) : ['(the traced run diverged: the simulator is not deterministic!)']));
      if (failures >= args.stopAfter) break;
    }
    const now = performance.now();
    if (now - lastReport > 5000 || i + 1 === args.seeds) {
      lastReport = now;
      const rate = ((i + 1) / ((now - started) / 1000)).toFixed(1);
      out(`${i + 1}/${args.seeds} seeds (up to ${seed}), ${failures} failed, ${unknown} histories undecided, ${rate} seeds/s`);
    }
  }
  return failures > 0 ? 1 : 0;
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n${USAGE}\n`);
    return 2;
  }
  return args.seed !== null ? one(args, args.seed) : many(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`simulator failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 2;
  },
);
