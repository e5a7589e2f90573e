// `shoal service logs [OPTIONS] SERVICE|TASK` (docker/cli logs.go): each
// line prefixed with its task, `web.1.<task id>@<node>    | line`, the
// number padded to the width of the replica count; stderr lines go to
// stderr. `--raw` prints the lines alone.
import { ControlContract } from '../../../api/contracts/control.js';
import type { LogLine } from '../../../api/contracts/control.js';
import { isShoalError } from '../../../api/errors.js';
import { shortId } from '../../../api/format.js';
import type { Service } from '../../../api/service.js';
import type { Task } from '../../../api/task.js';
import type { Command } from '../../framework/command.js';
import { ExitError } from '../../framework/command.js';
import type { Global } from '../../global.js';
import type { Ctx } from './service-rpc.js';
import { control } from './service-rpc.js';

export interface LogContext {
  readonly serviceName: string;
  /** Digits of the replica count (1 for other modes): slot numbers are padded to it. */
  readonly padding: number;
  readonly noTrunc: boolean;
  readonly noTaskIds: boolean;
  readonly timestamps: boolean;
  readonly raw: boolean;
}

/** taskFormatter.format + logWriter.Write for one line. */
export function formatLogLine(line: LogLine, task: { readonly ID: string; readonly Slot?: number } | undefined, nodeName: string, ctx: LogContext): string {
  const ts = ctx.timestamps ? `${line.Time} ` : '';
  if (ctx.raw) return `${ts}${line.Line}\n`;
  const slot = task?.Slot ?? 0;
  const id = task?.ID ?? line.TaskID;
  let name = `${ctx.serviceName}.${slot}`;
  if (!ctx.noTaskIds) name += `.${ctx.noTrunc ? id : shortId(id)}`;
  const pad = ' '.repeat(Math.max(0, ctx.padding - String(slot).length));
  return `${ts}${name}@${nodeName}${pad}    | ${line.Line}\n`;
}

/** The service to read, or the task and its service: docker's "no such task or service". */
async function target(ctx: Ctx, ref: string): Promise<{ service: Service; task?: Task }> {
  const client = control(ctx);
  try {
    return { service: await client.call(ControlContract, 'getService', { ref }) };
  } catch (err) {
    if (!isShoalError(err) || err.code !== 'NotFound') throw err;
  }
  try {
    const task = await client.call(ControlContract, 'getTask', { ref });
    return { service: await client.call(ControlContract, 'getService', { ref: task.ServiceID }), task };
  } catch (err) {
    if (isShoalError(err) && err.code === 'NotFound') throw new ExitError(1, `no such task or service: ${ref}`);
    throw err;
  }
}

/** `--tail`: "all" or a count; anything else means all, as the daemon reads it. */
function tailOf(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

async function runLogs(ctx: Ctx): Promise<number> {
  const ref = ctx.args[0] ?? '';
  const client = control(ctx);
  const { service, task } = await target(ctx, ref);
  const raw = ctx.flags.bool('raw');
  if (service.Spec.TaskTemplate.ContainerSpec.TTY === true && !raw) throw new ExitError(1, 'tty service logs only supported with --raw');
  const noResolve = ctx.flags.bool('no-resolve');
  const replicas = task?.Slot ?? service.Spec.Mode.Replicated?.Replicas ?? 1;
  const logCtx: LogContext = {
    serviceName: noResolve ? service.ID : service.Spec.Name,
    padding: String(replicas).length,
    noTrunc: ctx.flags.bool('no-trunc'),
    noTaskIds: ctx.flags.bool('no-task-ids'),
    timestamps: ctx.flags.bool('timestamps'),
    raw,
  };
  const [{ tasks }, { nodes }] = await Promise.all([client.call(ControlContract, 'listTasks', { serviceIds: [service.ID] }), client.call(ControlContract, 'listNodes', {})]);
  const taskById = new Map<string, Task>(tasks.map((t) => [t.ID, t]));
  const nodeName = new Map<string, string>(nodes.map((n) => [n.ID, n.Description.Hostname]));
  const tail = tailOf(ctx.flags.string('tail'));
  const stream = client.stream(ControlContract, 'serviceLogs', {
    ref: task?.ID ?? service.ID,
    follow: ctx.flags.bool('follow'),
    timestamps: logCtx.timestamps,
    ...(tail !== undefined ? { tail } : {}),
  });
  const stop = () => void stream.return();
  process.once('SIGINT', stop);
  try {
    for await (const line of stream) {
      let t = taskById.get(line.TaskID);
      if (t === undefined) {
        t = await client.call(ControlContract, 'getTask', { ref: line.TaskID }).catch(() => undefined);
        if (t !== undefined) taskById.set(t.ID, t);
      }
      const node = noResolve ? line.NodeID : (nodeName.get(line.NodeID) ?? line.NodeID);
      const text = formatLogLine(line, t, node, logCtx);
      (line.Stream === 'stderr' ? ctx.io.err : ctx.io.out).write(text);
    }
  } finally {
    process.removeListener('SIGINT', stop);
  }
  return 0;
}

export const logsCommand: Command<Global> = {
  name: 'logs',
  usage: '[OPTIONS] SERVICE|TASK',
  short: 'Fetch the logs of a service or task',
  args: { kind: 'exact', n: 1 },
  flags: [
    { name: 'follow', short: 'f', kind: 'bool', usage: 'Follow log output' },
    { name: 'no-resolve', kind: 'bool', usage: 'Do not map IDs to Names in output' },
    { name: 'no-task-ids', kind: 'bool', usage: 'Do not include task IDs in output' },
    { name: 'no-trunc', kind: 'bool', usage: 'Do not truncate output' },
    { name: 'raw', kind: 'bool', usage: 'Do not neatly format logs' },
    { name: 'tail', short: 'n', kind: 'string', usage: 'Number of lines to show from the end of the logs', defaultText: '"all"', valueName: 'string' },
    { name: 'timestamps', short: 't', kind: 'bool', usage: 'Show timestamps' },
  ],
  run: runLogs,
};
