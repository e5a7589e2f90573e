// The columns of the three tables: title, widths, which to drop first on a
// narrow terminal (lowest `keep` first), the cell (text and tone) and the
// sort key. Texts follow docker's tables (`node ls`, `service ls`,
// `service ps`); the extra columns are the console's own.
import { bytesSize, shortId, stateSince } from '../../api/format.js';
import { managerStatusText, type Node } from '../../api/node.js';
import { parseTimestamp } from '../../api/object-meta.js';
import type { Service } from '../../api/service.js';
import type { Task } from '../../api/task.js';
import { taskName } from '../../api/task.js';
import type { Aggregates } from './aggregates.js';
import type { Cell, Tone } from './cells.js';
import type { IndexView } from './cluster-index.js';
import { naturalKey } from './natural.js';
import type { TableKind } from './ui-state.js';

export interface CellContext {
  readonly index: IndexView;
  readonly agg: Aggregates;
  readonly nowMs: number;
}

export interface Column<T> {
  readonly id: string;
  readonly title: string;
  /** Preferred and smallest widths. */
  readonly width: number;
  readonly min: number;
  /** Takes the width left over. */
  readonly grow?: boolean;
  /** Columns with the lowest `keep` are dropped first when the terminal is narrow. */
  readonly keep: number;
  readonly right?: boolean;
  cell(o: T, c: CellContext): Cell;
  /** The sort key; the cell text when absent. */
  sort?(o: T, c: CellContext): string | number;
  /** Orders rows whose sort keys are equal (asked only for those). */
  tie?(o: T, c: CellContext): string | number;
  /** Whether the sort key can change after the object is created (then a sort is redone on every change). */
  readonly mutable?: boolean;
}

const pretty = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

// ---- nodes ----

function nodeStateTone(n: Node): Tone {
  switch (n.Status.State) {
    case 'ready':
      return 'ok';
    case 'down':
      return 'bad';
    case 'disconnected':
    case 'unknown':
      return 'warn';
  }
}

const cpus = (nano: number): string => {
  const v = nano / 1e9;
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
};

export const NODE_COLUMNS: readonly Column<Node>[] = [
  { id: 'id', title: 'ID', width: 12, min: 12, keep: 5, cell: (n) => ({ text: shortId(n.ID) }) },
  { id: 'hostname', title: 'HOSTNAME', width: 16, min: 10, grow: true, keep: 10, cell: (n) => ({ text: n.Description.Hostname }), sort: (n) => naturalKey(n.Description.Hostname), mutable: true },
  { id: 'status', title: 'STATUS', width: 12, min: 7, keep: 9, cell: (n) => ({ text: pretty(n.Status.State), tone: nodeStateTone(n) }), mutable: true },
  {
    id: 'availability',
    title: 'AVAILABILITY',
    width: 12,
    min: 12,
    keep: 8,
    cell: (n) => ({ text: pretty(n.Spec.Availability), tone: n.Spec.Availability === 'active' ? 'normal' : 'warn' }),
    mutable: true,
  },
  {
    id: 'manager',
    title: 'MANAGER STATUS',
    width: 14,
    min: 14,
    keep: 7,
    cell: (n) => {
      const text = managerStatusText(n);
      return { text, tone: text === 'Leader' ? 'accent' : text === 'Unreachable' ? 'bad' : 'normal' };
    },
    mutable: true,
  },
  { id: 'tasks', title: 'TASKS', width: 5, min: 5, keep: 6, right: true, cell: (n, c) => ({ text: String(c.agg.node(n.ID).running) }), sort: (n, c) => c.agg.node(n.ID).running, mutable: true },
  {
    id: 'cpu',
    title: 'CPU',
    width: 9,
    min: 7,
    keep: 4,
    right: true,
    cell: (n, c) => ({ text: `${cpus(c.agg.node(n.ID).nanoCpus)}/${cpus(n.Description.Resources.NanoCPUs)}` }),
    sort: (n, c) => c.agg.node(n.ID).nanoCpus / Math.max(1, n.Description.Resources.NanoCPUs),
    mutable: true,
  },
  {
    id: 'memory',
    title: 'MEMORY',
    width: 17,
    min: 13,
    keep: 3,
    right: true,
    cell: (n, c) => ({ text: `${bytesSize(c.agg.node(n.ID).memoryBytes)}/${bytesSize(n.Description.Resources.MemoryBytes)}` }),
    sort: (n, c) => c.agg.node(n.ID).memoryBytes / Math.max(1, n.Description.Resources.MemoryBytes),
    mutable: true,
  },
  { id: 'engine', title: 'ENGINE VERSION', width: 14, min: 14, keep: 2, cell: (n) => ({ text: n.Description.Engine.EngineVersion }), mutable: true },
];

