// A write transaction: reads see the store plus the transaction's own writes;
// writes are recorded as actions to be committed through Raft.
import { ShoalError } from '../../api/errors.js';
import type { StoreAction } from './actions.js';
import type { ReadTx } from './read-tx.js';
import { TABLE_DEFS, type StoredObject, type TableName } from './tables.js';

export class WriteTx implements ReadTx {
  readonly actions: StoreAction[] = [];
  /** `${table}/${id}` -> the object as this transaction leaves it (null = deleted). */
  private readonly overlay = new Map<string, { table: TableName; obj: StoredObject | null }>();

  constructor(private readonly base: ReadTx) {}

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
    if (this.get(table, obj.ID) !== undefined) throw new ShoalError('AlreadyExists', `${table} ${obj.ID} already exists`);
    this.actions.push({ kind: 'create', table, object: obj });
    this.overlay.set(`${table}/${obj.ID}`, { table, obj });
  }

  /** `obj.Version` must be the version this transaction read. */
  update(table: TableName, obj: StoredObject): void {
    const cur = this.get(table, obj.ID);
    if (cur === undefined) throw new ShoalError('NotFound', `${table} ${obj.ID} not found`);
    // An object created or updated earlier in this same transaction keeps the
    // version the first action expected.
    const earlier = this.actions.findIndex((a) => a.kind !== 'delete' && a.table === table && a.object.ID === obj.ID);
    if (earlier >= 0) {
      const prev = this.actions[earlier];
      if (prev !== undefined && prev.kind !== 'delete') this.actions[earlier] = { kind: prev.kind, table, object: { ...obj, Version: prev.object.Version } };
    } else {
      this.actions.push({ kind: 'update', table, object: obj });
    }
    this.overlay.set(`${table}/${obj.ID}`, { table, obj });
  }

  delete(table: TableName, id: string): void {
    const cur = this.get(table, id);
    if (cur === undefined) throw new ShoalError('NotFound', `${table} ${id} not found`);
    const createdHere = this.actions.findIndex((a) => a.kind === 'create' && a.table === table && a.object.ID === id);
    if (createdHere >= 0) {
      this.actions.splice(createdHere, 1);
      for (let i = this.actions.length - 1; i >= 0; i--) {
        const a = this.actions[i];
        if (a !== undefined && a.kind === 'update' && a.table === table && a.object.ID === id) this.actions.splice(i, 1);
      }
    } else {
      for (let i = this.actions.length - 1; i >= 0; i--) {
        const a = this.actions[i];
        if (a !== undefined && a.kind === 'update' && a.table === table && a.object.ID === id) this.actions.splice(i, 1);
      }
      const base = this.base.get(table, id);
      this.actions.push({ kind: 'delete', table, id, version: (base ?? cur).Version.Index });
    }
    this.overlay.set(`${table}/${id}`, { table, obj: null });
  }
}
