// A store transaction travels through Raft as a list of actions. Each names
// the version it expects, so a transaction decided on a stale view fails as a
// whole on every replica alike (optimistic concurrency).
import * as s from '../../api/schema.js';
import { isTableName, type StoredObject, type TableName } from './tables.js';

export type StoreAction =
  | { readonly kind: 'create'; readonly table: TableName; readonly object: StoredObject }
  /** `object.Version.Index` is the version the writer read; it must still be current. */
  | { readonly kind: 'update'; readonly table: TableName; readonly object: StoredObject }
  | { readonly kind: 'delete'; readonly table: TableName; readonly id: string; readonly version: number };

/** One committed transaction: its actions and the time the proposer stamped on it. */
export interface ChangeSet {
  readonly actions: readonly StoreAction[];
  /** RFC 3339 time chosen by the proposer, so every replica stores the same timestamps. */
  readonly at: string;
}

const table = s.string({ min: 1 });
const storedObject = s.object({
  ID: s.string({ min: 1, max: 128 }),
  Version: s.object({ Index: s.number({ int: true, min: 0 }) }),
});

function checkAction(value: unknown, path: string): s.CheckResult<StoreAction> {
  const base = s.object({ kind: s.literal('create', 'update', 'delete'), table }).check(value, path);
  if (!base.ok) return base;
  if (!isTableName(base.value.table)) return { ok: false, path: `${path}.table`, expected: 'a table name', got: s.describeValue(base.value.table) };
  const v = value as Record<string, unknown>;
  if (base.value.kind === 'delete') {
    const d = s.object({ id: s.string({ min: 1 }), version: s.number({ int: true, min: 0 }) }).check(v, path);
    if (!d.ok) return d;
    return { ok: true, value: { kind: 'delete', table: base.value.table, id: d.value.id, version: d.value.version } };
  }
  const o = storedObject.check(v['object'], `${path}.object`);
  if (!o.ok) return o;
  // Keep the whole object (all its fields), now that ID and Version are checked.
  return { ok: true, value: { kind: base.value.kind, table: base.value.table, object: v['object'] as StoredObject } };
}

export const changeSetSchema: s.Schema<ChangeSet> = {
  expected: 'a store change set',
  check(value, path) {
    const top = s.object({ at: s.string({ min: 1 }), actions: s.array(s.unknownValue()) }).check(value, path);
    if (!top.ok) return top;
    const actions: StoreAction[] = [];
    for (let i = 0; i < top.value.actions.length; i++) {
      const r = checkAction(top.value.actions[i], `${path}.actions[${i}]`);
      if (!r.ok) return r;
      actions.push(r.value);
    }
    return { ok: true, value: { at: top.value.at, actions } };
  },
};
