import type { StoredObject, TableName } from './tables.js';

/** A consistent read of the store (JavaScript runs one transaction at a time). */
export interface ReadTx {
  get(table: TableName, id: string): StoredObject | undefined;
  /** Objects whose secondary `index` (see tables.ts) has `key`. */
  find(table: TableName, index: string, key: string): StoredObject[];
  all(table: TableName): StoredObject[];
  count(table: TableName): number;
}
