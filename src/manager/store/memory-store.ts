// The replicated object store's state on one manager. It changes only through
// `apply`, called in log order with committed change sets, so every manager
// holds the same objects at the same index (object version = Raft index).
import { ShoalError } from '../../api/errors.js';
import type { ChangeSet, StoreAction } from './actions.js';
import type { StoreEvent } from './events.js';
import type { ReadTx } from './read-tx.js';
import { Table } from './table.js';
import { TABLES, type StoredObject, type TableName } from './tables.js';
import { WatchQueue, type CommitBatch, type EventFilter } from './watch-queue.js';

export type ApplyResult = { readonly ok: true; readonly events: readonly StoreEvent[] } | { readonly ok: false; readonly error: ShoalError };

export interface WatchOptions {
  readonly filter?: EventFilter;
  /** Most events a watcher may have waiting before it is closed (default 1,000,000). */
  readonly limit?: number;
}

/** Plain data, for Raft snapshots. */
export interface StoreSnapshot {
  readonly index: number;
  readonly tables: Readonly<Record<string, readonly StoredObject[]>>;
}

export class MemoryStore {
  private readonly tables: ReadonlyMap<TableName, Table>;
  private readonly watchers = new Set<WatchQueue>();
  private applied = 0;
  private readonly reader: ReadTx;

  constructor() {
    this.tables = new Map(TABLES.map((name) => [name, new Table(name)]));
    this.reader = {
      get: (table, id) => this.table(table).get(id),
      find: (table, index, key) => {
        const t = this.table(table);
        const out: StoredObject[] = [];
        for (const id of t.lookup(index, key)) {
          const o = t.get(id);
          if (o !== undefined) out.push(o);
        }
        return out;
      },
      all: (table) => [...this.table(table).objects.values()],
      count: (table) => this.table(table).objects.size,
    };
  }

  /** The Raft index of the last applied transaction. */
  get appliedIndex(): number {
    return this.applied;
  }

  view<T>(fn: (tx: ReadTx) => T): T {
    return fn(this.reader);
  }

  watch(opts: WatchOptions = {}): WatchQueue {
    const q = new WatchQueue(opts.filter, opts.limit ?? 1_000_000, (w) => this.watchers.delete(w));
    this.watchers.add(q);
    return q;
  }

  /** A read and a watch that starts exactly after it: no event is missed or seen twice. */
  viewAndWatch<T>(fn: (tx: ReadTx) => T, opts: WatchOptions = {}): [T, WatchQueue] {
    // JavaScript runs this synchronously: no commit can land between the two.
    const result = fn(this.reader);
    return [result, this.watch(opts)];
  }

  /**
   * Apply one committed change set at Raft `index`. Deterministic: every
   * replica accepts or refuses it alike. A refused set changes nothing.
   * An index at or below the applied one is ignored (a replay after restore).
   */
  apply(index: number, changes: ChangeSet): ApplyResult {
    if (index <= this.applied) return { ok: true, events: [] };
    this.applied = index;
    const problem = this.check(changes.actions);
    if (problem !== null) return { ok: false, error: problem };
    const events: StoreEvent[] = [];
    for (const a of changes.actions) {
      const t = this.table(a.table);
      switch (a.kind) {
        case 'create': {
          const obj = { ...a.object, Version: { Index: index }, CreatedAt: changes.at, UpdatedAt: changes.at };
          t.put(obj);
          events.push({ kind: 'create', table: a.table, object: obj });
          break;
        }
        case 'update': {
          const old = t.get(a.object.ID);
          if (old === undefined) throw new Error('unreachable: checked above');
          const obj = { ...a.object, Version: { Index: index }, CreatedAt: old.CreatedAt, UpdatedAt: changes.at };
          t.put(obj);
          events.push({ kind: 'update', table: a.table, object: obj, old });
          break;
        }
        case 'delete': {
          const old = t.remove(a.id);
          if (old !== undefined) events.push({ kind: 'delete', table: a.table, object: old });
          break;
        }
      }
    }
    this.publish({ index, events });
    return { ok: true, events };
  }

  /** Mark an index as applied when its entry carried no store change (e.g. a Raft no-op). */
  skip(index: number): void {
    if (index > this.applied) this.applied = index;
  }

  snapshot(): StoreSnapshot {
    const tables: Record<string, StoredObject[]> = {};
    for (const [name, t] of this.tables) tables[name] = [...t.objects.values()];
    return { index: this.applied, tables };
  }

  /** Replace everything with a snapshot. Watchers are closed: they must resubscribe. */
  restore(snap: StoreSnapshot): void {
    for (const [name, t] of this.tables) {
      t.clear();
      for (const obj of snap.tables[name] ?? []) t.put(obj);
    }
    this.applied = snap.index;
    for (const w of [...this.watchers]) w.close();
  }

  private table(name: TableName): Table {
    const t = this.tables.get(name);
    if (t === undefined) throw new Error(`unknown table ${name}`);
    return t;
  }

  /** Check a whole change set against the current state, as if applied in order. */
  private check(actions: readonly StoreAction[]): ShoalError | null {
    // Track ids and unique keys the set itself creates or frees, so a set may
    // e.g. delete a service and create another with the same name.
    const created = new Map<string, boolean>(); // `${table}/${id}` -> exists after the action
    const names = new Map<string, string | null>(); // `${table}/${index}/${key}` -> owner id (null = freed)
    const exists = (table: TableName, id: string): boolean => created.get(`${table}/${id}`) ?? this.table(table).get(id) !== undefined;
    for (const a of actions) {
      const t = this.table(a.table);
      const id = a.kind === 'delete' ? a.id : a.object.ID;
      const cur = t.get(id);
      switch (a.kind) {
        case 'create':
          if (exists(a.table, id)) return new ShoalError('AlreadyExists', `${singular(a.table)} ${id} already exists`);
          break;
        case 'update':
        case 'delete': {
          if (!exists(a.table, id)) return new ShoalError('NotFound', `${singular(a.table)} ${id} not found`);
          const expected = a.kind === 'delete' ? a.version : a.object.Version.Index;
          if (cur !== undefined && !created.has(`${a.table}/${id}`) && cur.Version.Index !== expected) {
            return new ShoalError('FailedPrecondition', `update out of sequence: ${singular(a.table)} ${id} changed (version ${cur.Version.Index}, expected ${expected}); read it again and retry`);
          }
          break;
        }
      }
      for (const index of t.uniqueIndexes()) {
        if (cur !== undefined) {
          const oldKey = t.keyOf(index, cur);
          if (oldKey !== undefined && (a.kind === 'delete' || t.keyOf(index, a.object) !== oldKey)) names.set(`${a.table}/${index}/${oldKey}`, null);
        }
        if (a.kind === 'delete') continue;
        const key = t.keyOf(index, a.object);
        if (key === undefined) continue;
        const slot = `${a.table}/${index}/${key}`;
        let owner: string | null | undefined = names.get(slot);
        if (owner === undefined) owner = [...t.lookup(index, key)][0] ?? null;
        if (owner !== null && owner !== id) return new ShoalError('AlreadyExists', `${singular(a.table)} with ${index} ${key} already exists`);
        names.set(slot, id);
      }
      created.set(`${a.table}/${id}`, a.kind !== 'delete');
    }
    return null;
  }

  private publish(batch: CommitBatch): void {
    if (batch.events.length === 0) return;
    for (const w of this.watchers) w.push(batch);
  }
}

function singular(table: TableName): string {
  return table.endsWith('s') ? table.slice(0, -1) : table;
}
