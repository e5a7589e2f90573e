// What the orchestrators' deciders return: plain data (STYLE.md rule 6,
// after Nomad's reconciler results). A plan is a list of steps; each step is
// applied whole or not at all, after the applier has checked it against the
// latest state (apply-plan.ts). `why` says in words what the step is for, for
// logs and tests.
import type { ServiceId, TaskId } from '../../api/ids.js';
import type { Task } from '../../api/task.js';
import type { DesiredState } from '../../api/task-state.js';

export type PlanOp =
  /** Create a task; refused when its slot already holds a task that wants to run. */
  | { readonly kind: 'create'; readonly task: Task }
  /** Move a task's desired state forward (never back). */
  | { readonly kind: 'desire'; readonly taskId: TaskId; readonly state: Extract<DesiredState, 'shutdown' | 'remove'> }
  /** Release a delayed restart: desired `ready` -> `running` (or `complete` for a job task). */
  | { readonly kind: 'start'; readonly taskId: TaskId }
  /** Delete a finished task from the store (the task reaper). */
  | { readonly kind: 'delete'; readonly taskId: TaskId };

export interface PlanStep {
  readonly why: string;
  readonly ops: readonly PlanOp[];
}

export interface Plan {
  readonly serviceId: ServiceId;
  readonly steps: readonly PlanStep[];
  /** When this service needs another look even if nothing changes (a delayed start falling due). */
  readonly wakeAt?: number;
}

export function emptyPlan(serviceId: ServiceId): Plan {
  return { serviceId, steps: [] };
}

/** The earlier of two optional times. */
export function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

export function step(why: string, ...ops: PlanOp[]): PlanStep {
  return { why, ops };
}
