// The updater: rolling updates and rollbacks of replicated and global
// services (swarmkit manager/orchestrator/update, Docker's
// `--update-*`/`--rollback-*` semantics).
//
// ## Contract with the orchestrators (agreed by data in the store)
//
// - A slot is a replicated task's Slot number, or a global task's NodeID.
//   A task is *live* while its DesiredState is `ready` or `running` and its
//   observed state is at most `running`. A slot with a live task is occupied:
//   the orchestrator must not create another task for it, and must count a
//   task at desired `ready` as occupying its slot (a stop-first replacement
//   waiting for its predecessor to stop).
// - The orchestrator creates tasks for slots with no live task (new slots,
//   restarts after a failure) with the service's current spec and
//   SpecVersion; it removes slots on scale-down. The updater never touches
//   a slot without a live task.
// - The updater replaces live tasks whose spec is outdated (`isTaskDirty`):
//   it creates the replacement in the same slot (same Slot, or same NodeID
//   for global) with ServiceVersion = the service's SpecVersion, and sets
//   the old tasks' DesiredState to `shutdown`. It only ever moves desired
//   states forward (`ready` -> `running` -> `shutdown`) and never writes
//   observed state. stop-first: the new task is created at desired `ready`
//   and raised to `running` once the old one stopped (or after
//   `oldTaskTimeoutMs`); start-first: it is created at `running` and the old
//   one is shut down once the new one is observed running.
// - The updater owns Service.UpdateStatus (and, for FailureAction rollback,
//   swaps the spec back); `updateServiceSpec` clears the status, which is
//   what starts, supersedes or resumes an update.
// - Jobs are never updated here (no update config).
//
// ## Use
//
//   const updater = new Updater({ store, clock, settings: { startTimeoutMs } });
//   updater.start(signal);   // watches services and tasks
//   await updater.stop();
//
// The decision itself is `decide(input) -> UpdatePlan` (pure), applied with
// `applyPlan(tx, plan)`.
export { applyPlan } from './apply-plan.js';
export type { Clock } from './clock.js';
export { systemClock } from './clock.js';
export type { DecideInput } from './decide.js';
export { decide } from './decide.js';
export { exceedsFailureRatio } from './failure-ratio.js';
export * as messages from './messages.js';
export type { DesiredChange, ServiceChange, UpdatePlan } from './plan.js';
export { writesNothing } from './plan.js';
export { autoRollback, rollbackToVersion } from './rollback-spec.js';
export type { UpdaterOptions } from './runner.js';
export { Updater } from './runner.js';
export type { UpdaterSettings } from './settings.js';
export { DEFAULT_UPDATER_SETTINGS } from './settings.js';
export type { Slot, SlotWork } from './slots.js';
export { groupBySlot, isLive, isTaskDirty, slotWork } from './slots.js';
export type { Progress, Replacement, Target, UpdaterState } from './updater-state.js';
export { IDLE } from './updater-state.js';
