// The key handler: (state, key) -> (state, effects), pure. Effects are
// what only the IO edge can do: run an action against the manager, quit,
// hand the terminal to the dashboard. The handler reads the rows the
// operator sees through `KeyContext` (memoized derivations of the index).
import { columnsOf, DEFAULT_SORT } from './columns.js';
import { begin, none, run, type KeyContext, type KeyResult } from './effects.js';
import { helpLines } from './help.js';
import type { Key } from './key.js';
import { actionKey, rowName } from './keys-actions.js';
import { clamp, moveBy, moveTo, resolvePos, textTop } from './list-pos.js';
import { completions, runPalette } from './palette.js';
import type { Filter, Frame, Mode, TableFrame, TextFrame, UiState } from './ui-state.js';
import { bodyHeight, current, isTable, jump, NO_FILTER, pop, push, replaceTop, tableFrame, textFrame } from './ui-state.js';

export type { Effect, KeyContext, KeyResult } from './effects.js';

const NORMAL: Mode = { kind: 'normal' };

export function handleKey(s: UiState, key: Key, ctx: KeyContext): KeyResult {
  switch (s.mode.kind) {
    case 'normal':
      return normalKey(s, key, ctx);
    case 'palette':
      return paletteKey(s, s.mode.text, key, ctx);
    case 'filter':
      return filterKey(s, s.mode, key);
    case 'prompt':
      return promptKey(s, s.mode, key);
    case 'confirm':
      return confirmKey(s, s.mode, key);
    case 'help':
      return helpKey(s, s.mode.top, key);
  }
}

/** Typing into a one-line input: the new text, or undefined when the key is not an edit. */
export function edit(text: string, key: Key): string | undefined {
  if (key.kind === 'backspace') return [...text].slice(0, -1).join('');
  if (key.kind === 'text') return text + key.text.replace(/[\x00-\x1f\x7f]/g, '');
  return undefined;
}

// ---- normal mode ----

const JUMPS: Readonly<Record<string, () => Frame>> = {
  '1': () => tableFrame('nodes'),
  '2': () => tableFrame('services'),
  '3': () => tableFrame('tasks'),
  '4': () => textFrame('cluster'),
  '5': () => textFrame('events', { follow: true }),
};

function normalKey(s: UiState, key: Key, ctx: KeyContext): KeyResult {
  const frame = current(s);
  if (key.kind === 'ctrl-c') return { state: s, effects: [{ kind: 'quit' }] };
  if (key.kind === 'escape') {
    if (frame.filter.text !== '') return none(replaceTop({ ...s, status: undefined }, { ...frame, filter: NO_FILTER }));
    return none({ ...pop(s), status: undefined });
  }
  const moved = navigate(s, frame, key, ctx);
  if (moved !== undefined) return none(moved);
  if (key.kind !== 'text') return key.kind === 'enter' ? enter(s, frame, ctx) : none(s);
  const jumpTo = JUMPS[key.text];
  if (jumpTo !== undefined) return none(jump(s, jumpTo()));
  switch (key.text) {
    case '?':
      return none({ ...s, mode: { kind: 'help', top: 0 } });
    case ':':
      return none({ ...s, mode: { kind: 'palette', text: '' } });
    case '/':
      if (frame.kind === 'cluster') return none(s);
      return none({ ...s, mode: { kind: 'filter', text: filterText(frame.filter), before: frame.filter } });
  }
  if (isTable(frame)) {
    if (key.text === 'o' || key.text === 'O') return none(sortKey(s, frame, key.text === 'O'));
    const acted = actionKey(s, frame, key.text, ctx);
    if (acted !== undefined) return acted;
    return none(s);
  }
  return none(textKey(s, frame, key.text, ctx));
}

function filterText(f: Filter): string {
  return f.invert ? `!${f.text}` : f.text;
}

export function parseFilter(text: string): Filter {
  return text.startsWith('!') ? { text: text.slice(1), invert: true } : { text, invert: false };
}

function navigate(s: UiState, frame: Frame, key: Key, ctx: KeyContext): UiState | undefined {
  const h = bodyHeight(s.size);
  const t = key.kind === 'text' ? key.text : '';
  let delta: number | 'first' | 'last' | undefined;
  if (key.kind === 'up' || t === 'k') delta = -1;
  else if (key.kind === 'down' || t === 'j') delta = 1;
  else if (key.kind === 'pageUp') delta = -h;
  else if (key.kind === 'pageDown' || t === ' ') delta = h;
  else if (key.kind === 'home' || t === 'g') delta = 'first';
  else if (key.kind === 'end' || t === 'G') delta = 'last';
  if (delta === undefined) return undefined;
  if (isTable(frame)) {
    const ids = ctx.tableRows(frame);
    const pos = delta === 'first' ? moveTo(frame.pos, ids, h, 0) : delta === 'last' ? moveTo(frame.pos, ids, h, ids.length - 1) : moveBy(frame.pos, ids, h, delta);
    return replaceTop(s, { ...frame, pos });
  }
  const count = ctx.textLines(frame);
  const last = Math.max(0, count - h);
  const shown = textTop(frame.top, frame.follow, count, h);
  const top = delta === 'first' ? 0 : delta === 'last' ? last : clamp(shown + delta, 0, last);
  // Following resumes at the bottom (G or End), and stops when scrolling up.
  const follow = delta === 'last' ? frame.kind === 'events' || frame.kind === 'logs' : frame.follow && top >= last;
  return replaceTop(s, { ...frame, top, follow });
}

