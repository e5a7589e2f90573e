// Cheap 32-bit hashes for model states and the search cache.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Strings longer than this are hashed by their length and both ends only. */
const SAMPLE = 32;

/** Murmur3's finaliser: spreads every input bit over the result. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Combine two hashes, order-sensitive. */
export function combine(a: number, b: number): number {
  return mix32((Math.imul(a, 31) + b) | 0);
}

/**
 * FNV-1a over a string's length and at most its first and last 32 characters,
 * so hashing the long values an append-only history builds stays O(1).
 */
export function hashString(s: string): number {
  let h = FNV_OFFSET ^ s.length;
  const n = s.length;
  const head = Math.min(n, SAMPLE);
  for (let i = 0; i < head; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  for (let i = Math.max(head, n - SAMPLE); i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return mix32(h);
}

export function hashNumber(n: number): number {
  if (Number.isInteger(n) && n >= -0x80000000 && n <= 0x7fffffff) return mix32(n ^ 0x5bd1e995);
  return hashString(String(n));
}

/** Hash a scalar: null, a number or a string (kept apart from each other). */
export function hashScalar(v: string | number | null): number {
  if (v === null) return 0x6a09e667;
  if (typeof v === 'number') return hashNumber(v);
  return hashString(v) ^ 0x3c6ef372;
}
