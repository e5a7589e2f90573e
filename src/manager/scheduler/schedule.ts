// The scheduler's pure core: nodes, tasks and services in, a plan out. No IO,
// no clock and no randomness of its own (STYLE.md rules 3, 6, 7): `nowMs` and
// `rng` are inputs, so a round can be replayed from a snapshot and a seed.
//
// One round, as swarmkit's Scheduler.tick:
// 1. every task is classified (node-info.ts taskRole); tasks on nodes fill
//    the NodeInfos (reservations, ports, per-service counts, failures);
// 2. preassigned tasks (global services) are checked against their node
//    first, and confirmed or explained;
// 3. unassigned tasks are grouped by service and spec version: tasks of one
//    group are identical, so the filters run once per node for the group,
//    the nodes are arranged by placement preference, and the group is spread
//    with a heap per leaf (decision-tree.ts, node-heap.ts);
// 4. what is left of a group stays pending with swarmkit's explanation.
// Groups run in the order their first task appears in `tasks`; tasks of a
// group are placed in that order too.
import type { Node } from '../../api/node.js';
import { timestampOf } from '../../api/object-meta.js';
import type { Service } from '../../api/service.js';
import type { PendingExplanation, Task } from '../../api/task.js';
import { buildTree, distribute, spreadKeys } from './decision-tree.js';
import { explainFilter, explainRejections, noSuitableNode } from './explain.js';
import { filtersFor } from './filters.js';
import type { Candidate } from './node-heap.js';
import { isRecentFailure, NodeInfo, serviceHostPorts, taskHostPorts, taskRole, versionedServiceKey } from './node-info.js';
import { Pipeline } from './pipeline.js';
import type { Assignment, Plan, Unschedulable } from './plan.js';
import { shuffleInPlace, type Rng } from './rng.js';

export interface ScheduleInput {
  readonly nodes: readonly Node[];
  /** Every task the store holds; the core keeps what matters (taskRole). */
  readonly tasks: readonly Task[];
  readonly services: readonly Service[];
}

interface Round {
  readonly infos: readonly NodeInfo[];
  readonly services: ReadonlyMap<string, Service>;
  readonly checkedAt: string;
  readonly assignments: Assignment[];
  readonly unschedulable: Unschedulable[];
}

export function schedule(input: ScheduleInput, nowMs: number, rng: Rng): Plan {
  const services = new Map<string, Service>();
  for (const s of input.services) services.set(s.ID, s);
  const infos = shuffleInPlace([...input.nodes], rng).map((n, i) => new NodeInfo(n, i));
  const byId = new Map<string, NodeInfo>();
  for (const info of infos) byId.set(info.node.ID, info);

  // service -> spec version -> tasks; tasks without a version are groups of one.
  const groups = new Map<string, Map<number, Task[]>>();
  const oneOffs: Task[] = [];
  const preassigned: Task[] = [];
  for (const task of input.tasks) {
    switch (taskRole(task)) {
      case 'placed': {
        const info = byId.get(task.NodeID as string);
        if (info !== undefined) info.addTask(task, taskHostPorts(task, services.get(task.ServiceID)));
        break;
      }
      case 'preassigned':
        preassigned.push(task);
        break;
      case 'unassigned': {
        const version = task.ServiceVersion?.Index;
        if (version === undefined) {
          oneOffs.push(task);
          break;
        }
        let byVersion = groups.get(task.ServiceID);
        if (byVersion === undefined) groups.set(task.ServiceID, (byVersion = new Map()));
        const group = byVersion.get(version);
        if (group === undefined) byVersion.set(version, [task]);
        else group.push(task);
        break;
      }
      case 'ignored':
        if (isRecentFailure(task, nowMs)) byId.get(task.NodeID as string)?.addFailure(task);
        break;
    }
  }

  const round: Round = { infos, services, checkedAt: timestampOf(nowMs), assignments: [], unschedulable: [] };
  for (const task of preassigned) confirmPreassigned(round, byId.get(task.NodeID as string), task);
  for (const byVersion of groups.values()) for (const group of byVersion.values()) scheduleGroup(round, group);
  for (const task of oneOffs) scheduleGroup(round, [task]);
  return { assignments: round.assignments, unschedulable: round.unschedulable };
}

/** swarmkit taskFitNode: a global task may only run where it was created for. */
function confirmPreassigned(round: Round, info: NodeInfo | undefined, task: Task): void {
  if (info === undefined) return; // the node is gone; the global orchestrator cleans up
  const ports = serviceHostPorts(round.services.get(task.ServiceID));
  const rejectedBy = new Pipeline(filtersFor(task, ports)).firstRejection(info);
  if (rejectedBy === undefined) {
    info.addTask(task, ports);
    round.assignments.push({ taskId: task.ID, taskVersion: task.Version.Index, nodeId: info.node.ID, kind: 'confirmed' });
    return;
  }
  // swarmkit writes the bare pipeline explanation here, without "no suitable node".
  const explanation: PendingExplanation = {
    Summary: explainFilter(rejectedBy, 1),
    Rejections: [{ Filter: rejectedBy, Nodes: 1 }],
    CheckedAt: round.checkedAt,
  };
  round.unschedulable.push({ taskId: task.ID, taskVersion: task.Version.Index, explanation });
}

/** swarmkit scheduleTaskGroup: `tasks` share a service and a spec version. */
function scheduleGroup(round: Round, tasks: readonly Task[]): void {
  const first = tasks[0];
  if (first === undefined) return;
  const serviceId = first.ServiceID;
  const service = round.services.get(serviceId);
  const ports = serviceHostPorts(service);
  const pipeline = new Pipeline(filtersFor(first, ports));
  const failureKey = versionedServiceKey(first);
  const candidate = (info: NodeInfo): Candidate | undefined =>
    pipeline.passes(info) ? { info, service: info.activeOf(serviceId), failures: info.recentFailures.get(failureKey) ?? 0 } : undefined;
  const tree = buildTree(round.infos, serviceId, spreadKeys(first.Spec.Placement.Preferences), candidate);

  let next = 0;
  const place = (c: Candidate): boolean => {
    const task = tasks[next++] as Task;
    round.assignments.push({ taskId: task.ID, taskVersion: task.Version.Index, nodeId: c.info.node.ID, kind: 'assigned' });
    c.info.addTask(task, ports);
    c.service++;
    return pipeline.passesDynamic(c.info);
  };
  distribute(tree, tasks.length, place);
  if (next === tasks.length) return;

  // swarmkit noSuitableNode: a task whose service is gone is dropped, not explained.
  if (service === undefined) return;
  const rejections = pipeline.rejections(round.infos);
  const explanation: PendingExplanation = {
    Summary: noSuitableNode(explainRejections(rejections)),
    Rejections: rejections,
    CheckedAt: round.checkedAt,
  };
  for (let i = next; i < tasks.length; i++) {
    const task = tasks[i] as Task;
    round.unschedulable.push({ taskId: task.ID, taskVersion: task.Version.Index, explanation });
  }
}
