// How one simulated run is set up. Everything not given explicitly is drawn
// from the seed (on a stream of its own, so giving it explicitly changes
// nothing else), and the resolved options name the run exactly: replayOptions
// turns them back into a command line.
import { Rng } from './rng.js';

/** Which faults the nemesis injects during the chaos phase. */
export type ProfileName = 'calm' | 'lossy' | 'partitions' | 'crashes' | 'membership' | 'chaos';

export const PROFILES: readonly ProfileName[] = ['calm', 'lossy', 'partitions', 'crashes', 'membership', 'chaos'];

/**
 * A deliberately broken sim driver, to prove the checks can fail:
 * - `send-before-persist`: every member sends a Ready's messages before its
 *   write is durable (votes and acknowledgements that a crash can take back);
 * - `local-read`: members serve gets from their own state, without ReadIndex.
 */
export type DriverFault = 'none' | 'send-before-persist' | 'local-read';

export const DRIVER_FAULTS: readonly DriverFault[] = ['none', 'send-before-persist', 'local-read'];

export interface Profile {
  /** Per-message probabilities while faults are on. */
  readonly loss: number;
  readonly duplicate: number;
  /** A slow message takes 20-150 ms (one in ten 300-1500 ms) instead of 1-8: reordering. */
  readonly slow: number;
  /** How often the nemesis picks each action (relative weights; 0: never); a crash may be a pause, a transfer an early election. */
  readonly nemesis: {
    readonly idle: number;
    readonly partition: number;
    readonly crash: number;
    readonly membership: number;
    readonly transfer: number;
  };
}

export const PROFILE: Readonly<Record<ProfileName, Profile>> = {
  calm: { loss: 0, duplicate: 0, slow: 0.02, nemesis: { idle: 2, partition: 0, crash: 0, membership: 0, transfer: 1 } },
  lossy: { loss: 0.1, duplicate: 0.08, slow: 0.1, nemesis: { idle: 2, partition: 0, crash: 0, membership: 0, transfer: 1 } },
  partitions: { loss: 0.02, duplicate: 0.02, slow: 0.05, nemesis: { idle: 1, partition: 2, crash: 0, membership: 0, transfer: 1 } },
  crashes: { loss: 0.02, duplicate: 0.02, slow: 0.05, nemesis: { idle: 1, partition: 0, crash: 2, membership: 0, transfer: 1 } },
  membership: { loss: 0.02, duplicate: 0.02, slow: 0.05, nemesis: { idle: 1, partition: 0, crash: 1, membership: 4, transfer: 1 } },
  chaos: { loss: 0.08, duplicate: 0.05, slow: 0.1, nemesis: { idle: 1, partition: 2, crash: 2, membership: 2, transfer: 1 } },
};

export interface SimOptions {
  readonly seed: number;
  readonly members: 3 | 5;
  readonly profile: ProfileName;
  /** Events handled in the chaos phase (each followed by the safety checks). */
  readonly steps: number;
  readonly fault: DriverFault;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  /** Take a snapshot every this many applied entries. */
  readonly snapshotEvery: number;
  readonly clients: number;
  /**
   * Check that members restart with what their messages promised. Off only
   * to show that a driver breaking that promise also breaks Raft's own
   * properties (the durability check would name the cause first).
   */
  readonly durabilityCheck: boolean;
  /** Raft flow control and heartbeats, always drawn from the seed: small windows and messages stress the core. */
  readonly flow: {
    readonly heartbeatTicks: number;
    readonly maxInflightMsgs: number;
    readonly maxSizePerMsg: number;
  };
}

export const DEFAULT_STEPS = 4000;

export type PartialOptions = { readonly seed: number } & Partial<Omit<SimOptions, 'seed' | 'flow'>>;

export function resolveOptions(given: PartialOptions): SimOptions {
  const rng = new Rng(given.seed, 'options');
  // Draw every value even when given, so each draw stays at its place in the stream.
  const members = rng.chance(0.5) ? 3 : 5;
  const profile = rng.pick(PROFILES);
  const flags = rng.next();
  const snapshotEvery = rng.int(3, 12);
  const flow = { heartbeatTicks: rng.int(1, 3), maxInflightMsgs: rng.pick([1, 2, 4, 8, 64]), maxSizePerMsg: rng.pick([1, 100, 300, 4096]) };
  return {
    seed: given.seed,
    members: given.members ?? members,
    profile: given.profile ?? profile,
    steps: given.steps ?? DEFAULT_STEPS,
    fault: given.fault ?? 'none',
    // The real driver runs with both on; the others stress other paths of the core.
    preVote: given.preVote ?? flags < 0.8,
    checkQuorum: given.checkQuorum ?? (flags < 0.6 || flags >= 0.9),
    snapshotEvery: given.snapshotEvery ?? snapshotEvery,
    clients: given.clients ?? 4,
    durabilityCheck: given.durabilityCheck ?? true,
    flow,
  };
}

/** The command line that replays exactly this run. */
export function replayCommand(o: SimOptions, trace = true): string {
  const parts = [`npx tsx src/manager/raft/sim/cli.ts --seed ${o.seed} --members ${o.members} --profile ${o.profile} --steps ${o.steps}`];
  const d = resolveOptions({ seed: o.seed });
  if (o.fault !== 'none') parts.push(`--fault ${o.fault}`);
  if (o.preVote !== d.preVote) parts.push(`--pre-vote ${o.preVote}`);
  if (o.checkQuorum !== d.checkQuorum) parts.push(`--check-quorum ${o.checkQuorum}`);
  if (o.snapshotEvery !== d.snapshotEvery) parts.push(`--snapshot-every ${o.snapshotEvery}`);
  if (o.clients !== d.clients) parts.push(`--clients ${o.clients}`);
  if (!o.durabilityCheck) parts.push('--durability-check false');
  if (trace) parts.push('--trace');
  return parts.join(' ');
}
