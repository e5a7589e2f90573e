// The `:` command palette: view names with aliases (`:svc`, `:ps web`),
// `:q` to quit. Pure: text in, what to do out.
import type { IndexView } from './cluster-index.js';
import type { Frame, TaskScope } from './ui-state.js';
import { tableFrame, textFrame } from './ui-state.js';

export interface PaletteEntry {
  readonly names: readonly string[];
  readonly args?: string;
  readonly help: string;
}

export const PALETTE: readonly PaletteEntry[] = [
  { names: ['nodes', 'node', 'no'], help: 'the nodes' },
  { names: ['services', 'svc', 'service'], help: 'the services' },
  { names: ['tasks', 'ps', 'task'], args: '[SERVICE|NODE]', help: 'all tasks, or those of a service or node' },
  { names: ['cluster', 'raft'], help: 'raft members, leader, term, indexes' },
  { names: ['events', 'ev'], help: 'the live event stream' },
  { names: ['logs', 'log'], args: 'SERVICE', help: "a service's logs" },
  { names: ['dashboard', 'dash'], help: 'charts (press q to come back)' },
  { names: ['sort'], args: 'COLUMN [desc]', help: 'sort the table by a column' },
  { names: ['help', 'h'], help: 'keys and commands' },
  { names: ['quit', 'q', 'q!', 'exit'], help: 'leave the console' },
];

export type PaletteResult =
  | { readonly kind: 'jump'; readonly frame: Frame }
  | { readonly kind: 'sort'; readonly column: string; readonly desc: boolean }
  | { readonly kind: 'help' }
  | { readonly kind: 'dashboard' }
  | { readonly kind: 'quit' }
  | { readonly kind: 'error'; readonly text: string };

function entryOf(word: string): PaletteEntry | undefined {
  return PALETTE.find((e) => e.names.includes(word));
}

/** Commands whose names start with what is typed, for the hint line and Tab. */
export function completions(text: string): string[] {
  const word = text.trimStart().split(/\s+/)[0] ?? '';
  if (text.includes(' ')) return [];
  return PALETTE.flatMap((e) => e.names.filter((n) => n.startsWith(word.toLowerCase())).slice(0, 1));
}

/** A service or node by name, id or unique id prefix. */
function scopeOf(index: IndexView, ref: string): TaskScope | undefined {
  for (const s of index.services.values()) if (s.Spec.Name === ref || s.ID === ref) return { kind: 'service', id: s.ID, name: s.Spec.Name };
  for (const n of index.nodes.values()) if (n.Description.Hostname === ref || n.ID === ref) return { kind: 'node', id: n.ID, name: n.Description.Hostname };
  const services = [...index.services.values()].filter((s) => s.ID.startsWith(ref));
  const nodes = [...index.nodes.values()].filter((n) => n.ID.startsWith(ref));
  if (services.length + nodes.length !== 1) return undefined;
  const s = services[0];
  if (s !== undefined) return { kind: 'service', id: s.ID, name: s.Spec.Name };
  const n = nodes[0];
  return n === undefined ? undefined : { kind: 'node', id: n.ID, name: n.Description.Hostname };
}

export function runPalette(input: string, index: IndexView): PaletteResult {
  const [word = '', ...args] = input.trim().split(/\s+/);
  const entry = entryOf(word.toLowerCase());
  if (entry === undefined) return { kind: 'error', text: word === '' ? 'type a command, e.g. :services (:help lists them)' : `unknown command ":${word}" (:help lists the commands)` };
  const name = entry.names[0];
  const ref = args.join(' ');
  switch (name) {
    case 'nodes':
    case 'services':
      return { kind: 'jump', frame: tableFrame(name) };
    case 'tasks': {
      if (ref === '') return { kind: 'jump', frame: tableFrame('tasks') };
      const scope = scopeOf(index, ref);
      return scope === undefined ? { kind: 'error', text: `no service or node "${ref}"` } : { kind: 'jump', frame: tableFrame('tasks', scope) };
    }
    case 'cluster':
      return { kind: 'jump', frame: textFrame('cluster') };
    case 'events':
      return { kind: 'jump', frame: textFrame('events', { follow: true }) };
    case 'logs': {
      const scope = ref === '' ? undefined : scopeOf(index, ref);
      if (scope?.kind !== 'service') return { kind: 'error', text: ref === '' ? 'usage: :logs SERVICE' : `no service "${ref}"` };
      return { kind: 'jump', frame: textFrame('logs', { follow: true, logs: { kind: 'service', id: scope.id, name: scope.name } }) };
    }
    case 'sort': {
      const [column = '', order = ''] = args;
      if (column === '') return { kind: 'error', text: 'usage: :sort COLUMN [desc]' };
      return { kind: 'sort', column: column.toLowerCase(), desc: order.toLowerCase().startsWith('d') };
    }
    case 'dashboard':
      return { kind: 'dashboard' };
    case 'help':
      return { kind: 'help' };
    case 'quit':
      return { kind: 'quit' };
    default:
      return { kind: 'error', text: `unknown command ":${word}"` };
  }
}
