// The one applier for orchestrator plans (STYLE.md rule 6, after Nomad's
// plan_apply.go): each step is checked against the latest state inside a
// store transaction and written only if every op in it still holds;
// otherwise the step is skipped whole, with the reason. The store retries
// the transaction a bounded number of times when it loses a version race
// (Store.update), re-running the checks on the newer state.
import { invariant } from '../../api/errors.js';
import type { TaskId } from '../../api/ids.js';
import type { Task } from '../../api/task.js';
import { slotKey } from '../../api/task.js';
import type { Store } from '../store/store.js';
import { createObject, getObject, tasksOfSlot, updateObject } from '../store/typed.js';
import type { WriteTx } from '../store/write-tx.js';
import type { Plan, PlanOp, PlanStep } from './plan.js';
import { isForward, isReapable, wantsToRun } from './task-facts.js';

export interface SkippedStep {
  readonly step: PlanStep;
  readonly why: string;
}

export interface ApplyOutcome {
  readonly applied: readonly PlanStep[];
  readonly skipped: readonly SkippedStep[];
}

/** Ops per store transaction; a larger plan is committed in several (each step stays whole). */
export const DEFAULT_MAX_OPS_PER_TX = 500;

export async function applyPlan(store: Store, plan: Plan, maxOpsPerTx = DEFAULT_MAX_OPS_PER_TX): Promise<ApplyOutcome> {
  const applied: PlanStep[] = [];
  const skipped: SkippedStep[] = [];
  for (const chunk of chunks(plan.steps, maxOpsPerTx)) {
    const r = await store.update((tx) => applySteps(tx, chunk));
    applied.push(...r.applied);
    skipped.push(...r.skipped);
  }
  return { applied, skipped };
}

function chunks(steps: readonly PlanStep[], maxOps: number): PlanStep[][] {
  const out: PlanStep[][] = [];
  let cur: PlanStep[] = [];
  let ops = 0;
  for (const s of steps) {
    if (cur.length > 0 && ops + s.ops.length > maxOps) {
      out.push(cur);
      cur = [];
      ops = 0;
    }
    cur.push(s);
    ops += s.ops.length;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/** Check and write steps in one transaction; exported for tests that apply to a bare transaction. */
export function applySteps(tx: WriteTx, steps: readonly PlanStep[]): ApplyOutcome {
  const applied: PlanStep[] = [];
  const skipped: SkippedStep[] = [];
  for (const s of steps) {
    const why = refusal(tx, s);
    if (why !== undefined) {
      skipped.push({ step: s, why });
      continue;
    }
    for (const op of s.ops) write(tx, op);
    applied.push(s);
  }
  return { applied, skipped };
}

/** Why the step no longer holds on this state, or undefined when it does. */
function refusal(tx: WriteTx, s: PlanStep): string | undefined {
  // Tasks this step retires: they no longer hold their slot for a create later in the step.
  const retiring = new Set<TaskId>();
  for (const op of s.ops) {
    if (op.kind === 'create') {
      const why = createRefusal(tx, op.task, retiring);
      if (why !== undefined) return why;
      continue;
    }
    const task = getObject(tx, 'tasks', op.taskId);
    if (task === undefined) return `task ${op.taskId} is gone`;
    switch (op.kind) {
      case 'desire':
        if (!isForward(task.DesiredState, op.state)) return `task ${task.ID} is already desired ${task.DesiredState}`;
        retiring.add(task.ID);
        break;
      case 'start':
        if (task.DesiredState !== 'ready' || task.DelayedStart === undefined) return `task ${task.ID} is not awaiting a delayed start`;
        break;
      case 'delete':
        if (!isReapable(task)) return `task ${task.ID} may still be running (${task.Status.State})`;
        break;
    }
  }
  return undefined;
}

function createRefusal(tx: WriteTx, task: Task, retiring: ReadonlySet<TaskId>): string | undefined {
  if (getObject(tx, 'tasks', task.ID) !== undefined) return `task id ${task.ID} is taken`;
  const service = getObject(tx, 'services', task.ServiceID);
  if (service === undefined) return `service ${task.ServiceID} is gone`;
  if (service.SpecVersion.Index !== task.ServiceVersion?.Index) return `service ${service.ID} spec changed`;
  if (task.JobIteration !== undefined && task.JobIteration.Index !== (service.JobStatus?.JobIteration.Index ?? 0)) return `job ${service.ID} iteration changed`;
  const key = slotKey(task);
  invariant(key !== undefined, `orchestrator created task ${task.ID} without a slot or node`);
  if (key.kind === 'node' && getObject(tx, 'nodes', key.nodeId) === undefined) return `node ${key.nodeId} is gone`;
  const occupants = tasksOfSlot(tx, task.ServiceID, key.kind === 'slot' ? key.slot : { node: key.nodeId }).filter(
    (o) => !retiring.has(o.ID) && wantsToRun(o) && o.JobIteration?.Index === task.JobIteration?.Index,
  );
  const first = occupants[0];
  if (first !== undefined) return `slot already held by task ${first.ID}`;
  return undefined;
}

function write(tx: WriteTx, op: PlanOp): void {
  if (op.kind === 'create') {
    createObject(tx, 'tasks', op.task);
    return;
  }
  const task = getObject(tx, 'tasks', op.taskId);
  invariant(task !== undefined, `task ${op.taskId} checked a moment ago`);
  switch (op.kind) {
    case 'desire':
      updateObject(tx, 'tasks', { ...task, DesiredState: op.state });
      break;
    case 'start': {
      const { DelayedStart: _released, ...rest } = task;
      updateObject(tx, 'tasks', { ...rest, DesiredState: task.JobIteration !== undefined ? 'complete' : 'running' });
      break;
    }
    case 'delete':
      tx.delete('tasks', task.ID);
      break;
  }
}