function sortKey(s: UiState, frame: TableFrame, reverse: boolean): UiState {
  const cols = columnsOf(frame.kind);
  const now = frame.sort ?? { column: DEFAULT_SORT[frame.kind], desc: false };
  if (reverse) {
    const sort = { ...now, desc: !now.desc };
    return replaceTop({ ...s, status: sortStatus(frame, sort.column, sort.desc) }, { ...frame, sort });
  }
  const at = cols.findIndex((c) => c.id === now.column);
  const next = cols[(at + 1) % cols.length] ?? cols[0];
  if (next === undefined) return s;
  return replaceTop({ ...s, status: sortStatus(frame, next.id, false) }, { ...frame, sort: { column: next.id, desc: false } });
}

function sortStatus(frame: TableFrame, column: string, desc: boolean): UiState['status'] {
  const title = columnsOf(frame.kind).find((c) => c.id === column)?.title ?? column;
  return { tone: 'info', text: `sorted by ${title} ${desc ? '(descending)' : '(ascending)'}` };
}

/** Enter: a node or a service opens its tasks; a task opens its inspect view. */
function enter(s: UiState, frame: Frame, ctx: KeyContext): KeyResult {
  if (!isTable(frame)) return none(s);
  const id = resolvePos(frame.pos, ctx.tableRows(frame), bodyHeight(s.size)).selected;
  if (id === undefined) return none(s);
  if (frame.kind === 'nodes') {
    const n = ctx.index.nodes.get(id);
    return none(n === undefined ? s : push(s, tableFrame('tasks', { kind: 'node', id, name: n.Description.Hostname })));
  }
  if (frame.kind === 'services') {
    const sv = ctx.index.services.get(id);
    return none(sv === undefined ? s : push(s, tableFrame('tasks', { kind: 'service', id, name: sv.Spec.Name })));
  }
  return none(push(s, textFrame('inspect', { inspect: { table: 'tasks', id, name: rowName(frame, id, ctx) } })));
}

function textKey(s: UiState, frame: TextFrame, t: string, ctx: KeyContext): UiState {
  const h = bodyHeight(s.size);
  if (t === 'f' && (frame.kind === 'events' || frame.kind === 'logs')) {
    const follow = !frame.follow;
    const top = textTop(frame.top, frame.follow, ctx.textLines(frame), h);
    return replaceTop({ ...s, status: { tone: 'info', text: follow ? 'following new lines' : 'not following' } }, { ...frame, follow, top });
  }
  if (frame.kind !== 'logs') return s;
  if (t === 'w') return replaceTop({ ...s, status: { tone: 'info', text: frame.wrap ? 'wrap off' : 'wrap on' } }, { ...frame, wrap: !frame.wrap });
  if (t === 'p') {
    const pausedAt = frame.pausedAt === undefined ? ctx.logCount() : undefined;
    return replaceTop({ ...s, status: { tone: 'info', text: pausedAt === undefined ? 'resumed' : 'paused: new lines are kept, p resumes' } }, { ...frame, pausedAt });
  }
  return s;
}

// ---- prompts ----

function paletteKey(s: UiState, text: string, key: Key, ctx: KeyContext): KeyResult {
  if (key.kind === 'escape' || key.kind === 'ctrl-c') return none({ ...s, mode: NORMAL });
  if (key.kind === 'tab') {
    const first = completions(text)[0];
    return none(first === undefined ? s : { ...s, mode: { kind: 'palette', text: `${first} ` } });
  }
  if (key.kind === 'enter') {
    const r = runPalette(text, ctx.index);
    const closed: UiState = { ...s, mode: NORMAL };
    switch (r.kind) {
      case 'jump':
        return none({ ...jump(closed, r.frame), status: undefined });
      case 'sort': {
        const frame = current(closed);
        if (!isTable(frame)) return none({ ...closed, status: { tone: 'error', text: 'only tables can be sorted' } });
        const col = columnsOf(frame.kind).find((c) => c.id === r.column || c.title.toLowerCase() === r.column);
        if (col === undefined) return none({ ...closed, status: { tone: 'error', text: `no column "${r.column}" here` } });
        return none(replaceTop({ ...closed, status: sortStatus(frame, col.id, r.desc) }, { ...frame, sort: { column: col.id, desc: r.desc } }));
      }
      case 'help':
        return none({ ...s, mode: { kind: 'help', top: 0 } });
      case 'dashboard':
        return { state: closed, effects: [{ kind: 'dashboard' }] };
      case 'quit':
        return { state: closed, effects: [{ kind: 'quit' }] };
      case 'error':
        return none({ ...closed, status: { tone: 'error', text: r.text } });
    }
  }
  const next = edit(text, key);
  return none(next === undefined ? s : { ...s, mode: { kind: 'palette', text: next } });
}

