// The replicated orchestrator's decider (swarmkit orchestrator/replicated:
// services.go reconcile, tasks.go restarts): for one service, a pure
// function of the store snapshot and `now` to a plan. It keeps one task
// wanting to run in each of the slots 1..Replicas: restarts stopped tasks
// per the restart policy, moves tasks off drained, down or deleted nodes,
// fills missing slots, and on scale-down asks the surplus slots' tasks to
// go with desired state `remove` (the reaper deletes them once stopped).
import type { ServiceId } from '../../api/ids.js';
import type { Service } from '../../api/service.js';
import type { Task } from '../../api/task.js';
import { isTerminal } from '../../api/task-state.js';
import type { ReadTx } from '../store/read-tx.js';
import { getObject, tasksOfService } from '../store/typed.js';
import type { Plan, PlanStep } from './plan.js';
import { earliest, emptyPlan, step } from './plan.js';
import type { DecideContext } from './restart-supervisor.js';
import type { ScaleDownCandidate } from './scale-down.js';
import { chooseSlotsToRemove } from './scale-down.js';
import { decideServiceRemoval, removeSteps } from './service-removal.js';
import type { SlotPass } from './slots.js';
import { nodeOfTask, superviseSlot } from './slots.js';
import { byCreation, nodeUsable, orchestratedTask, wantsToRun } from './task-facts.js';

/** A replicated service's tasks by slot number, in slot order; tasks without a slot are left out. */
export function tasksBySlot(tasks: readonly Task[]): Map<number, Task[]> {
  const out = new Map<number, Task[]>();
  for (const t of tasks) {
    if (t.Slot === undefined || t.Slot <= 0) continue;
    const list = out.get(t.Slot);
    if (list === undefined) out.set(t.Slot, [t]);
    else list.push(t);
  }
  return new Map([...out.entries()].sort((a, b) => a[0] - b[0]));
}

export function decideReplicated(view: ReadTx, serviceId: ServiceId, ctx: DecideContext): Plan {
  const service = getObject(view, 'services', serviceId);
  if (service === undefined) return decideServiceRemoval(view, serviceId);
  const replicas = service.Spec.Mode.Replicated?.Replicas;
  if (replicas === undefined) return emptyPlan(serviceId);
  const slots = tasksBySlot(tasksOfService(view, serviceId));
  const passes = new Map<number, SlotPass>();
  for (const [slot, tasks] of slots) {
    passes.set(slot, superviseSlot(tasks, { service, view, ctx, allowRestart: true, moveOffBadNodes: true }));
  }
  const occupied = [...passes.entries()].filter(([, p]) => p.occupancy === 'running' || p.occupancy === 'stopped').map(([s]) => s);
  const steps: PlanStep[] = [];
  let wakeAt: number | undefined;

  if (occupied.length > replicas) {
    const candidates = occupied.map((slot) => candidate(view, slot, slots.get(slot) ?? []));
    const removed = new Set(chooseSlotsToRemove(candidates, occupied.length - replicas, service.Spec.TaskTemplate.Placement.Preferences, (id) => getObject(view, 'nodes', id)));
    for (const [slot, pass] of passes) {
      if (removed.has(slot)) {
        steps.push(...removeSteps(slots.get(slot) ?? [], `scale down to ${replicas}: slot ${slot}`));
      } else if (pass.occupancy === 'free') {
        steps.push(...removeSteps(slots.get(slot) ?? [], `slot ${slot} is empty`));
      } else {
        steps.push(...pass.steps);
        wakeAt = earliest(wakeAt, pass.wakeAt);
      }
    }
    return { serviceId, steps, ...(wakeAt !== undefined ? { wakeAt } : {}) };
  }

  // Fill the lowest free slot numbers; empty slots not refilled are cleared.
  const taken = new Set(occupied);
  const fill: number[] = [];
  for (let slot = 1; fill.length < replicas - occupied.length; slot++) if (!taken.has(slot)) fill.push(slot);
  const filling = new Set(fill);
  for (const [slot, pass] of passes) {
    if (pass.occupancy === 'free' && !filling.has(slot)) {
      steps.push(...removeSteps(slots.get(slot) ?? [], `slot ${slot} is empty`));
      continue;
    }
    steps.push(...pass.steps);
    wakeAt = earliest(wakeAt, pass.wakeAt);
  }
  for (const slot of fill) steps.push(createStep(service, slot, passes.get(slot), ctx, replicas));
  return { serviceId, steps, ...(wakeAt !== undefined ? { wakeAt } : {}) };
}

function createStep(service: Service, slot: number, pass: SlotPass | undefined, ctx: DecideContext, replicas: number): PlanStep {
  const task = orchestratedTask({
    id: ctx.newTaskId(),
    service,
    place: { slot },
    nowMs: ctx.now,
    desiredState: 'running',
    ...(pass?.history !== undefined ? { restartHistory: pass.history } : {}),
  });
  return step(`${replicas} replicas wanted: slot ${slot} filled by ${task.ID}`, { kind: 'create', task });
}

/** What the scale-down order looks at in a slot: its task's node (when usable) and whether it runs. */
function candidate(view: ReadTx, slot: number, tasks: readonly Task[]): ScaleDownCandidate {
  const live = tasks.filter((t) => wantsToRun(t) && !isTerminal(t.Status.State)).sort(byCreation);
  const onNode = live.filter((t) => t.NodeID !== undefined && nodeUsable(nodeOfTask(view, t)));
  const newest = onNode.at(-1);
  const running = onNode.some((t) => t.Status.State === 'running');
  return newest?.NodeID !== undefined ? { slot, nodeId: newest.NodeID, running } : { slot, running };
}
