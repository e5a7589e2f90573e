// The rows of a table view, derived from the index: which objects (scope),
// in which order (sort), which of them match the filter. Sorting 50,000
// tasks takes tens of milliseconds, so results are memoized: a sort on a
// key that never changes (a task's name, its id) is redone only when tasks
// are created or removed; other sorts and every filter are redone when the
// index changes (`rev`), never on a key press that only moves the cursor.
import type { Node } from '../../api/node.js';
import type { Service } from '../../api/service.js';
import type { Task } from '../../api/task.js';
import type { Aggregates } from './aggregates.js';
import type { IndexView } from './cluster-index.js';
import { DEFAULT_SORT, NODE_COLUMNS, SERVICE_COLUMNS, TASK_COLUMNS, type CellContext, type Column } from './columns.js';
import { compareKeys } from './natural.js';
import type { Filter, TableFrame, TaskScope } from './ui-state.js';

interface Sorted {
  readonly stamp: string;
  readonly ids: readonly string[];
}

interface Filtered {
  readonly rev: number;
  readonly from: readonly string[];
  readonly ids: readonly string[];
}

function scopeKey(scope: TaskScope): string {
  return scope.kind === 'all' ? 'all' : `${scope.kind}:${scope.id}`;
}

/** A filter's words, lower-cased; a row matches when its text contains every word. */
export function filterWords(f: Filter): string[] {
  return f.text.toLowerCase().split(/\s+/).filter((w) => w !== '');
}

export class TableRows {
  private readonly sorted = new Map<string, Sorted>();
  private readonly filtered = new Map<string, Filtered>();
  /** Search text by id, with the version it was made from (not the object: that would keep old versions alive). */
  private readonly search = new Map<string, { readonly version: string; readonly text: string }>();

  constructor(
    private readonly index: IndexView,
    private readonly agg: Aggregates,
  ) {}

  /** The ids of the rows, in order, filtered. */
  rows(frame: TableFrame, nowMs: number): readonly string[] {
    const ctx: CellContext = { index: this.index, agg: this.agg, nowMs };
    switch (frame.kind) {
      case 'nodes':
        return this.derive(frame, ctx, NODE_COLUMNS, this.index.nodes, () => this.index.nodes.keys());
      case 'services':
        return this.derive(frame, ctx, SERVICE_COLUMNS, this.index.services, () => this.index.services.keys());
      case 'tasks': {
        const scope = frame.scope;
        const ids = () => (scope.kind === 'service' ? this.index.tasksOfService(scope.id) : scope.kind === 'node' ? this.index.tasksOfNode(scope.id) : this.index.tasks.keys());
        return this.derive(frame, ctx, TASK_COLUMNS, this.index.tasks, ids);
      }
    }
  }

  private derive<T extends Node | Service | Task>(
    frame: TableFrame,
    ctx: CellContext,
    columns: readonly Column<T>[],
    objects: ReadonlyMap<string, T>,
    ids: () => Iterable<string>,
  ): readonly string[] {
    const sortId = frame.sort?.column ?? DEFAULT_SORT[frame.kind];
    const column = columns.find((c) => c.id === sortId) ?? columns.find((c) => c.id === DEFAULT_SORT[frame.kind]);
    if (column === undefined) throw new Error(`invariant violated: no default column for ${frame.kind}`);
    const desc = frame.sort?.desc ?? false;
    const key = `${frame.kind}|${scopeKey(frame.scope)}|${column.id}|${desc ? 'd' : 'a'}`;
    // A task's name key (service, slot, node) never changes: its order changes only when objects come or go.
    const stamp =
      column.mutable === true || frame.kind !== 'tasks'
        ? `r${this.index.rev}`
        : `m${this.index.membership('tasks')}:${this.index.membership('services')}:${this.index.membership('nodes')}`;
    let sorted = this.sorted.get(key);
    if (sorted === undefined || sorted.stamp !== stamp) {
      sorted = { stamp, ids: sortIds([...ids()], objects, column, columns, ctx, frame.kind, desc) };
      this.sorted.set(key, sorted);
    }
    const words = filterWords(frame.filter);
    if (words.length === 0) return sorted.ids;
    const fkey = `${key}|${frame.filter.invert ? '!' : ''}${words.join(' ')}`;
    const hit = this.filtered.get(fkey);
    if (hit !== undefined && hit.rev === this.index.rev && hit.from === sorted.ids) return hit.ids;
    const out = sorted.ids.filter((id) => {
      const o = objects.get(id);
      if (o === undefined) return false;
      const text = this.searchText(id, o, columns, ctx);
      return words.every((w) => text.includes(w)) !== frame.filter.invert;
    });
    this.filtered.set(fkey, { rev: this.index.rev, from: sorted.ids, ids: out });
    this.prune();
    return out;
  }

