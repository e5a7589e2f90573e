import type { StoredObject, TableName } from './tables.js';

/** One object changed by a committed transaction. */
export type StoreEvent =
  | { readonly kind: 'create'; readonly table: TableName; readonly object: StoredObject }
  | { readonly kind: 'update'; readonly table: TableName; readonly object: StoredObject; readonly old: StoredObject }
  | { readonly kind: 'delete'; readonly table: TableName; readonly object: StoredObject };
