// Single-step membership changes (§6 as refined in Ongaro's thesis §4.1): one
// voter added or removed at a time, so that any two majorities of the old and
// new configurations overlap. A `config` entry's data is encodeConfChange(cc).
import { decode, encode } from 'cbor-x';
import type { MemberId } from '../types.js';

export type ConfChange =
  /** Add a voter, or promote an existing learner to voter. */
  | { readonly type: 'add-voter'; readonly id: MemberId; readonly context?: Uint8Array }
  /** Add a learner (receives the log, never votes nor counts), or demote a voter. */
  | { readonly type: 'add-learner'; readonly id: MemberId; readonly context?: Uint8Array }
  /** Remove a voter or a learner. */
  | { readonly type: 'remove'; readonly id: MemberId; readonly context?: Uint8Array };

export type ConfChangeType = ConfChange['type'];

const TYPES: readonly ConfChangeType[] = ['add-voter', 'add-learner', 'remove'];

/** The bytes stored in a `config` entry. `context` is opaque (e.g. the member's address). */
export function encodeConfChange(cc: ConfChange): Uint8Array {
  const plain: Record<string, unknown> = { type: cc.type, id: cc.id };
  if (cc.context !== undefined) plain['context'] = cc.context;
  return new Uint8Array(encode(plain));
}

/** Thrown when a `config` entry cannot be decoded: the log is corrupt or was written by a stranger. */
export class ConfChangeDecodeError extends Error {
  constructor(reason: string) {
    super(`raft config entry is not a valid membership change: ${reason}`);
    this.name = 'ConfChangeDecodeError';
  }
}

export function decodeConfChange(data: Uint8Array): ConfChange {
  let value: unknown;
  try {
    value = decode(data);
  } catch (err) {
    throw new ConfChangeDecodeError(err instanceof Error ? err.message : String(err));
  }
  if (typeof value !== 'object' || value === null) throw new ConfChangeDecodeError('not a map');
  const rec = value as Record<string, unknown>;
  const type = rec['type'];
  const id = rec['id'];
  const context = rec['context'];
  if (typeof type !== 'string' || !(TYPES as readonly string[]).includes(type)) {
    throw new ConfChangeDecodeError(`unknown type ${JSON.stringify(type)}`);
  }
  if (typeof id !== 'string' || id === '') throw new ConfChangeDecodeError('id must be a non-empty string');
  if (context !== undefined && !(context instanceof Uint8Array)) throw new ConfChangeDecodeError('context must be bytes');
  const base = { type: type as ConfChangeType, id: id as MemberId };
  return context === undefined ? base : { ...base, context: new Uint8Array(context) };
}
