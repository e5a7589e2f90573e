// `service ps` output, as docker/cli's task printer writes it
// (cli/command/task/print.go, formatter.go): `ID NAME IMAGE NODE DESIRED
// STATE CURRENT STATE ERROR PORTS`, tasks sorted by name in natural order
// and, within a slot, newest first; older tasks of a slot are indented
// (` \_ web.1`). Truncated by default: 12-character ids, images without
// digest, errors cut at 30 characters and quoted. A pending task's ERROR is
// the scheduler's explanation. Pure: the caller gives names and the clock.
import { shortId, prettyState, stateSince } from '../../../api/format.js';
import { parseTimestamp } from '../../../api/object-meta.js';
import type { Task } from '../../../api/task.js';
import { taskName } from '../../../api/task.js';
import { formatTable } from '../../framework/table.js';
import { displayImage, ellipsis, goJsonLine, naturalCompare } from './go-text.js';
import type { ListFormat } from './ls-table.js';
import { taskError } from './task-view.js';

const MAX_ERR_LENGTH = 30;

export interface TaskListInput {
  readonly tasks: readonly Task[];
  /** Service id -> the name tasks are named after (the id itself with --no-resolve). */
  readonly serviceNames: ReadonlyMap<string, string>;
  /** Node id -> hostname; a task on an unknown node shows the id. */
  readonly nodeNames: ReadonlyMap<string, string>;
  readonly nowMs: number;
  readonly trunc: boolean;
  readonly quiet: boolean;
  readonly format: ListFormat;
}

interface Row {
  readonly ID: string;
  readonly Name: string;
  readonly Image: string;
  readonly Node: string;
  readonly DesiredState: string;
  readonly CurrentState: string;
  readonly Error: string;
  readonly Ports: string;
}

function row(task: Task, name: string, input: TaskListInput): Row {
  const err = input.trunc ? ellipsis(taskError(task), MAX_ERR_LENGTH) : taskError(task);
  const image = task.Spec.ContainerSpec.Image;
  const node = task.NodeID === undefined || task.NodeID === '' ? '' : (input.nodeNames.get(task.NodeID) ?? task.NodeID);
  return {
    ID: input.trunc ? shortId(task.ID) : task.ID,
    Name: name,
    Image: input.trunc ? displayImage(image) : image,
    Node: node,
    DesiredState: prettyState(task.DesiredState),
    CurrentState: stateSince(task.Status.State, task.Status.Timestamp, input.nowMs),
    Error: err === '' ? '' : `"${err}"`,
    Ports: (task.Status.PortStatus?.Ports ?? []).map((p) => `*:${p.PublishedPort ?? 0}->${p.TargetPort}/${p.Protocol}`).join(','),
  };
}

/** Tasks named and in docker's order: by name (natural), newest first within a name. */
export function sortTasks(tasks: readonly Task[], serviceNames: ReadonlyMap<string, string>): { task: Task; name: string }[] {
  const named = tasks.map((task) => ({ task, name: taskName(serviceNames.get(task.ServiceID) ?? task.ServiceID, { Slot: task.Slot, NodeID: task.NodeID }) }));
  return named.sort((a, b) => naturalCompare(a.name, b.name) || parseTimestamp(b.task.CreatedAt) - parseTimestamp(a.task.CreatedAt));
}

export function renderTaskList(input: TaskListInput): string {
  const sorted = sortTasks(input.tasks, input.serviceNames);
  if (input.quiet) {
    const ids = sorted.map(({ task }) => (input.format === 'json' ? goJsonLine({ ID: task.ID }) : task.ID));
    return ids.map((l) => `${l}\n`).join('');
  }
  const table = input.format === 'table';
  let previous = '';
  const rows = sorted.map(({ task, name }) => {
    const shown = table && name === previous ? ` \\_ ${name}` : name;
    previous = name;
    return row(task, shown, input);
  });
  if (!table) return rows.map((r) => `${goJsonLine({ ...r })}\n`).join('');
  return formatTable(
    ['ID', 'NAME', 'IMAGE', 'NODE', 'DESIRED STATE', 'CURRENT STATE', 'ERROR', 'PORTS'],
    rows.map((r) => [r.ID, r.Name, r.Image, r.Node, r.DesiredState, r.CurrentState, r.Error, r.Ports]),
  );
}
