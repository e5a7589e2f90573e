// A deterministic simulator for the Raft core (after FoundationDB's and
// TigerBeetle's simulation testing): members driven by a sim driver that
// follows the driver contract, over a seeded network and seeded disks, under
// a nemesis, with Raft's safety properties checked after every event and
// liveness plus linearizability checked after the faults heal.
//
//   rng.ts            seeded streams (xoshiro128**)
//   event-queue.ts    virtual time
//   network.ts        loss, duplication, delay, (asymmetric) partitions
//   sim-member.ts     RaftNode + sim driver + disk + KV state machine
//   client-requests.ts, kv-sim-machine.ts
//   clients.ts        put / get (ReadIndex) / cas clients and their history
//   nemesis.ts        partitions, crashes, membership changes, transfers
//   safety-monitor.ts election safety, log matching, leader completeness,
//                     state machine safety (leader append-only: sim-member.ts)
//   durability-monitor.ts  a restarted member keeps what its messages promised
//   simulation.ts     the world; run.ts the phases and the verdict
//   cli.ts            npx tsx src/manager/raft/sim/cli.ts --seed N --trace | --seeds COUNT
export type { DriverFault, PartialOptions, Profile, ProfileName, SimOptions } from './options.js';
export { DRIVER_FAULTS, PROFILE, PROFILES, replayCommand, resolveOptions } from './options.js';
export type { SimFailure, SimResult, SimStats } from './run.js';
export { describeFailure, runSimulation } from './run.js';
export type { ViolationKind } from './violation.js';
export { SimViolation } from './violation.js';
