// An immutable map from key to value with its hash kept up to date, the state
// of the key-value models. Partitioned by key it holds one entry, so copying
// it on every write is cheap.
import { combine, hashString } from './hash.js';

export interface KvState {
  readonly entries: ReadonlyMap<string, string>;
  /** Sum of the entries' hashes: independent of insertion order. */
  readonly hash: number;
}

export const EMPTY_KV: KvState = { entries: new Map(), hash: 0 };

function entryHash(key: string, value: string): number {
  return combine(hashString(key), hashString(value));
}

export function kvGet(s: KvState, key: string): string | undefined {
  return s.entries.get(key);
}

export function kvSet(s: KvState, key: string, value: string): KvState {
  const old = s.entries.get(key);
  if (old === value) return s;
  const entries = new Map(s.entries).set(key, value);
  const without = old === undefined ? s.hash : s.hash - entryHash(key, old);
  return { entries, hash: (without + entryHash(key, value)) >>> 0 };
}

export function kvDelete(s: KvState, key: string): KvState {
  const old = s.entries.get(key);
  if (old === undefined) return s;
  const entries = new Map(s.entries);
  entries.delete(key);
  return { entries, hash: (s.hash - entryHash(key, old)) >>> 0 };
}

export function kvEqual(a: KvState, b: KvState): boolean {
  if (a === b) return true;
  if (a.hash !== b.hash || a.entries.size !== b.entries.size) return false;
  for (const [k, v] of a.entries) if (b.entries.get(k) !== v) return false;
  return true;
}

export function describeKv(s: KvState): string {
  const parts = [...s.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  return `{${parts.join(', ')}}`;
}
