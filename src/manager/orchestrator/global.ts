// The global orchestrator's decider (swarmkit orchestrator/global/global.go):
// one task of the service on every node that takes it. A node takes new
// tasks when it is ready, active and meets the service's constraints.
// - drained, down or deleted node, or constraints no longer met: its tasks
//   get desired state `shutdown` and are not replaced (the slot is the node);
// - paused node: its tasks stay, stopped ones are retired, none are added;
// - a node that joins or comes back active gets a task.
import type { Constraint } from '../../api/constraint.js';
import { constraintsMatch } from '../../api/constraint.js';
import type { NodeId, ServiceId } from '../../api/ids.js';
import type { Node } from '../../api/node.js';
import { nodeFacts } from '../../api/node.js';
import type { Service } from '../../api/service.js';
import type { Task } from '../../api/task.js';
import { placementConstraints } from '../../api/task-spec.js';
import type { ReadTx } from '../store/read-tx.js';
import { allObjects, getObject, tasksOfService } from '../store/typed.js';
import type { Plan, PlanStep } from './plan.js';
import { earliest, emptyPlan, step } from './plan.js';
import type { DecideContext } from './restart-supervisor.js';
import { decideServiceRemoval } from './service-removal.js';
import { superviseSlot } from './slots.js';
import { nodeTakesNewTasks, nodeUsable, orchestratedTask, wantsToRun } from './task-facts.js';

/**
 * The service's placement constraints, parsed. They were checked when the
 * service was created, so a parse failure means no node qualifies.
 */
export function serviceConstraints(service: Service): readonly Constraint[] | undefined {
  const r = placementConstraints(service.Spec.TaskTemplate.Placement);
  return r.ok ? r.constraints : undefined;
}

export function meetsConstraints(constraints: readonly Constraint[] | undefined, node: Node): boolean {
  return constraints !== undefined && constraintsMatch(constraints, nodeFacts(node));
}

/** Tasks keyed by their node, for global modes; tasks not yet on a node are left out. */
export function tasksByNode(tasks: readonly Task[]): Map<NodeId, Task[]> {
  const out = new Map<NodeId, Task[]>();
  for (const t of tasks) {
    if (t.NodeID === undefined || t.NodeID === '') continue;
    const list = out.get(t.NodeID);
    if (list === undefined) out.set(t.NodeID, [t]);
    else list.push(t);
  }
  return out;
}

/** Every node id to look at: the nodes in the store and the nodes tasks still name. */
export function nodeIdsToVisit(view: ReadTx, byNode: ReadonlyMap<NodeId, readonly Task[]>): NodeId[] {
  const ids = new Set<NodeId>(allObjects(view, 'nodes').map((n) => n.ID));
  for (const id of byNode.keys()) ids.add(id);
  return [...ids].sort();
}

/** Why a node may not keep the service's tasks, or undefined when it may. */
export function whyNodeRefuses(node: Node | undefined, constraints: readonly Constraint[] | undefined): string | undefined {
  if (node === undefined) return 'is gone';
  if (!nodeUsable(node)) return node.Status.State === 'down' ? 'is down' : 'is drained';
  if (!meetsConstraints(constraints, node)) return 'does not meet the constraints';
  return undefined;
}

export function shutdownSteps(tasks: readonly Task[], why: string): PlanStep[] {
  return tasks.filter(wantsToRun).map((t) => step(`${why}: task ${t.ID} shut down`, { kind: 'desire', taskId: t.ID, state: 'shutdown' }));
}

export function decideGlobal(view: ReadTx, serviceId: ServiceId, ctx: DecideContext): Plan {
  const service = getObject(view, 'services', serviceId);
  if (service === undefined) return decideServiceRemoval(view, serviceId);
  if (service.Spec.Mode.Global === undefined) return emptyPlan(serviceId);
  const constraints = serviceConstraints(service);
  const byNode = tasksByNode(tasksOfService(view, serviceId));
  const steps: PlanStep[] = [];
  let wakeAt: number | undefined;
  for (const nodeId of nodeIdsToVisit(view, byNode)) {
    const node = getObject(view, 'nodes', nodeId);
    const tasks = byNode.get(nodeId) ?? [];
    const refusal = whyNodeRefuses(node, constraints);
    if (refusal !== undefined || node === undefined) {
      steps.push(...shutdownSteps(tasks, `node ${nodeId} ${refusal ?? 'is gone'}`));
      continue;
    }
    const pass = superviseSlot(tasks, { service, view, ctx, allowRestart: node.Spec.Availability !== 'pause', moveOffBadNodes: false });
    steps.push(...pass.steps);
    wakeAt = earliest(wakeAt, pass.wakeAt);
    if (pass.occupancy === 'free' && nodeTakesNewTasks(node)) {
      const task = orchestratedTask({
        id: ctx.newTaskId(),
        service,
        place: { nodeId },
        nowMs: ctx.now,
        desiredState: 'running',
        ...(pass.history !== undefined ? { restartHistory: pass.history } : {}),
      });
      steps.push(step(`node ${nodeId} takes the service: task ${task.ID} created`, { kind: 'create', task }));
    }
  }
  return { serviceId, steps, ...(wakeAt !== undefined ? { wakeAt } : {}) };
}
