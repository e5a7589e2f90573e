// One table: objects by ID plus secondary indexes kept in step with them.
import { TABLE_DEFS, type StoredObject, type TableName } from './tables.js';

export class Table {
  readonly objects = new Map<string, StoredObject>();
  private readonly indexes = new Map<string, Map<string, Set<string>>>();
  private readonly def;

  constructor(readonly name: TableName) {
    this.def = TABLE_DEFS[name];
    for (const index of Object.keys(this.def.indexes)) this.indexes.set(index, new Map());
  }

  get(id: string): StoredObject | undefined {
    return this.objects.get(id);
  }

  /** IDs whose `index` key equals `key`, in no particular order. */
  lookup(index: string, key: string): ReadonlySet<string> {
    const idx = this.indexes.get(index);
    if (idx === undefined) throw new Error(`table ${this.name} has no index ${index}`);
    return idx.get(key) ?? EMPTY;
  }

  hasIndex(index: string): boolean {
    return this.indexes.has(index);
  }

  isUnique(index: string): boolean {
    return this.def.unique.includes(index);
  }

  keyOf(index: string, obj: StoredObject): string | undefined {
    return this.def.indexes[index]?.(obj);
  }

  uniqueIndexes(): readonly string[] {
    return this.def.unique;
  }

  put(obj: StoredObject): void {
    const old = this.objects.get(obj.ID);
    if (old !== undefined) this.unindex(old);
    this.objects.set(obj.ID, obj);
    this.index(obj);
  }

  remove(id: string): StoredObject | undefined {
    const old = this.objects.get(id);
    if (old === undefined) return undefined;
    this.unindex(old);
    this.objects.delete(id);
    return old;
  }

  clear(): void {
    this.objects.clear();
    for (const idx of this.indexes.values()) idx.clear();
  }

  private index(obj: StoredObject): void {
    for (const [name, idx] of this.indexes) {
      const key = this.def.indexes[name]?.(obj);
      if (key === undefined) continue;
      let ids = idx.get(key);
      if (ids === undefined) idx.set(key, (ids = new Set()));
      ids.add(obj.ID);
    }
  }

  private unindex(obj: StoredObject): void {
    for (const [name, idx] of this.indexes) {
      const key = this.def.indexes[name]?.(obj);
      if (key === undefined) continue;
      const ids = idx.get(key);
      if (ids === undefined) continue;
      ids.delete(obj.ID);
      if (ids.size === 0) idx.delete(key);
    }
  }
}

const EMPTY: ReadonlySet<string> = new Set();
