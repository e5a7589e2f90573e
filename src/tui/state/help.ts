// The `?` help text and the hint line's words: one list of keys per view,
// so both say the same thing. Actions are left out of a read-only console.
import { PALETTE } from './palette.js';
import type { ViewKind } from './ui-state.js';

export interface KeyHelp {
  readonly keys: string;
  readonly does: string;
  /** Changes the cluster (hidden with --read-only). */
  readonly action?: boolean;
  /** Shown on the hint line (the rest only in help). */
  readonly hint?: string;
}

const MOVE: readonly KeyHelp[] = [
  { keys: '↑ ↓ j k', does: 'move' },
  { keys: 'PgUp PgDn ^U ^D', does: 'page' },
  { keys: 'g G Home End', does: 'first / last' },
];

const TABLE: readonly KeyHelp[] = [
  { keys: '/', does: 'filter rows (a leading ! keeps the rows that do not match)', hint: 'filter' },
  { keys: 'o O', does: 'sort by the next column / reverse the order', hint: 'sort' },
  { keys: 'Enter', does: 'drill down (a node or service -> its tasks)', hint: 'open' },
  { keys: 'i', does: 'inspect as YAML', hint: 'inspect' },
];

export const VIEW_KEYS: Readonly<Record<ViewKind, readonly KeyHelp[]>> = {
  nodes: [
    ...TABLE,
    { keys: 'd', does: 'drain (asks first)', action: true, hint: 'drain' },
    { keys: 'a', does: 'activate', action: true, hint: 'activate' },
    { keys: 'P', does: 'pause', action: true, hint: 'pause' },
    { keys: 'p', does: 'promote to manager', action: true, hint: 'promote' },
    { keys: 'D', does: 'demote to worker (asks first)', action: true, hint: 'demote' },
  ],
  services: [
    ...TABLE,
    { keys: 'l', does: 'logs of every replica', hint: 'logs' },
    { keys: 's', does: 'scale (asks the number)', action: true, hint: 'scale' },
    { keys: '+ -', does: 'scale by one', action: true, hint: '±1' },
    { keys: 'u', does: 'update the image (asks the image)', action: true, hint: 'image' },
    { keys: 'r', does: 'roll back (asks first)', action: true, hint: 'rollback' },
    { keys: 'R', does: 'force a restart of every task', action: true, hint: 'restart' },
    { keys: 'x', does: 'remove (asks first)', action: true, hint: 'remove' },
  ],
  tasks: [...TABLE, { keys: 'l', does: "the task's logs", hint: 'logs' }],
  cluster: [],
  events: [
    { keys: '/', does: 'filter events', hint: 'filter' },
    { keys: 'f', does: 'follow new events on/off', hint: 'follow' },
  ],
  logs: [
    { keys: '/', does: 'search (show matching lines)', hint: 'search' },
    { keys: 'f', does: 'follow on/off', hint: 'follow' },
    { keys: 'p', does: 'pause/resume (lines are kept while paused)', hint: 'pause' },
    { keys: 'w', does: 'wrap long lines on/off', hint: 'wrap' },
  ],
  inspect: [{ keys: '/', does: 'show matching lines', hint: 'filter' }],
};

const GLOBAL: readonly KeyHelp[] = [
  { keys: ':', does: 'command palette (Tab completes)', hint: 'cmd' },
  { keys: '1-5', does: 'nodes, services, tasks, cluster, events' },
  { keys: 'Esc', does: 'clear the filter, then back', hint: 'back' },
  { keys: '?', does: 'this help', hint: 'help' },
  { keys: ':q', does: 'quit (Ctrl+C too, except in a prompt, where it cancels)' },
];

/** The help screen's lines. */
export function helpLines(readOnly: boolean): string[] {
  const row = (k: KeyHelp) => `  ${k.keys.padEnd(18)}${k.does}`;
  const keep = (k: KeyHelp) => !readOnly || k.action !== true;
  const out = ['shoal console: keys', '', 'Everywhere', ...GLOBAL.map(row), ...MOVE.map(row)];
  const titles: Record<ViewKind, string> = { nodes: 'Nodes', services: 'Services', tasks: 'Tasks', cluster: 'Cluster', events: 'Events', logs: 'Logs', inspect: 'Inspect' };
  for (const [view, keys] of Object.entries(VIEW_KEYS) as [ViewKind, readonly KeyHelp[]][]) {
    const shown = keys.filter(keep);
    if (shown.length > 0) out.push('', titles[view], ...shown.map(row));
  }
  out.push('', 'Commands (:)');
  for (const e of PALETTE) out.push(`  :${[e.names.join(' :'), e.args ?? ''].join(' ').trim().padEnd(28)}${e.help}`);
  out.push('', 'Destructive actions (drain, demote, remove, rollback, scale to 0) ask first: y confirms, n or Esc cancels.');
  if (readOnly) out.push('This console is read-only (--read-only): it changes nothing.');
  return out;
}

/** The hint line's entries for a view: `key word` pairs. */
export function hintEntries(view: ViewKind, readOnly: boolean): { readonly own: string[]; readonly global: string[] } {
  const own = VIEW_KEYS[view].filter((k) => k.hint !== undefined && (!readOnly || k.action !== true)).map((k) => `${k.keys.split(' ')[0] ?? ''} ${k.hint ?? ''}`);
  const global = GLOBAL.filter((k) => k.hint !== undefined).map((k) => `${k.keys} ${k.hint ?? ''}`);
  return { own, global };
}
