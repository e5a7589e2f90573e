// Validation beyond shape. A spec is checked at the boundary in two steps:
// the schema (types, required fields) then the rules Docker enforces
// (swarmkit manager/controlapi), each failure naming the field. Rules report
// the first problem found, as Docker does, so the operator fixes one thing at
// a time and nothing is half applied.
import { ShoalError } from './errors.js';
import type { Schema } from './schema.js';

/** One problem with a spec: where (`UpdateConfig.Delay`) and what, in Docker's words. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issue: FieldIssue };

export function valid<T>(value: T): Checked<T> {
  return { ok: true, value };
}

export function invalid<T = never>(path: string, message: string): Checked<T> {
  return { ok: false, issue: { path, message } };
}

/** Runs rules in order; the first that returns an issue wins. */
export function firstIssue(...rules: ReadonlyArray<() => FieldIssue | undefined>): FieldIssue | undefined {
  for (const rule of rules) {
    const issue = rule();
    if (issue !== undefined) return issue;
  }
  return undefined;
}

export function issue(path: string, message: string): FieldIssue {
  return { path, message };
}

/** Joins a field path the way the schema checker does (`a.b`, `a[0]`). */
export function at(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** Shape check through a schema, as a Checked result. */
export function decode<T>(schema: Schema<T>, value: unknown): Checked<T> {
  const r = schema.check(value, '');
  if (r.ok) return valid(r.value);
  return invalid(r.path, `expected ${r.expected}, got ${r.got}`);
}

/** The message an operator reads: `invalid service spec field Mode.Replicated.Replicas: ...`. */
export function describeIssue(what: string, i: FieldIssue): string {
  return i.path === '' ? `invalid ${what}: ${i.message}` : `invalid ${what} field ${i.path}: ${i.message}`;
}

/** InvalidArgument naming the field; `detail` carries the bare path for programs. */
export function issueError(what: string, i: FieldIssue): ShoalError {
  return new ShoalError('InvalidArgument', describeIssue(what, i), i.path);
}

/** The value, or throw InvalidArgument naming the field. */
export function unwrap<T>(what: string, checked: Checked<T>): T {
  if (checked.ok) return checked.value;
  throw issueError(what, checked.issue);
}
