// The jobs orchestrator's deciders (swarmkit orchestrator/jobs/replicated
// and jobs/global reconcilers). Job tasks are created with desired state
// `complete`; a stopped one is restarted per its policy, where `any` means
// on-failure (a completed task stays completed). Each run of a job is an
// iteration (Service.JobStatus.JobIteration, bumped by every spec update,
// `service update --force` included); tasks of earlier iterations that have
// not finished are shut down and are otherwise history.
//
// Replicated job: slots 1..TotalCompletions, at most MaxConcurrent running,
// until every slot holds a completed task. A slot whose task failed and may
// not be restarted (condition none, attempts used up) stays failed: swarmkit
// would fill it again with a fresh task, defeating MaxAttempts.
// Global job: one completion on every node that takes it and existed when
// the iteration started (swarmkit: node CreatedAt before LastExecution).
import type { ServiceId } from '../../api/ids.js';
import { parseTimestamp } from '../../api/object-meta.js';
import type { Service } from '../../api/service.js';
import type { Task } from '../../api/task.js';
import type { ReadTx } from '../store/read-tx.js';
import { getObject, tasksOfService } from '../store/typed.js';
import { meetsConstraints, nodeIdsToVisit, serviceConstraints, shutdownSteps, tasksByNode, whyNodeRefuses } from './global.js';
import type { Plan, PlanStep } from './plan.js';
import { earliest, emptyPlan, step } from './plan.js';
import { tasksBySlot } from './replicated.js';
import type { DecideContext } from './restart-supervisor.js';
import { decideServiceRemoval } from './service-removal.js';
import type { SlotPass } from './slots.js';
import { superviseSlot } from './slots.js';
import { createdMs, hasCompleted, nodeTakesNewTasks, orchestratedTask, wantsToRun } from './task-facts.js';

export function jobIteration(service: Service): number {
  return service.JobStatus?.JobIteration.Index ?? 0;
}

/** The service's tasks split into the current iteration and earlier ones. */
function byIteration(service: Service, tasks: readonly Task[]): { current: Task[]; earlier: Task[] } {
  const it = jobIteration(service);
  const current: Task[] = [];
  const earlier: Task[] = [];
  for (const t of tasks) (t.JobIteration?.Index === it ? current : earlier).push(t);
  return { current, earlier };
}

/** Unfinished tasks of earlier iterations are shut down; finished ones are left as history. */
function retireEarlier(service: Service, earlier: readonly Task[]): PlanStep[] {
  return shutdownSteps(
    earlier.filter((t) => !hasCompleted(t)),
    `job iteration ${jobIteration(service)} started`,
  );
}

function createJobTask(service: Service, place: { slot?: number; nodeId?: Task['NodeID'] }, pass: SlotPass | undefined, ctx: DecideContext, why: string): PlanStep {
  const task = orchestratedTask({
    id: ctx.newTaskId(),
    service,
    place,
    nowMs: ctx.now,
    desiredState: 'complete',
    ...(pass?.history !== undefined ? { restartHistory: pass.history } : {}),
  });
  return step(`${why}: task ${task.ID} created`, { kind: 'create', task });
}

export function decideReplicatedJob(view: ReadTx, serviceId: ServiceId, ctx: DecideContext): Plan {
  const service = getObject(view, 'services', serviceId);
  if (service === undefined) return decideServiceRemoval(view, serviceId);
  const job = service.Spec.Mode.ReplicatedJob;
  if (job === undefined) return emptyPlan(serviceId);
  const { current, earlier } = byIteration(service, tasksOfService(view, serviceId));
  const steps = retireEarlier(service, earlier);
  let wakeAt: number | undefined;
  const counts = { running: 0, completed: 0, stopped: 0 };
  const taken = new Set<number>();
  const passes = new Map<number, SlotPass>();
  for (const [slot, tasks] of tasksBySlot(current)) {
    const pass = superviseSlot(tasks, { service, view, ctx, allowRestart: true, moveOffBadNodes: true });
    passes.set(slot, pass);
    steps.push(...pass.steps);
    wakeAt = earliest(wakeAt, pass.wakeAt);
    if (pass.occupancy === 'free') continue;
    counts[pass.occupancy]++;
    taken.add(slot);
  }
  const room = Math.min(job.MaxConcurrent - counts.running, job.TotalCompletions - counts.completed - counts.running - counts.stopped);
  let added = 0;
  for (let slot = 1; slot <= job.TotalCompletions && added < room; slot++) {
    if (taken.has(slot)) continue;
    steps.push(createJobTask(service, { slot }, passes.get(slot), ctx, `${counts.completed} of ${job.TotalCompletions} completions, slot ${slot}`));
    added++;
  }
  return { serviceId, steps, ...(wakeAt !== undefined ? { wakeAt } : {}) };
}

export function decideGlobalJob(view: ReadTx, serviceId: ServiceId, ctx: DecideContext): Plan {
  const service = getObject(view, 'services', serviceId);
  if (service === undefined) return decideServiceRemoval(view, serviceId);
  if (service.Spec.Mode.GlobalJob === undefined) return emptyPlan(serviceId);
  const { current, earlier } = byIteration(service, tasksOfService(view, serviceId));
  const steps = retireEarlier(service, earlier);
  let wakeAt: number | undefined;
  const constraints = serviceConstraints(service);
  const started = parseTimestamp(service.JobStatus?.LastExecution ?? service.CreatedAt);
  const byNode = tasksByNode(current);
  for (const nodeId of nodeIdsToVisit(view, byNode)) {
    const node = getObject(view, 'nodes', nodeId);
    const tasks = byNode.get(nodeId) ?? [];
    const refusal = whyNodeRefuses(node, constraints);
    if (refusal !== undefined || node === undefined) {
      steps.push(...shutdownSteps(tasks.filter((t) => wantsToRun(t) && !hasCompleted(t)), `node ${nodeId} ${refusal ?? 'is gone'}`));
      continue;
    }
    const pass = superviseSlot(tasks, { service, view, ctx, allowRestart: node.Spec.Availability !== 'pause', moveOffBadNodes: false });
    steps.push(...pass.steps);
    wakeAt = earliest(wakeAt, pass.wakeAt);
    const existedAtStart = !(createdMs(node) > started);
    if (pass.occupancy === 'free' && nodeTakesNewTasks(node) && meetsConstraints(constraints, node) && existedAtStart) {
      steps.push(createJobTask(service, { nodeId }, pass, ctx, `node ${nodeId} runs the job`));
    }
  }
  return { serviceId, steps, ...(wakeAt !== undefined ? { wakeAt } : {}) };
}

/** Either job mode; other modes get an empty plan. */
export function decideJob(view: ReadTx, serviceId: ServiceId, ctx: DecideContext): Plan {
  const service = getObject(view, 'services', serviceId);
  if (service?.Spec.Mode.GlobalJob !== undefined) return decideGlobalJob(view, serviceId, ctx);
  return decideReplicatedJob(view, serviceId, ctx);
}