function filterKey(s: UiState, mode: Extract<Mode, { kind: 'filter' }>, key: Key): KeyResult {
  const frame = current(s);
  if (key.kind === 'escape' || key.kind === 'ctrl-c') return none(replaceTop({ ...s, mode: NORMAL }, withFilter(frame, mode.before)));
  if (key.kind === 'enter') return none({ ...s, mode: NORMAL });
  const next = edit(mode.text, key);
  if (next === undefined) return none(s);
  // Live: the rows narrow as the operator types; the cursor goes back to the top.
  return none(replaceTop({ ...s, mode: { ...mode, text: next } }, withFilter(frame, parseFilter(next))));
}

function withFilter(frame: Frame, filter: Filter): Frame {
  if (isTable(frame)) return { ...frame, filter, pos: { cursor: 0, top: 0, selected: undefined } };
  return { ...frame, filter, top: 0 };
}

function promptKey(s: UiState, mode: Extract<Mode, { kind: 'prompt' }>, key: Key): KeyResult {
  if (key.kind === 'escape' || key.kind === 'ctrl-c') return none({ ...s, mode: NORMAL, status: { tone: 'info', text: 'cancelled' } });
  const p = mode.prompt;
  if (key.kind === 'enter') {
    const value = mode.text.trim();
    if (p.kind === 'scale') {
      if (!/^\d+$/.test(value) || Number(value) > 1_000_000) return none({ ...s, status: { tone: 'error', text: `invalid replicas value "${value}": a whole number is needed` } });
      return begin({ ...s, mode: NORMAL }, { kind: 'service-scale', serviceId: p.serviceId, name: p.name, replicas: Number(value) });
    }
    if (value === '' || /\s/.test(value)) return none({ ...s, status: { tone: 'error', text: 'an image reference is needed, e.g. nginx:1.27' } });
    return begin({ ...s, mode: NORMAL }, { kind: 'service-image', serviceId: p.serviceId, name: p.name, image: value });
  }
  const next = edit(mode.text, key);
  if (next === undefined) return none(s);
  if (p.kind === 'scale' && /\D/.test(next)) return none({ ...s, status: { tone: 'error', text: 'replicas: digits only' } });
  return none({ ...s, mode: { ...mode, text: next } });
}

function confirmKey(s: UiState, mode: Extract<Mode, { kind: 'confirm' }>, key: Key): KeyResult {
  const cancel = none({ ...s, mode: NORMAL, status: { tone: 'info', text: 'cancelled' } });
  if (key.kind === 'escape' || key.kind === 'ctrl-c') return cancel;
  if (key.kind === 'enter') return mode.choice === 'yes' ? run(s, mode.action) : cancel;
  if (key.kind === 'left' || key.kind === 'right' || key.kind === 'tab') return none({ ...s, mode: { ...mode, choice: mode.choice === 'no' ? 'yes' : 'no' } });
  if (key.kind === 'text') {
    const t = key.text.toLowerCase();
    if (t === 'y') return run(s, mode.action);
    if (t === 'n' || t === 'q') return cancel;
  }
  return none(s);
}

function helpKey(s: UiState, top: number, key: Key): KeyResult {
  const t = key.kind === 'text' ? key.text : '';
  if (key.kind === 'escape' || key.kind === 'ctrl-c' || key.kind === 'enter' || t === '?' || t === 'q') return none({ ...s, mode: NORMAL });
  const h = bodyHeight(s.size);
  const last = Math.max(0, helpLines(s.readOnly).length - h);
  let next = top;
  if (key.kind === 'down' || t === 'j') next = top + 1;
  else if (key.kind === 'up' || t === 'k') next = top - 1;
  else if (key.kind === 'pageDown' || t === ' ') next = top + h;
  else if (key.kind === 'pageUp') next = top - h;
  else if (key.kind === 'home' || t === 'g') next = 0;
  else if (key.kind === 'end' || t === 'G') next = last;
  return none({ ...s, mode: { kind: 'help', top: clamp(next, 0, last) } });
}