// ---- services ----

export function modeText(s: Service): string {
  const m = s.Spec.Mode;
  if (m.Replicated !== undefined) return 'replicated';
  if (m.Global !== undefined) return 'global';
  if (m.ReplicatedJob !== undefined) return 'replicated job';
  return 'global job';
}

export function portsText(s: Service): string {
  const ports = s.Endpoint?.Ports ?? s.Spec.EndpointSpec.Ports.filter((p) => (p.PublishedPort ?? 0) > 0);
  return ports
    .filter((p) => (p.PublishedPort ?? 0) > 0)
    .map((p) => `*:${p.PublishedPort ?? 0}->${p.TargetPort}/${p.Protocol}`)
    .join(', ');
}

/** UPDATE: the update state with progress while it runs ("updating 3/5"). */
export function updateCell(s: Service, c: CellContext): Cell {
  const u = s.UpdateStatus;
  if (u === undefined) return { text: '' };
  const counts = c.agg.service(s.ID);
  const progress = `${counts.upToDate}/${counts.desired}`;
  switch (u.State) {
    case 'updating':
      return { text: `updating ${progress}`, tone: 'accent' };
    case 'rollback_started':
      return { text: `rolling back ${progress}`, tone: 'warn' };
    case 'paused':
      return { text: `update paused${u.Message !== '' ? `: ${u.Message}` : ''}`, tone: 'bad' };
    case 'rollback_paused':
      return { text: `rollback paused${u.Message !== '' ? `: ${u.Message}` : ''}`, tone: 'bad' };
    case 'completed':
      return { text: 'update completed', tone: 'dim' };
    case 'rollback_completed':
      return { text: 'rollback completed', tone: 'dim' };
  }
}

function replicasCell(s: Service, c: CellContext): Cell {
  const k = c.agg.service(s.ID);
  const m = s.Spec.Mode;
  let text = `${k.running}/${k.desired}`;
  if (m.ReplicatedJob !== undefined) text += ` (${k.completed}/${m.ReplicatedJob.TotalCompletions} completed)`;
  else if (m.GlobalJob !== undefined) text += ` (${k.completed}/${k.desired + k.completed} completed)`;
  const tone: Tone = k.running >= k.desired ? 'ok' : k.running === 0 ? 'bad' : 'warn';
  return { text, tone };
}

export const SERVICE_COLUMNS: readonly Column<Service>[] = [
  { id: 'id', title: 'ID', width: 12, min: 12, keep: 3, cell: (s) => ({ text: shortId(s.ID) }) },
  { id: 'name', title: 'NAME', width: 18, min: 10, grow: true, keep: 10, cell: (s) => ({ text: s.Spec.Name }), sort: (s) => naturalKey(s.Spec.Name) },
  { id: 'mode', title: 'MODE', width: 10, min: 10, keep: 6, cell: (s) => ({ text: modeText(s) }) },
  { id: 'replicas', title: 'REPLICAS', width: 9, min: 8, keep: 9, cell: replicasCell, sort: (s, c) => c.agg.service(s.ID).running - c.agg.service(s.ID).desired, mutable: true },
  { id: 'image', title: 'IMAGE', width: 20, min: 12, grow: true, keep: 8, cell: (s) => ({ text: s.Spec.TaskTemplate.ContainerSpec.Image }), mutable: true },
  { id: 'ports', title: 'PORTS', width: 18, min: 12, keep: 4, cell: (s) => ({ text: portsText(s) }), mutable: true },
  { id: 'update', title: 'UPDATE', width: 18, min: 14, keep: 7, cell: updateCell, mutable: true },
];

// ---- tasks ----

