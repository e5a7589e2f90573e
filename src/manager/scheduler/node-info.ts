// What the scheduler knows about one node during a round (swarmkit
// manager/scheduler/nodeinfo.go): the node, what its tasks already reserve,
// how many tasks it runs per service, which host-mode ports are taken, and
// recent failures of each service version on it.
//
// Invariants, for the tasks added so far:
//   availableCpu    = Description.Resources.NanoCPUs    - sum of their reservations
//   availableMemory = Description.Resources.MemoryBytes - sum of their reservations
//   activeTasks     = number of them whose desired state is at most `complete`
// A NodeInfo lives for one call of `schedule` and is private to it.
import type { NodeFacts } from '../../api/constraint.js';
import { nodeFacts, type Node } from '../../api/node.js';
import { parseTimestamp } from '../../api/object-meta.js';
import type { PortConfig } from '../../api/service-spec.js';
import type { Service } from '../../api/service.js';
import type { Task } from '../../api/task.js';
import { TASK_STATE_NUMBER } from '../../api/task-state.js';

/** swarmkit monitorFailures / maxFailures: 5 failures within 5 minutes make a node the last choice. */
export const FAILURE_WINDOW_MS = 5 * 60 * 1000;
export const MAX_RECENT_FAILURES = 5;

/**
 * How the scheduler sees a task (swarmkit Scheduler.setupTasksList):
 * - `unassigned`: pending without a node, to be placed;
 * - `preassigned`: pending with a node (global services), to be confirmed;
 * - `placed`: assigned .. running on a node, holding its reservations;
 * - `ignored`: not yet pending, finished, or pending but no longer wanted.
 */
export type TaskRole = 'unassigned' | 'preassigned' | 'placed' | 'ignored';

const PENDING = TASK_STATE_NUMBER.pending;
const RUNNING = TASK_STATE_NUMBER.running;
const COMPLETE = TASK_STATE_NUMBER.complete;

export function taskRole(task: Task): TaskRole {
  const state = TASK_STATE_NUMBER[task.Status.State];
  if (state < PENDING || state > RUNNING) return 'ignored';
  const pending = state === PENDING;
  // A task scaled down or updated away before it was assigned.
  if (pending && TASK_STATE_NUMBER[task.DesiredState] > COMPLETE) return 'ignored';
  if (task.NodeID === undefined || task.NodeID === '') return pending ? 'unassigned' : 'ignored';
  return pending ? 'preassigned' : 'placed';
}

/** Counts towards spread and max-replicas: desired to run or complete (swarmkit ActiveTasksCount). */
export function isActive(task: Task): boolean {
  return TASK_STATE_NUMBER[task.DesiredState] <= COMPLETE;
}

/** Failures and restarts are counted per service and spec version (swarmkit versionedService). */
export function versionedServiceKey(task: Task): string {
  return `${task.ServiceID}@${task.ServiceVersion?.Index ?? ''}`;
}

/** A failure the ranking should remember: a scheduler-placed task that failed within the window. */
export function isRecentFailure(task: Task, nowMs: number): boolean {
  const s = task.Status.State;
  if (s !== 'failed' && s !== 'rejected') return false;
  // Global tasks are preassigned: the scheduler did not choose their node.
  if (task.Slot === undefined || task.NodeID === undefined) return false;
  const at = parseTimestamp(task.Status.Timestamp);
  return Number.isFinite(at) && nowMs - at <= FAILURE_WINDOW_MS;
}

function hostPortKeys(ports: readonly PortConfig[] | undefined, out: string[]): void {
  for (const p of ports ?? []) {
    if (p.PublishMode === 'host' && p.PublishedPort !== undefined && p.PublishedPort !== 0) out.push(`${p.Protocol}/${p.PublishedPort}`);
  }
}

/** The host-mode published ports a service's tasks bind (`tcp/8080`), from the allocated endpoint if any. */
export function serviceHostPorts(service: Service | undefined): readonly string[] {
  if (service === undefined) return [];
  const out: string[] = [];
  hostPortKeys(service.Endpoint?.Ports ?? service.Spec.EndpointSpec.Ports, out);
  return out;
}

/** Ports a placed task holds: its service's, plus any the agent reported binding. */
export function taskHostPorts(task: Task, service: Service | undefined): readonly string[] {
  const reported = task.Status.PortStatus?.Ports;
  const fromService = serviceHostPorts(service);
  if (reported === undefined || reported.length === 0) return fromService;
  const out = [...fromService];
  hostPortKeys(reported, out);
  return out;
}

export class NodeInfo {
  readonly facts: NodeFacts;
  availableCpu: number;
  availableMemory: number;
  activeTasks = 0;
  readonly activeByService = new Map<string, number>();
  readonly hostPorts = new Set<string>();
  /** versionedServiceKey -> failures within the window. */
  readonly recentFailures = new Map<string, number>();

  constructor(
    readonly node: Node,
    /** Position in this round's shuffled order: the last tie-break between equal nodes. */
    readonly order: number,
  ) {
    this.facts = nodeFacts(node);
    this.availableCpu = node.Description.Resources.NanoCPUs;
    this.availableMemory = node.Description.Resources.MemoryBytes;
  }

  /** A task that holds (or will hold) a place on this node. */
  addTask(task: Task, hostPorts: readonly string[]): void {
    const r = task.Spec.Resources.Reservations;
    this.availableCpu -= r.NanoCPUs;
    this.availableMemory -= r.MemoryBytes;
    for (const p of hostPorts) this.hostPorts.add(p);
    if (isActive(task)) this.addActive(task.ServiceID, 1);
  }

  addActive(serviceId: string, n: number): void {
    this.activeTasks += n;
    this.activeByService.set(serviceId, (this.activeByService.get(serviceId) ?? 0) + n);
  }

  addFailure(task: Task): void {
    const key = versionedServiceKey(task);
    this.recentFailures.set(key, (this.recentFailures.get(key) ?? 0) + 1);
  }

  activeOf(serviceId: string): number {
    return this.activeByService.get(serviceId) ?? 0;
  }
}
