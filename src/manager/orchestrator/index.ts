// The orchestrators (issue 5): what the manager wires up while it leads, and
// the pure deciders for tools and tests.
export type { ApplyOutcome, SkippedStep } from './apply-plan.js';
export { applyPlan } from './apply-plan.js';
export type { Clock, RandomBytes } from './clock.js';
export { seededBytes, systemClock, taskIdSource } from './clock.js';
export { decideGlobal } from './global.js';
export { decideGlobalJob, decideJob, decideReplicatedJob } from './jobs.js';
export type { Plan, PlanOp, PlanStep } from './plan.js';
export type { LoopDeps, LoopSpec, SupervisedService } from './reconcile-loop.js';
export { ReconcileLoop } from './reconcile-loop.js';
export { decideReplicated } from './replicated.js';
export { recordRestart, shouldRestart } from './restart-policy.js';
export type { DecideContext } from './restart-supervisor.js';
export { OLD_TASK_TIMEOUT_MS } from './restart-supervisor.js';
export type { Orchestrators, ReaperOptions } from './runners.js';
export { createOrchestrators, globalOrchestrator, jobsOrchestrator, replicatedOrchestrator, taskReaper } from './runners.js';
export { decideServiceRemoval } from './service-removal.js';
export { decideReap } from './task-reaper.js';
