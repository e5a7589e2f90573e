// Task lists (`docker node ps`, and `service ps`/`stack ps` in Docker),
// after docker/cli cli/command/task/print.go and formatter.go: names are
// `<service>.<slot>` (or `.<node id>` for global tasks), tasks sort by name
// in natural order then newest first, earlier tasks of a slot are indented
// with ` \_ ` in tables, IDs are cut to 12 characters, images lose their
// digest and errors are cut to 30 characters unless --no-trunc.
import { shortId, stateSince } from '../../api/format.js';
import { parseImageReference } from '../../api/image-reference.js';
import { parseTimestamp } from '../../api/object-meta.js';
import { taskName, type Task } from '../../api/task.js';
import { formatTable } from '../framework/table.js';
import type { ListLayout } from './list-output.js';
import { naturalCompare } from './natural-sort.js';
import { prettyPrint } from './pretty-print.js';

export interface TaskRow {
  readonly ID: string;
  readonly Name: string;
  readonly Image: string;
  readonly Node: string;
  readonly DesiredState: string;
  readonly CurrentState: string;
  readonly Error: string;
  readonly Ports: string;
}

export interface TaskRowOptions {
  /** Service id -> what NAME starts with (the service name, or the id with --no-resolve). */
  readonly serviceName: (serviceId: string) => string;
  /** Node id -> what NODE shows (the node's name or hostname, or the id with --no-resolve). */
  readonly nodeName: (nodeId: string) => string;
  /** Cut IDs, images and errors (no --no-trunc). */
  readonly trunc: boolean;
  /** The default table: indent the earlier tasks of a slot. */
  readonly indent: boolean;
  readonly nowMs: number;
}

const MAX_ERR_LENGTH = 30;

/** formatter.Ellipsis for text of one-column characters: cut to `max` with "…" as the last. */
export function ellipsis(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  if (max <= 0) return '';
  if (max === 1) return chars[0] ?? '';
  return `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * The IMAGE column: a tagged reference in its familiar form without the
 * digest (`docker.io/library/nginx:1.25@sha256:…` -> `nginx:1.25`); any
 * other reference as it is.
 */
export function displayImage(image: string, trunc: boolean): string {
  if (!trunc) return image;
  const ref = parseImageReference(image);
  if (ref === undefined || ref.tag === undefined) return image;
  const hub = ref.domain === undefined || ref.domain === 'docker.io' || ref.domain === 'index.docker.io';
  let name = ref.path;
  if (hub && name.startsWith('library/') && !name.slice('library/'.length).includes('/')) name = name.slice('library/'.length);
  if (!hub) name = `${ref.domain}/${name}`;
  return `${name}:${ref.tag}`;
}

function portsText(task: Task): string {
  const ports = task.Status.PortStatus?.Ports ?? [];
  return ports.map((p) => `*:${p.PublishedPort ?? 0}->${p.TargetPort}/${p.Protocol}`).join(',');
}

/** The rows in Docker's order. */
export function taskRows(tasks: readonly Task[], o: TaskRowOptions): TaskRow[] {
  const named = tasks.map((task) => ({ task, name: taskName(o.serviceName(task.ServiceID), task) }));
  named.sort((a, b) => naturalCompare(a.name, b.name) || parseTimestamp(b.task.CreatedAt) - parseTimestamp(a.task.CreatedAt));
  let prev = '';
  return named.map(({ task, name }) => {
    const shown = o.indent && name === prev ? ` \\_ ${name}` : name;
    prev = name;
    const err = task.Status.Err ?? '';
    const cut = o.trunc ? ellipsis(err, MAX_ERR_LENGTH) : err;
    return {
      ID: o.trunc ? shortId(task.ID) : task.ID,
      Name: shown,
      Image: displayImage(task.Spec.ContainerSpec.Image, o.trunc),
      Node: o.nodeName(task.NodeID ?? ''),
      DesiredState: prettyPrint(task.DesiredState),
      CurrentState: stateSince(task.Status.State, task.Status.Timestamp, o.nowMs),
      Error: cut === '' ? '' : `"${cut}"`,
      Ports: portsText(task),
    };
  });
}

export const TASK_HEADERS: Readonly<Record<string, string>> = {
  ID: 'ID',
  Name: 'NAME',
  Image: 'IMAGE',
  Node: 'NODE',
  DesiredState: 'DESIRED STATE',
  CurrentState: 'CURRENT STATE',
  Error: 'ERROR',
  Ports: 'PORTS',
};

export function taskTable(rows: readonly TaskRow[]): string {
  return formatTable(
    ['ID', 'NAME', 'IMAGE', 'NODE', 'DESIRED STATE', 'CURRENT STATE', 'ERROR', 'PORTS'],
    rows.map((r) => [r.ID, r.Name, r.Image, r.Node, r.DesiredState, r.CurrentState, r.Error, r.Ports]),
  );
}

export const TASK_LIST_LAYOUT: ListLayout<TaskRow> = { headers: TASK_HEADERS, table: taskTable, id: (r) => r.ID };