  /**
   * Work out the search texts of a table's rows ahead of the first filter
   * key (50,000 of them take ~100 ms), for at most `budgetMs`; returns
   * whether all are ready.
   */
  warmSearch(frame: TableFrame, nowMs: number, budgetMs: number): boolean {
    const ctx: CellContext = { index: this.index, agg: this.agg, nowMs };
    const end = performance.now() + budgetMs;
    const ids = this.rows({ ...frame, filter: { text: '', invert: false } }, nowMs);
    const objects: ReadonlyMap<string, Node | Service | Task> = frame.kind === 'nodes' ? this.index.nodes : frame.kind === 'services' ? this.index.services : this.index.tasks;
    const columns = (frame.kind === 'nodes' ? NODE_COLUMNS : frame.kind === 'services' ? SERVICE_COLUMNS : TASK_COLUMNS) as readonly Column<Node | Service | Task>[];
    let n = 0;
    for (const id of ids) {
      const o = objects.get(id);
      if (o === undefined || this.search.get(id)?.version === versionOf(o)) continue;
      this.searchText(id, o, columns, ctx);
      if (++n % 256 === 0 && performance.now() > end) return false;
    }
    return true;
  }

  private searchText<T extends Node | Service | Task>(id: string, o: T, columns: readonly Column<T>[], ctx: CellContext): string {
    const hit = this.search.get(id);
    const version = versionOf(o);
    if (hit !== undefined && hit.version === version) return hit.text;
    const text = columns
      .filter((c) => c.id !== 'tasks' && c.id !== 'cpu' && c.id !== 'memory' && c.id !== 'replicas' && c.id !== 'update')
      .map((c) => (c.id === 'current' ? (o as unknown as Task).Status.State : c.cell(o, ctx).text))
      .join(' ')
      .toLowerCase();
    this.search.set(id, { version, text });
    return text;
  }

  /** Keep the caches bounded: filters of views left behind, search texts of removed objects. */
  private prune(): void {
    if (this.filtered.size > 32) this.filtered.clear();
    const live = this.index.nodes.size + this.index.services.size + this.index.tasks.size;
    if (this.search.size > 2 * live + 1024) this.search.clear();
  }
}

/** What a row's search text depends on: its version, and for a node the Raft status merged into it. */
function versionOf(o: Node | Service | Task): string {
  const ms = 'ManagerStatus' in o ? o.ManagerStatus : undefined;
  return ms === undefined ? String(o.Version.Index) : `${o.Version.Index}:${ms.Leader === true ? 'L' : ms.Reachability}`;
}

function sortIds<T>(ids: string[], objects: ReadonlyMap<string, T>, column: Column<T>, columns: readonly Column<T>[], ctx: CellContext, kind: TableFrame['kind'], desc: boolean): string[] {
  const fallback = columns.find((c) => c.id === DEFAULT_SORT[kind]);
  const keyOf = (c: Column<T>, o: T) => (c.sort !== undefined ? c.sort(o, ctx) : c.cell(o, ctx).text);
  const rows = ids.flatMap((id) => {
    const o = objects.get(id);
    return o === undefined ? [] : [{ id, o, k: keyOf(column, o) }];
  });
  // Ties cost a key each: work each level out only for rows that tie on the ones before, once per row.
  type Row = (typeof rows)[number];
  const levels: ((o: T) => string | number)[] = [];
  if (column.tie !== undefined) levels.push((o) => (column.tie as NonNullable<typeof column.tie>)(o, ctx));
  if (fallback !== undefined && fallback !== column) {
    levels.push((o) => keyOf(fallback, o));
    if (fallback.tie !== undefined) levels.push((o) => (fallback.tie as NonNullable<typeof fallback.tie>)(o, ctx));
  }
  const memo = levels.map(() => new Map<string, string | number>());
  const level = (i: number, r: Row): string | number => {
    const m = memo[i] as Map<string, string | number>;
    let v = m.get(r.id);
    if (v === undefined) {
      v = (levels[i] as (o: T) => string | number)(r.o);
      m.set(r.id, v);
    }
    return v;
  };
  const sign = desc ? -1 : 1;
  rows.sort((a, b) => {
    const byKey = sign * compareKeys(a.k, b.k);
    if (byKey !== 0) return byKey;
    for (let i = 0; i < levels.length; i++) {
      const c = compareKeys(level(i, a), level(i, b));
      if (c !== 0) return c;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  return rows.map((r) => r.id);
}
