// The Events view's lines: each watch event after the snapshot, said in a
// few words, with what changed when the previous version is known
// ("web.3 assigned -> running on worker1").
import type { WatchEvent } from '../../api/contracts/control.js';
import type { Node } from '../../api/node.js';
import type { Service } from '../../api/service.js';
import type { Task } from '../../api/task.js';
import type { Tone } from './cells.js';
import type { IndexView } from './cluster-index.js';
import { nodeNameOf, taskError, taskNameOf } from './columns.js';

export interface EventEntry {
  readonly atMs: number;
  readonly action: WatchEvent['Action'];
  readonly table: WatchEvent['Table'];
  readonly text: string;
  readonly tone: Tone;
}

function arrow<T>(a: T | undefined, b: T, show: (v: T) => string = String): string {
  return a === undefined || a === b ? show(b) : `${show(a)} -> ${show(b)}`;
}

function describeNode(n: Node, prev: Node | undefined): { text: string; tone: Tone } {
  const parts = [`${arrow(prev?.Status.State, n.Status.State)}`];
  if (prev === undefined || prev.Spec.Availability !== n.Spec.Availability) parts.push(`availability ${arrow(prev?.Spec.Availability, n.Spec.Availability)}`);
  if (prev !== undefined && prev.Spec.Role !== n.Spec.Role) parts.push(`role ${arrow(prev.Spec.Role, n.Spec.Role)}`);
  const lead = n.ManagerStatus?.Leader === true;
  if (lead && prev?.ManagerStatus?.Leader !== true) parts.push('now leader');
  const tone: Tone = n.Status.State === 'down' ? 'bad' : n.Status.State === 'ready' ? 'normal' : 'warn';
  return { text: `${n.Description.Hostname}: ${parts.join(', ')}`, tone };
}

function replicas(s: Service): string {
  const m = s.Spec.Mode;
  return m.Replicated !== undefined ? String(m.Replicated.Replicas) : m.Global !== undefined ? 'global' : 'job';
}

function describeService(s: Service, prev: Service | undefined): { text: string; tone: Tone } {
  const parts: string[] = [];
  if (prev === undefined || replicas(prev) !== replicas(s)) parts.push(`replicas ${arrow(prev === undefined ? undefined : replicas(prev), replicas(s))}`);
  const img = s.Spec.TaskTemplate.ContainerSpec.Image;
  if (prev === undefined || prev.Spec.TaskTemplate.ContainerSpec.Image !== img) parts.push(`image ${arrow(prev?.Spec.TaskTemplate.ContainerSpec.Image, img)}`);
  const u = s.UpdateStatus;
  if (u !== undefined && prev?.UpdateStatus?.State !== u.State) parts.push(`update ${u.State}${u.Message !== '' ? ` (${u.Message})` : ''}`);
  if (prev !== undefined && prev.Spec.TaskTemplate.ForceUpdate !== s.Spec.TaskTemplate.ForceUpdate) parts.push('forced update');
  const tone: Tone = u?.State === 'paused' || u?.State === 'rollback_paused' ? 'bad' : u?.State === 'rollback_started' ? 'warn' : 'normal';
  return { text: `${s.Spec.Name}: ${parts.length > 0 ? parts.join(', ') : 'changed'}`, tone };
}

function describeTask(t: Task, prev: Task | undefined, index: IndexView): { text: string; tone: Tone } {
  const node = nodeNameOf(index, t.NodeID);
  let text = `${taskNameOf(index, t)}: ${arrow(prev?.Status.State, t.Status.State)}`;
  if (node !== '') text += ` on ${node}`;
  if (prev !== undefined && prev.DesiredState !== t.DesiredState) text += `, desired ${arrow(prev.DesiredState, t.DesiredState)}`;
  const err = taskError(t);
  if (err !== '') text += ` (${err})`;
  const bad = t.Status.State === 'failed' || t.Status.State === 'rejected' || t.Status.State === 'orphaned';
  return { text, tone: bad ? 'bad' : t.Status.State === 'running' ? 'ok' : 'normal' };
}

/** `prev` is the object as the index held it before the event (undefined for a create). */
export function describeEvent(e: WatchEvent, prev: unknown, index: IndexView, atMs: number): EventEntry {
  const base = { atMs, action: e.Action, table: e.Table };
  if (e.Action === 'remove') {
    const o = e.Object;
    const name =
      e.Table === 'nodes' ? (o as Node).Description.Hostname : e.Table === 'services' ? (o as Service).Spec.Name : e.Table === 'tasks' ? taskNameOf(index, o as Task) : o.ID;
    return { ...base, text: `${name} removed`, tone: 'dim' };
  }
  switch (e.Table) {
    case 'nodes':
      return { ...base, ...describeNode(e.Object as Node, prev as Node | undefined) };
    case 'services':
      return { ...base, ...describeService(e.Object as Service, prev as Service | undefined) };
    case 'tasks':
      return { ...base, ...describeTask(e.Object as Task, prev as Task | undefined, index) };
    default:
      return { ...base, text: `${e.Table.replace(/s$/, '')} ${e.Object.ID} ${e.Action === 'create' ? 'created' : 'updated'}`, tone: 'normal' };
  }
}

export function clock(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
