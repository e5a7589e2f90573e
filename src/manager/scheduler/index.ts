// The scheduler (issue 5): a pure core that plans placements, and the service
// that runs it against the store. See schedule.ts and scheduler.ts.
export { schedule, type ScheduleInput } from './schedule.js';
export type { Assignment, Plan, Unschedulable } from './plan.js';
export { Scheduler, readInput, realTimer, type Disposer, type RoundReport, type SchedulerOptions, type SetTimer } from './scheduler.js';
export { writePlan, splitPlan, type WriteCounts } from './apply-plan.js';
export { needsRound } from './round-trigger.js';
export { seededRng, type Rng } from './rng.js';
export { ASSIGNED_MESSAGE, CONFIRMED_MESSAGE, FILTER_NAMES, explainFilter, noSuitableNode, type FilterName, type Rejection } from './explain.js';
export { taskRole, type TaskRole } from './node-info.js';