export function serviceNameOf(index: IndexView, id: string): string {
  return index.services.get(id)?.Spec.Name ?? shortId(id);
}

export function nodeNameOf(index: IndexView, id: string | undefined): string {
  if (id === undefined || id === '') return '';
  return index.nodes.get(id)?.Description.Hostname ?? shortId(id);
}

export function taskNameOf(index: IndexView, t: Task): string {
  return taskName(serviceNameOf(index, t.ServiceID), t);
}

/** ERROR: the task's error, or why the scheduler leaves it pending. */
export function taskError(t: Task): string {
  if (t.Status.Err !== undefined && t.Status.Err !== '') return t.Status.Err;
  if (t.PendingExplanation !== undefined && (t.Status.State === 'pending' || t.Status.State === 'new')) return t.PendingExplanation.Summary;
  return '';
}

function currentTone(t: Task): Tone {
  switch (t.Status.State) {
    case 'running':
    case 'complete':
      return t.DesiredState === 'running' || t.DesiredState === 'complete' ? 'ok' : 'dim';
    case 'failed':
    case 'rejected':
    case 'orphaned':
      return 'bad';
    case 'shutdown':
    case 'remove':
      return 'dim';
    default:
      return 'warn';
  }
}

/**
 * docker's service ps order as a number: the service's place in natural
 * name order, then the slot (or, for a global task, its node's place).
 * Tasks of one slot tie; `taskNewestFirst` orders them.
 */
export function taskNameKey(t: Task, c: CellContext): number {
  if (t.Name !== undefined && t.Name !== '') return c.agg.serviceRank(t.ServiceID) * 2 ** 22;
  return c.agg.serviceRank(t.ServiceID) * 2 ** 22 + (t.Slot !== undefined && t.Slot > 0 ? t.Slot : c.agg.nodeRank(t.NodeID));
}

export function taskNewestFirst(t: Task): number {
  const created = parseTimestamp(t.CreatedAt);
  return Number.isNaN(created) ? 0 : -created;
}

export const TASK_COLUMNS: readonly Column<Task>[] = [
  { id: 'id', title: 'ID', width: 12, min: 12, keep: 3, cell: (t) => ({ text: shortId(t.ID) }) },
  { id: 'name', title: 'NAME', width: 16, min: 10, grow: true, keep: 10, cell: (t, c) => ({ text: taskNameOf(c.index, t) }), sort: taskNameKey, tie: taskNewestFirst },
  { id: 'image', title: 'IMAGE', width: 18, min: 10, keep: 4, cell: (t) => ({ text: t.Spec.ContainerSpec.Image }) },
  { id: 'node', title: 'NODE', width: 14, min: 8, keep: 7, cell: (t, c) => ({ text: nodeNameOf(c.index, t.NodeID) }), sort: (t, c) => c.agg.nodeRank(t.NodeID), mutable: true },
  { id: 'desired', title: 'DESIRED', width: 8, min: 8, keep: 6, cell: (t) => ({ text: pretty(t.DesiredState), tone: t.DesiredState === 'running' ? 'normal' : 'dim' }), mutable: true },
  {
    id: 'current',
    title: 'CURRENT',
    width: 27,
    min: 14,
    keep: 9,
    cell: (t, c) => ({ text: stateSince(t.Status.State, t.Status.Timestamp, c.nowMs), tone: currentTone(t) }),
    sort: (t) => `${t.Status.State}\x00${t.Status.Timestamp}`,
    mutable: true,
  },
  { id: 'error', title: 'ERROR', width: 24, min: 10, grow: true, keep: 8, cell: (t) => ({ text: taskError(t), tone: 'bad' }), sort: (t) => taskError(t), mutable: true },
];

export type AnyColumn = Column<Node> | Column<Service> | Column<Task>;

export function columnsOf(kind: TableKind): readonly AnyColumn[] {
  return kind === 'nodes' ? NODE_COLUMNS : kind === 'services' ? SERVICE_COLUMNS : TASK_COLUMNS;
}

/** The column a table is sorted by when the operator has not chosen one. */
export const DEFAULT_SORT: Readonly<Record<TableKind, string>> = { nodes: 'hostname', services: 'name', tasks: 'name' };
