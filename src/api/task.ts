// A task: one container run for one slot of a service (moby
// api/types/swarm/task.go, swarmkit design/task_model.md). Desired state
// (written by managers) and observed Status (reported by the agent) are
// separate fields; both only move forward (task-state.ts).
// Shoal keeps three things in the store that swarmkit keeps in memory: why a
// task cannot be scheduled, the restart history of its slot, and a delayed
// restart's start condition.
import type { NodeId, ServiceId, TaskId } from './ids.js';
import type { Labels, Timestamp, Version } from './object-meta.js';
import { timestampOf } from './object-meta.js';
import type { PortConfig, ServiceSpec } from './service-spec.js';
import type { TaskSpec } from './task-spec.js';
import type { DesiredState, TaskState } from './task-state.js';

export interface ContainerStatus {
  readonly ContainerID?: string;
  readonly PID?: number;
  readonly ExitCode?: number;
}

export interface TaskStatus {
  readonly Timestamp: Timestamp;
  readonly State: TaskState;
  /** Docker's short words for the step ("scheduler assigned task to node", "started"). */
  readonly Message: string;
  /** Set on failure; `docker service ps` shows it in ERROR. */
  readonly Err?: string;
  readonly ContainerStatus?: ContainerStatus;
  /** Host-mode published ports actually bound on the node. */
  readonly PortStatus?: { readonly Ports?: readonly PortConfig[] };
}

/**
 * Why the scheduler left a task pending (swarmkit's pipeline Explain), kept
 * on the task so the CLI and console can show it: a summary in Docker's
 * words ("no suitable node (scheduling constraints not satisfied on 3
 * nodes)") and how many nodes each filter rejected.
 */
export interface PendingExplanation {
  readonly Summary: string;
  readonly Rejections: ReadonlyArray<{ readonly Filter: string; readonly Nodes: number }>;
  readonly CheckedAt: Timestamp;
}

/**
 * The restart supervisor's bookkeeping for this task's slot, carried from
 * each task to its replacement so a new leader continues where the old one
 * stopped. Restarts count against RestartPolicy.MaxAttempts within Window;
 * the count restarts when the service spec version changes.
 */
export interface RestartHistory {
  /** The ServiceVersion the counts belong to. */
  readonly SpecVersion: Version;
  /** Restarts of this slot since the spec version, ever. */
  readonly TotalRestarts: number;
  /** When recent restarts happened, oldest first; only those inside the window matter. */
  readonly RecentRestarts: readonly Timestamp[];
}

/**
 * A replacement the restart supervisor holds at desired `ready` until it may
 * start (swarmkit restart.DelayStart), kept in the store rather than in a
 * timer so a new leader honours it: not before `NotBefore` (the restart
 * delay), and, when `Replaces` is set, not before that task has stopped or
 * `StopDeadline` has passed. The orchestrator clears it when it sets the
 * task's desired state to running (or complete, for a job).
 */
export interface DelayedStart {
  readonly NotBefore: Timestamp;
  readonly Replaces?: TaskId;
  readonly StopDeadline?: Timestamp;
}

export interface Task {
  readonly ID: TaskId;
  readonly Version: Version;
  readonly CreatedAt: Timestamp;
  readonly UpdatedAt: Timestamp;
  /** Set for tasks whose name is not derived (e.g. stack-owned); see `taskName`. */
  readonly Name?: string;
  readonly Labels?: Labels;
  /** A copy of the service's task template at creation; never changed afterwards. */
  readonly Spec: TaskSpec;
  readonly ServiceID: ServiceId;
  /** Replicated tasks: the slot (1..replicas). Absent for global tasks, which are keyed by NodeID. */
  readonly Slot?: number;
  /** Set at creation for global tasks, by the scheduler for replicated ones. */
  readonly NodeID?: NodeId;
  /** Which service spec version this task runs (Service.SpecVersion when created). */
  readonly ServiceVersion?: Version;
  readonly DesiredState: DesiredState;
  readonly Status: TaskStatus;
  readonly JobIteration?: Version;
  // shoal's own fields
  readonly PendingExplanation?: PendingExplanation;
  readonly RestartHistory?: RestartHistory;
  readonly DelayedStart?: DelayedStart;
}

/** A slot: what replicated tasks share by number and global tasks by node. */
export type SlotKey = { readonly kind: 'slot'; readonly slot: number } | { readonly kind: 'node'; readonly nodeId: NodeId };

