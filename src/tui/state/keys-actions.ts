// The keys that act on the selected row: node availability and role,
// service scale/image/rollback/restart/remove, and the read-only keys that
// open a row's logs or inspect view. A read-only console refuses the
// actions with a status line instead of doing them.
import type { Action } from './actions.js';
import { taskNameOf } from './columns.js';
import { bodyHeight, push, textFrame, type TableFrame, type UiState } from './ui-state.js';
import { begin, none, type KeyContext, type KeyResult } from './effects.js';
import { resolvePos } from './list-pos.js';

const NODE_ACTIONS = new Set(['p', 'D', 'd', 'a', 'P']);
const SERVICE_ACTIONS = new Set(['s', '+', '-', 'u', 'r', 'R', 'x']);

const say = (s: UiState, text: string, tone: 'info' | 'error' = 'error'): KeyResult => none({ ...s, status: { tone, text } });

export function actionKey(s: UiState, frame: TableFrame, t: string, ctx: KeyContext): KeyResult | undefined {
  const isAction = (frame.kind === 'nodes' && NODE_ACTIONS.has(t)) || (frame.kind === 'services' && SERVICE_ACTIONS.has(t));
  const opens = t === 'i' || (t === 'l' && frame.kind !== 'nodes');
  if (!isAction && !opens) return undefined;
  if (isAction && s.readOnly) return say(s, 'read-only console: actions are disabled (started with --read-only)');
  const id = resolvePos(frame.pos, ctx.tableRows(frame), bodyHeight(s.size)).selected;
  if (id === undefined) return say(s, `no ${frame.kind === 'nodes' ? 'node' : frame.kind === 'services' ? 'service' : 'task'} selected`);
  if (opens) return open(s, frame, t, id, ctx);
  return frame.kind === 'nodes' ? nodeAction(s, t, id, ctx) : serviceAction(s, t, id, ctx);
}

export function rowName(frame: TableFrame, id: string, ctx: KeyContext): string {
  if (frame.kind === 'nodes') return ctx.index.nodes.get(id)?.Description.Hostname ?? id;
  if (frame.kind === 'services') return ctx.index.services.get(id)?.Spec.Name ?? id;
  const t = ctx.index.tasks.get(id);
  return t === undefined ? id : `${taskNameOf(ctx.index, t)} (${id.slice(0, 12)})`;
}

function open(s: UiState, frame: TableFrame, t: string, id: string, ctx: KeyContext): KeyResult {
  const name = rowName(frame, id, ctx);
  if (t === 'i') return none(push(s, textFrame('inspect', { inspect: { table: frame.kind, id, name } })));
  const kind = frame.kind === 'services' ? 'service' : 'task';
  return none(push(s, textFrame('logs', { follow: true, logs: { kind, id, name } })));
}

function nodeAction(s: UiState, t: string, id: string, ctx: KeyContext): KeyResult {
  const n = ctx.index.nodes.get(id);
  if (n === undefined) return say(s, 'that node is gone');
  const name = n.Description.Hostname;
  const base = { nodeId: id, name };
  let action: Action;
  switch (t) {
    case 'p':
      if (n.Spec.Role === 'manager') return say(s, `${name} is already a manager`, 'info');
      action = { kind: 'node-role', ...base, role: 'manager' };
      break;
    case 'D':
      if (n.Spec.Role === 'worker') return say(s, `${name} is not a manager`, 'info');
      action = { kind: 'node-role', ...base, role: 'worker' };
      break;
    case 'd':
      if (n.Spec.Availability === 'drain') return say(s, `${name} is already drained`, 'info');
      action = { kind: 'node-availability', ...base, availability: 'drain' };
      break;
    case 'a':
      if (n.Spec.Availability === 'active') return say(s, `${name} is already active`, 'info');
      action = { kind: 'node-availability', ...base, availability: 'active' };
      break;
    default:
      if (n.Spec.Availability === 'pause') return say(s, `${name} is already paused`, 'info');
      action = { kind: 'node-availability', ...base, availability: 'pause' };
  }
  return begin(s, action);
}

function serviceAction(s: UiState, t: string, id: string, ctx: KeyContext): KeyResult {
  const sv = ctx.index.services.get(id);
  if (sv === undefined) return say(s, 'that service is gone');
  const name = sv.Spec.Name;
  const base = { serviceId: id, name };
  const mode = sv.Spec.Mode;
  const replicas = mode.Replicated?.Replicas ?? mode.ReplicatedJob?.TotalCompletions;
  switch (t) {
    case 's':
    case '+':
    case '-': {
      if (replicas === undefined) return say(s, 'scale can only be used with replicated or replicated-job mode');
      if (t === 's') return none({ ...s, mode: { kind: 'prompt', prompt: { kind: 'scale', ...base }, text: String(replicas) } });
      const delta = t === '+' ? 1 : -1;
      if (replicas + delta < 0) return say(s, `${name} is already at 0 replicas`, 'info');
      return begin(s, { kind: 'service-scale-by', ...base, delta, expected: replicas + delta });
    }
    case 'u':
      return none({ ...s, mode: { kind: 'prompt', prompt: { kind: 'image', ...base }, text: sv.Spec.TaskTemplate.ContainerSpec.Image } });
    case 'r':
      if (sv.PreviousSpec === undefined) return say(s, `service ${name} does not have a previous spec to roll back to`);
      return begin(s, { kind: 'service-rollback', ...base });
    case 'R':
      return begin(s, { kind: 'service-restart', ...base });
    default:
      return begin(s, { kind: 'service-remove', ...base });
  }
}
