// The console's UI state: a stack of views (Enter pushes, Esc pops), the
// input mode (normal, or one of the prompts), the status line and the
// terminal size. Plain immutable data; only `handleKey` and the few
// reducers below produce new states.
import type { Action } from './actions.js';

export type TableKind = 'nodes' | 'services' | 'tasks';
export type ViewKind = TableKind | 'cluster' | 'events' | 'logs' | 'inspect';

export type TaskScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'service'; readonly id: string; readonly name: string }
  | { readonly kind: 'node'; readonly id: string; readonly name: string };

export type InspectTarget = { readonly table: TableKind; readonly id: string; readonly name: string };
export type LogTarget = { readonly kind: 'service' | 'task'; readonly id: string; readonly name: string };

export interface Sort {
  readonly column: string;
  readonly desc: boolean;
}

export interface Filter {
  readonly text: string;
  /** `!text`: rows that do not match. */
  readonly invert: boolean;
}

/** A list's viewport: the cursor row, the first row shown, and the id under the cursor (kept across re-sorts). */
export interface ListPos {
  readonly cursor: number;
  readonly top: number;
  readonly selected: string | undefined;
}

export interface TableFrame {
  readonly kind: TableKind;
  readonly scope: TaskScope;
  readonly sort: Sort | undefined;
  readonly filter: Filter;
  readonly pos: ListPos;
}

/** A view of lines (events, logs, inspect, the cluster's members): `top` is the first line shown. */
export interface TextFrame {
  readonly kind: 'cluster' | 'events' | 'logs' | 'inspect';
  readonly filter: Filter;
  readonly top: number;
  /** Stick to the newest line (events, logs). */
  readonly follow: boolean;
  readonly wrap: boolean;
  /** Logs: lines after this count are held back while paused. */
  readonly pausedAt: number | undefined;
  readonly logs: LogTarget | undefined;
  readonly inspect: InspectTarget | undefined;
}

export type Frame = TableFrame | TextFrame;

export type Prompt =
  | { readonly kind: 'scale'; readonly serviceId: string; readonly name: string }
  | { readonly kind: 'image'; readonly serviceId: string; readonly name: string };

export type Mode =
  | { readonly kind: 'normal' }
  | { readonly kind: 'palette'; readonly text: string }
  /** Filtering as you type; Esc goes back to `before`. */
  | { readonly kind: 'filter'; readonly text: string; readonly before: Filter }
  | { readonly kind: 'prompt'; readonly prompt: Prompt; readonly text: string }
  /** The safe answer (`no`) is selected first. */
  | { readonly kind: 'confirm'; readonly action: Action; readonly question: string; readonly choice: 'no' | 'yes' }
  | { readonly kind: 'help'; readonly top: number };

export type StatusTone = 'info' | 'pending' | 'ok' | 'error';

export interface Status {
  readonly tone: StatusTone;
  readonly text: string;
}

export interface Size {
  readonly columns: number;
  readonly rows: number;
}

export interface UiState {
  /** Never empty; the last frame is on screen. */
  readonly stack: readonly Frame[];
  readonly mode: Mode;
  readonly status: Status | undefined;
  readonly readOnly: boolean;
  readonly size: Size;
}

export const NO_FILTER: Filter = { text: '', invert: false };
export const TOP: ListPos = { cursor: 0, top: 0, selected: undefined };

export function tableFrame(kind: TableKind, scope: TaskScope = { kind: 'all' }): TableFrame {
  return { kind, scope, sort: undefined, filter: NO_FILTER, pos: TOP };
}

export function textFrame(kind: TextFrame['kind'], extra: Partial<Pick<TextFrame, 'logs' | 'inspect' | 'follow'>> = {}): TextFrame {
  return { kind, filter: NO_FILTER, top: 0, follow: extra.follow ?? false, wrap: false, pausedAt: undefined, logs: extra.logs, inspect: extra.inspect };
}

export function initialState(size: Size, readOnly: boolean): UiState {
  return { stack: [tableFrame('nodes')], mode: { kind: 'normal' }, status: undefined, readOnly, size };
}

export function isTable(f: Frame): f is TableFrame {
  return f.kind === 'nodes' || f.kind === 'services' || f.kind === 'tasks';
}

export function current(s: UiState): Frame {
  const f = s.stack[s.stack.length - 1];
  if (f === undefined) throw new Error('invariant violated: the view stack is empty');
  return f;
}

export function replaceTop(s: UiState, f: Frame): UiState {
  return { ...s, stack: [...s.stack.slice(0, -1), f] };
}

export function push(s: UiState, f: Frame): UiState {
  return { ...s, stack: [...s.stack, f], mode: { kind: 'normal' } };
}

/** Esc: back to the view below; the bottom view stays. */
export function pop(s: UiState): UiState {
  return s.stack.length > 1 ? { ...s, stack: s.stack.slice(0, -1) } : s;
}

/** Switch to a top-level view (palette, number keys): the stack restarts there. */
export function jump(s: UiState, f: Frame): UiState {
  return { ...s, stack: [f], mode: { kind: 'normal' } };
}

/** Rows of the screen: header, sub-header, body, status line, hint line. */
export function bodyHeight(size: Size): number {
  return Math.max(1, size.rows - 4);
}