export function slotKey(task: Pick<Task, 'Slot' | 'NodeID'>): SlotKey | undefined {
  if (task.Slot !== undefined && task.Slot > 0) return { kind: 'slot', slot: task.Slot };
  if (task.NodeID !== undefined && task.NodeID !== '') return { kind: 'node', nodeId: task.NodeID };
  return undefined;
}

/**
 * The NAME column of `docker service ps`: `<service>.<slot>` for replicated
 * tasks, `<service>.<node id>` for global ones (docker/cli task formatter).
 */
export function taskName(serviceName: string, task: Pick<Task, 'Name' | 'Slot' | 'NodeID'>): string {
  if (task.Name !== undefined && task.Name !== '') return task.Name;
  const key = slotKey(task);
  if (key === undefined) return serviceName;
  return `${serviceName}.${key.kind === 'slot' ? key.slot : key.nodeId}`;
}

/** The container's name on the node (swarmkit naming.Task): `<service>.<slot>.<task id>`, e.g. `web.1.ho0d7u3wensl0kah0ioz1lpk5`. */
export function containerName(serviceName: string, task: Pick<Task, 'ID' | 'Slot' | 'NodeID'>): string {
  const key = slotKey(task);
  const middle = key === undefined ? '' : `${key.kind === 'slot' ? key.slot : key.nodeId}.`;
  return `${serviceName}.${middle}${task.ID}`;
}

/** The image a task runs, for the IMAGE column. */
export function taskImage(task: Pick<Task, 'Spec'>): string {
  return task.Spec.ContainerSpec.Image;
}

export interface NewTaskOptions {
  readonly id: TaskId;
  readonly serviceId: ServiceId;
  readonly spec: ServiceSpec;
  readonly serviceVersion: Version;
  readonly nowMs: number;
  /** Exactly one of slot (replicated) or nodeId (global). */
  readonly slot?: number;
  readonly nodeId?: NodeId;
  readonly desiredState?: DesiredState;
  readonly restartHistory?: RestartHistory;
  readonly jobIteration?: Version;
}

/** A task as the orchestrator creates it: observed `new`, desired `running` unless told. */
export function newTask(o: NewTaskOptions): Task {
  const at = timestampOf(o.nowMs);
  return {
    ID: o.id,
    Version: { Index: 0 },
    CreatedAt: at,
    UpdatedAt: at,
    Spec: o.spec.TaskTemplate,
    ServiceID: o.serviceId,
    ...(o.slot !== undefined ? { Slot: o.slot } : {}),
    ...(o.nodeId !== undefined ? { NodeID: o.nodeId } : {}),
    ServiceVersion: o.serviceVersion,
    DesiredState: o.desiredState ?? 'running',
    Status: { Timestamp: at, State: 'new', Message: 'created' },
    ...(o.jobIteration !== undefined ? { JobIteration: o.jobIteration } : {}),
    ...(o.restartHistory !== undefined ? { RestartHistory: o.restartHistory } : {}),
  };
}

/** What `docker inspect <task>` prints: Docker's fields, without shoal's bookkeeping. */
export function taskInspectView(task: Task): Record<string, unknown> {
  return {
    ID: task.ID,
    Version: task.Version,
    CreatedAt: task.CreatedAt,
    UpdatedAt: task.UpdatedAt,
    Labels: task.Labels ?? {},
    Spec: task.Spec,
    ServiceID: task.ServiceID,
    ...(task.Slot !== undefined ? { Slot: task.Slot } : {}),
    ...(task.NodeID !== undefined ? { NodeID: task.NodeID } : {}),
    Status: task.Status,
    DesiredState: task.DesiredState,
    ...(task.JobIteration !== undefined ? { JobIteration: task.JobIteration } : {}),
  };
}

/**
 * A new task handed to the scheduler. swarmkit creates tasks in `new` and
 * its allocator moves them to `pending` once their networks are allocated;
 * shoal has no allocator yet, so whoever creates a task (orchestrators,
 * updater) marks it `pending` through this one function, standing in for
 * the allocator's band (task-state.ts) until one exists.
 */
export function pendingTask(task: Task, nowMs: number): Task {
  return { ...task, Status: { Timestamp: timestampOf(nowMs), State: 'pending', Message: 'pending task scheduling' } };
}
