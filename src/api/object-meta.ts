// What every stored object carries, in Docker's JSON shape (api/types/swarm
// common.go): ID, Version{Index}, CreatedAt, UpdatedAt; and the small value
// types the specs share (labels, platform, resources).
import * as s from './schema.js';
import { type FieldIssue, issue } from './validation.js';

/** An RFC 3339 UTC timestamp as Docker prints it, e.g. `2020-06-20T05:57:17.57Z`. */
export type Timestamp = string;

/** Version.Index is the Raft index of the write that last changed the object. */
export interface Version {
  readonly Index: number;
}

export interface Meta {
  readonly Version: Version;
  readonly CreatedAt: Timestamp;
  readonly UpdatedAt: Timestamp;
}

export type Labels = Readonly<Record<string, string>>;

export interface Platform {
  readonly Architecture: string;
  readonly OS: string;
}

/** CPU in billionths of a CPU (0.5 CPU = 500000000), memory in bytes. */
export interface Resources {
  readonly NanoCPUs: number;
  readonly MemoryBytes: number;
}

export interface Driver {
  readonly Name: string;
  readonly Options?: Readonly<Record<string, string>>;
}

/** A duration in nanoseconds, as Docker's JSON writes time.Duration. */
export type Nanoseconds = number;

export const SECOND: Nanoseconds = 1_000_000_000;
export const MINUTE: Nanoseconds = 60 * SECOND;
export const HOUR: Nanoseconds = 60 * MINUTE;

// ---- schemas shared by the spec files ----

export const labelsSchema = s.record(s.string({ max: 4096 }), { max: 1000 });
/** Any integer nanosecond count; the sign is checked with Docker's words by the validators. */
export const durationSchema = s.number({ int: true });
export const countSchema = s.number({ int: true, min: 0 });
export const platformSchema = s.object({ Architecture: s.string({ max: 64 }), OS: s.string({ max: 64 }) });
export const driverSchema = s.object({ Name: s.string({ min: 1, max: 128 }), Options: s.optional(s.record(s.string())) });
export const versionSchema = s.object({ Index: countSchema });

/** swarmkit's isValidName: a DNS label of letters, digits, `-` and `_`, no dots. */
const OBJECT_NAME = /^[a-zA-Z0-9](?:[-_]*[A-Za-z0-9]+)*$/;

/** Names of services and networks, with swarmkit's words (controlapi validateAnnotations). */
export function checkObjectName(name: string, path = 'Name'): FieldIssue | undefined {
  if (name === '') return issue(path, 'name must be provided');
  if (!OBJECT_NAME.test(name)) return issue(path, 'name must be valid as a DNS name component');
  if (name.length > 63) return issue(path, 'name must be 63 characters or fewer');
  return undefined;
}

/** Go's RFC3339Nano rendering of a millisecond clock: trailing fraction zeros trimmed, UTC as `Z`. */
export function timestampOf(ms: number): Timestamp {
  const iso = new Date(ms).toISOString(); // 2020-06-20T05:57:17.570Z
  return iso.replace(/\.(\d*?)0*Z$/, (_m, frac: string) => (frac === '' ? 'Z' : `.${frac}Z`));
}

/** Milliseconds since the epoch, or NaN when the text is not a timestamp. */
export function parseTimestamp(ts: Timestamp): number {
  // Date.parse takes at most milliseconds; Docker writes up to nanoseconds.
  const trimmed = ts.replace(/(\.\d{3})\d+/, '$1');
  return Date.parse(trimmed);
}

/** A fresh Meta for an object created at `nowMs`; the store sets the Raft index. */
export function newMeta(nowMs: number, index = 0): Meta {
  const at = timestampOf(nowMs);
  return { Version: { Index: index }, CreatedAt: at, UpdatedAt: at };
}
