// A small runtime schema checker: decoded input is `unknown` until a schema
// checks it. Failures name the field, e.g. `Spec.Mode.Replicated.Replicas:
// expected an integer >= 0, got -1`.
import { ShoalError } from './errors.js';

export type CheckResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly path: string; readonly expected: string; readonly got: string };

export interface Schema<T> {
  /** A short human description of what is expected ("a string", "an integer >= 0"). */
  readonly expected: string;
  check(value: unknown, path: string): CheckResult<T>;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

function ok<T>(value: T): CheckResult<T> {
  return { ok: true, value };
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value instanceof Uint8Array) return `${value.byteLength} bytes`;
  switch (typeof value) {
    case 'string':
      return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

function fail<T>(path: string, expected: string, value: unknown): CheckResult<T> {
  return { ok: false, path, expected, got: describeValue(value) };
}

function make<T>(expected: string, check: (value: unknown, path: string) => CheckResult<T>): Schema<T> {
  return { expected, check };
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

export function string(opts: { min?: number; max?: number; pattern?: RegExp } = {}): Schema<string> {
  const { min = 0, max = 1 << 20, pattern } = opts;
  const expected = pattern ? `a string matching ${pattern}` : min > 0 ? `a non-empty string` : 'a string';
  return make(expected, (v, p) => {
    if (typeof v !== 'string' || v.length < min || v.length > max) return fail(p, expected, v);
    if (pattern && !pattern.test(v)) return fail(p, expected, v);
    return ok(v);
  });
}

export function number(opts: { int?: boolean; min?: number; max?: number } = {}): Schema<number> {
  const { int = false, min = -Infinity, max = Infinity } = opts;
  let expected = int ? 'an integer' : 'a number';
  if (min !== -Infinity) expected += ` >= ${min}`;
  if (max !== Infinity) expected += ` <= ${max}`;
  return make(expected, (v, p) => {
    if (typeof v !== 'number' || Number.isNaN(v) || v < min || v > max) return fail(p, expected, v);
    if (int && !Number.isSafeInteger(v)) return fail(p, expected, v);
    return ok(v);
  });
}

export function boolean(): Schema<boolean> {
  return make('a boolean', (v, p) => (typeof v === 'boolean' ? ok(v) : fail(p, 'a boolean', v)));
}

export function bytes(opts: { max?: number } = {}): Schema<Uint8Array> {
  const { max = Infinity } = opts;
  const expected = 'bytes';
  return make(expected, (v, p) => {
    if (!(v instanceof Uint8Array) || v.byteLength > max) return fail(p, expected, v);
    return ok(v);
  });
}

export function literal<const L extends string | number | boolean | null>(...values: L[]): Schema<L> {
  const expected = values.map((x) => JSON.stringify(x)).join(' or ');
  return make(expected, (v, p) => ((values as unknown[]).includes(v) ? ok(v as L) : fail(p, expected, v)));
}

export function unknownValue(): Schema<unknown> {
  return make('anything', (v) => ok(v));
}

export function optional<T>(inner: Schema<T>): Schema<T | undefined> {
  return make(`${inner.expected} or nothing`, (v, p) => (v === undefined || v === null ? ok(undefined) : inner.check(v, p)));
}

export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return make(`${inner.expected} or null`, (v, p) => (v === null || v === undefined ? ok(null) : inner.check(v, p)));
}

export function array<T>(item: Schema<T>, opts: { max?: number } = {}): Schema<T[]> {
  const { max = 1_000_000 } = opts;
  const expected = `a list of ${item.expected}`;
  return make(expected, (v, p) => {
    if (!Array.isArray(v) || v.length > max) return fail(p, expected, v);
    const out: T[] = [];
    for (let i = 0; i < v.length; i++) {
      const r = item.check(v[i], join(p, i));
      if (!r.ok) return r;
      out.push(r.value);
    }
    return ok(out);
  });
}

export function record<T>(value: Schema<T>, opts: { max?: number } = {}): Schema<Record<string, T>> {
  const { max = 100_000 } = opts;
  const expected = `a map of ${value.expected}`;
  return make(expected, (v, p) => {
    if (!isPlainObject(v)) return fail(p, expected, v);
    const keys = Object.keys(v);
    if (keys.length > max) return fail(p, expected, v);
    const out: Record<string, T> = {};
    for (const k of keys) {
      const r = value.check(v[k], join(p, k));
      if (!r.ok) return r;
      out[k] = r.value;
    }
    return ok(out);
  });
}

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: undefined extends Infer<S[K]> ? K : never }[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
export type ObjectOf<S extends Shape> = { [K in RequiredKeys<S>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** An object with known fields. Unknown fields are dropped, so they cannot smuggle data through. */
export function object<S extends Shape>(shape: S): Schema<ObjectOf<S>> {
  const expected = 'an object';
  return make(expected, (v, p) => {
    if (!isPlainObject(v)) return fail(p, expected, v);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(shape)) {
      const field = shape[key];
      if (field === undefined) continue;
      const r = field.check(v[key], join(p, key));
      if (!r.ok) return r;
      if (r.value !== undefined) out[key] = r.value;
    }
    return ok(out as ObjectOf<S>);
  });
}

/** A discriminated union on `tag`: the tag picks the variant, so errors point at the right field. */
export function tagged<K extends string, V extends Record<string, Schema<object>>>(
  tag: K,
  variants: V,
): Schema<{ [T in keyof V]: Infer<V[T]> & { [P in K]: T } }[keyof V]> {
  const names = Object.keys(variants);
  const expected = `an object with ${tag} ${names.map((n) => JSON.stringify(n)).join(' or ')}`;
  return make(expected, (v, p) => {
    if (!isPlainObject(v)) return fail(p, expected, v);
    const t = v[tag];
    const variant = typeof t === 'string' ? variants[t] : undefined;
    if (variant === undefined) return fail(join(p, tag), names.map((n) => JSON.stringify(n)).join(' or '), t);
    const r = variant.check(v, p);
    if (!r.ok) return r;
    return ok({ ...r.value, [tag]: t } as { [T in keyof V]: Infer<V[T]> & { [P in K]: T } }[keyof V]);
  });
}

/** Check `value` against `schema`, or throw InvalidArgument naming the field. */
export function parse<T>(schema: Schema<T>, value: unknown, what = 'request'): T {
  const r = schema.check(value, '');
  if (r.ok) return r.value;
  throw new ShoalError('InvalidArgument', formatFailure(r, what), r.path);
}

export function formatFailure(r: { path: string; expected: string; got: string }, what = 'request'): string {
  const where = r.path === '' ? what : `${what} field ${r.path}`;
  return `invalid ${where}: expected ${r.expected}, got ${r.got}`;
}

/**
 * An object with exactly one of the given keys: Docker's way of writing a
 * union in JSON (`Mode` is `{"Replicated": {...}}` or `{"Global": {}}`).
 * Unknown keys are dropped, as in `object`.
 */
export function oneKey<V extends Record<string, Schema<unknown>>>(
  variants: V,
): Schema<{ [K in keyof V]: { [P in K]: Infer<V[P]> } }[keyof V]> {
  type Out = { [K in keyof V]: { [P in K]: Infer<V[P]> } }[keyof V];
  const names = Object.keys(variants);
  const expected = `an object with exactly one of ${names.map((n) => JSON.stringify(n)).join(', ')}`;
  return make(expected, (v, p) => {
    if (!isPlainObject(v)) return fail(p, expected, v);
    const present = names.filter((n) => v[n] !== undefined && v[n] !== null);
    const key = present[0];
    if (present.length !== 1 || key === undefined) {
      return { ok: false, path: p, expected, got: present.length === 0 ? 'none of them' : present.join(' and ') };
    }
    const variant = variants[key];
    if (variant === undefined) return fail(p, expected, v);
    const r = variant.check(v[key], join(p, key));
    if (!r.ok) return r;
    return ok({ [key]: r.value } as Out);
  });
}

/**
 * A stored object sent back by a trusted server (a node, a service...): the
 * client checks it is an object with a string `ID` and takes the rest as
 * the server's typed data. Requests never use this: they are checked field
 * by field.
 */
export function storedObject<T>(what: string): Schema<T> {
  const expected = `${what} object`;
  return make(expected, (v, p) => {
    if (!isPlainObject(v) || typeof v['ID'] !== 'string') return fail(p, expected, v);
    return ok(v as T);
  });
}
