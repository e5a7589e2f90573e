// The simulated members' state machine: a string key-value map with client
// sessions (thesis §6.3), so that a proposal the network duplicated, or a
// client retried, applies at most once. It keeps a rolling hash of every
// entry it applied, which the safety monitor compares across members (and
// which snapshots carry), so any divergence shows up at the first index.
import type { Entry } from '../types.js';
import type { KvOutput } from '../lincheck/index.js';
import { hashString } from './rng.js';

export type SimCommand =
  | { readonly op: 'put'; readonly client: number; readonly seq: number; readonly key: string; readonly value: string }
  | {
      readonly op: 'cas';
      readonly client: number;
      readonly seq: number;
      readonly key: string;
      readonly expected: string | null;
      readonly value: string;
    };

export type WriteOutput = Extract<KvOutput, { op: 'put' | 'cas' }>;

/** The outcome of one client attempt, as the member that accepted it reports it. */
export interface CommandResult {
  readonly client: number;
  readonly seq: number;
  /** null: a stale duplicate of an attempt older than the client's latest (nobody waits for it). */
  readonly output: WriteOutput | null;
}

interface Session {
  readonly seq: number;
  readonly output: WriteOutput;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeCommand(c: SimCommand): Uint8Array {
  const plain = c.op === 'put' ? ['put', c.client, c.seq, c.key, c.value] : ['cas', c.client, c.seq, c.key, c.expected, c.value];
  return encoder.encode(JSON.stringify(plain));
}

export function decodeCommand(data: Uint8Array): SimCommand {
  const v: unknown = JSON.parse(decoder.decode(data));
  if (Array.isArray(v) && typeof v[1] === 'number' && typeof v[2] === 'number' && typeof v[3] === 'string') {
    if (v[0] === 'put' && typeof v[4] === 'string') return { op: 'put', client: v[1], seq: v[2], key: v[3], value: v[4] };
    if (v[0] === 'cas' && (v[4] === null || typeof v[4] === 'string') && typeof v[5] === 'string') {
      return { op: 'cas', client: v[1], seq: v[2], key: v[3], expected: v[4], value: v[5] };
    }
  }
  throw new Error(`not a simulator command: ${decoder.decode(data)}`);
}

/** A byte array as a string of char codes (for hashing and comparing entries). */
export function bytesKey(data: Uint8Array): string {
  let s = '';
  for (let i = 0; i < data.length; i++) s += String.fromCharCode(data[i] ?? 0);
  return s;
}

/** What identifies an entry: two entries with the same key are the same entry. */
export function entryKey(e: Entry): string {
  return `${e.term}:${e.kind}:${bytesKey(e.data)}`;
}

export class KvSimMachine {
  private data = new Map<string, string>();
  private sessions = new Map<number, Session>();
  /** Rolling hash of every entry applied (normal, no-op and config alike). */
  hash = 0;

  get(key: string): string | null {
    return this.data.get(key) ?? null;
  }

  /** The session's latest applied attempt and its output, if any. */
  session(client: number): Session | undefined {
    return this.sessions.get(client);
  }

  /** Applies any committed entry; returns the command's result for normal, non-empty entries. */
  applyEntry(e: Entry): CommandResult | null {
    this.hash = hashString(`${e.index}|${entryKey(e)}`, this.hash);
    if (e.kind !== 'normal' || e.data.byteLength === 0) return null;
    const c = decodeCommand(e.data);
    const last = this.sessions.get(c.client);
    if (last !== undefined && c.seq <= last.seq) {
      return { client: c.client, seq: c.seq, output: c.seq === last.seq ? last.output : null };
    }
    let output: WriteOutput;
    if (c.op === 'put') {
      this.data.set(c.key, c.value);
      output = { op: 'put' };
    } else {
      const ok = (this.data.get(c.key) ?? null) === c.expected;
      if (ok) this.data.set(c.key, c.value);
      output = { op: 'cas', ok };
    }
    this.sessions.set(c.client, { seq: c.seq, output });
    return { client: c.client, seq: c.seq, output };
  }

  snapshot(): Uint8Array {
    const kv = [...this.data].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const sessions = [...this.sessions].sort(([a], [b]) => a - b).map(([c, s]) => [c, s.seq, s.output]);
    return encoder.encode(JSON.stringify({ h: this.hash, kv, sessions }));
  }

  restore(bytes: Uint8Array): void {
    const v = JSON.parse(decoder.decode(bytes)) as { h: number; kv: [string, string][]; sessions: [number, number, WriteOutput][] };
    this.hash = v.h;
    this.data = new Map(v.kv);
    this.sessions = new Map(v.sessions.map(([c, seq, output]) => [c, { seq, output }]));
  }
}
