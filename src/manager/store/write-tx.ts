// A write transaction: reads see the store plus the transaction's own writes;
// writes are recorded as actions (at most one per object, in the order
// objects were first touched) to be committed through Raft.
import { ShoalError } from '../../api/errors.js';
import type { StoreAction } from './actions.js';
import type { ReadTx } from './read-tx.js';
import { TABLE_DEFS, type StoredObject, type TableName } from './tables.js';

export class WriteTx implements ReadTx {
  /** `${table}/${id}` -> the one action for that object. */
  private readonly byObject = new Map<string, StoreAction>();
  /** `${table}/${id}` -> the object as this transaction leaves it (null = deleted). */
  private readonly overlay = new Map<string, { table: TableName; obj: StoredObject | null }>();

  constructor(private readonly base: ReadTx) {}

  get actions(): StoreAction[] {
    return [...this.byObject.values()];
  }

  get size(): number {
    return this.byObject.size;
  }

  get(table: TableName, id: string): StoredObject | undefined {
    const o = this.overlay.get(`${table}/${id}`);
    if (o !== undefined) return o.obj ?? undefined;
    return this.base.get(table, id);
  }

  find(table: TableName, index: string, key: string): StoredObject[] {
    const keyOf = TABLE_DEFS[table].indexes[index];
    if (keyOf === undefined) throw new Error(`table ${table} has no index ${index}`);
    const out = this.base.find(table, index, key).filter((o) => !this.overlay.has(`${table}/${o.ID}`));
    for (const { table: t, obj } of this.overlay.values()) {
      if (t === table && obj !== null && keyOf(obj) === key) out.push(obj);
    }
    return out;
  }

  all(table: TableName): StoredObject[] {
    const out = this.base.all(table).filter((o) => !this.overlay.has(`${table}/${o.ID}`));
    for (const { table: t, obj } of this.overlay.values()) if (t === table && obj !== null) out.push(obj);
    return out;
  }

  count(table: TableName): number {
    return this.all(table).length;
  }

  create(table: TableName, obj: StoredObject): void {
    const key = `${table}/${obj.ID}`;
    if (this.get(table, obj.ID) !== undefined) throw new ShoalError('AlreadyExists', `${table} ${obj.ID} already exists`);
    const prev = this.byObject.get(key);
    // Deleted earlier in this transaction and created again: an update of the stored object.
    if (prev?.kind === 'delete') this.byObject.set(key, { kind: 'update', table, object: { ...obj, Version: { Index: prev.version } } });
    else this.byObject.set(key, { kind: 'create', table, object: obj });
    this.overlay.set(key, { table, obj });
  }

  /** `obj.Version` must be the version this transaction read. */
  update(table: TableName, obj: StoredObject): void {
    const key = `${table}/${obj.ID}`;
    if (this.get(table, obj.ID) === undefined) throw new ShoalError('NotFound', `${table} ${obj.ID} not found`);
    const prev = this.byObject.get(key);
    // An object already written here keeps the version its first action expected.
    if (prev !== undefined && prev.kind !== 'delete') this.byObject.set(key, { kind: prev.kind, table, object: { ...obj, Version: prev.object.Version } });
    else this.byObject.set(key, { kind: 'update', table, object: obj });
    this.overlay.set(key, { table, obj });
  }

  delete(table: TableName, id: string): void {
    const key = `${table}/${id}`;
    const cur = this.get(table, id);
    if (cur === undefined) throw new ShoalError('NotFound', `${table} ${id} not found`);
    const prev = this.byObject.get(key);
    if (prev?.kind === 'create') this.byObject.delete(key);
    else {
      const base = this.base.get(table, id);
      this.byObject.set(key, { kind: 'delete', table, id, version: (base ?? cur).Version.Index });
    }
    this.overlay.set(key, { table, obj: null });
  }
}
