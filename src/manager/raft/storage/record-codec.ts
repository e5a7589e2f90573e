// The on-disk encoding of every Raft storage record, with its checksum.
//
// A record is `crc32 (u32 BE) | tag (u8) | body`; the CRC covers tag and body.
// The tag names the record type, so a record copied under the wrong key is
// caught too. Integers are u64 big-endian (two u32 halves; always JS safe
// integers). Strings are UTF-8 with a u16 length prefix. Decoders never trust
// the bytes: any mismatch throws StorageCorruptError naming the record.
import { crc32 } from 'node:zlib';
import { invariant } from '../../../api/errors.js';
import type { MemberId, Entry, EntryKind, HardState, SnapshotMeta } from '../types.js';
import { StorageCorruptError, asIndex, asTerm } from '../types.js';

/** Bump when the layout changes; load() refuses a format it does not know. */
export const FORMAT_VERSION = 1;

const TAG = { format: 1, hardState: 2, entry: 3, snapshotMeta: 4, snapshotData: 5 } as const;
type Tag = (typeof TAG)[keyof typeof TAG];

const HEADER = 5; // crc32 + tag
const U64 = 8;
const TWO_32 = 2 ** 32;

const KIND_CODE: Record<EntryKind, number> = { normal: 0, config: 1 };

function kindOf(code: number): EntryKind | undefined {
  if (code === 0) return 'normal';
  if (code === 1) return 'config';
  return undefined;
}

// ---- framing --------------------------------------------------------------

function frame(tag: Tag, bodyLength: number): Buffer {
  const out = Buffer.allocUnsafe(HEADER + bodyLength);
  out[4] = tag;
  return out;
}

function seal(record: Buffer): Buffer {
  record.writeUInt32BE(crc32(record.subarray(4)), 0);
  return record;
}

/** Checks CRC and tag; returns the body (a view into `bytes`). */
function unseal(name: string, tag: Tag, bytes: Uint8Array): Buffer {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < HEADER) throw new StorageCorruptError(name, `${buf.length} bytes is shorter than a record header`);
  const stored = buf.readUInt32BE(0);
  const actual = crc32(buf.subarray(4));
  if (stored !== actual) {
    throw new StorageCorruptError(name, `checksum mismatch (stored ${hex(stored)}, computed ${hex(actual)})`);
  }
  if (buf[4] !== tag) throw new StorageCorruptError(name, `record tag ${String(buf[4])}, expected ${tag}`);
  return buf.subarray(HEADER);
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

// ---- primitive readers/writers ------------------------------------------

function writeU64(buf: Buffer, n: number, at: number): number {
  invariant(Number.isSafeInteger(n) && n >= 0, `cannot store ${n} as a u64`);
  buf.writeUInt32BE(Math.floor(n / TWO_32), at);
  buf.writeUInt32BE(n >>> 0, at + 4);
  return at + U64;
}

/** A bounds-checked reader over a record body; errors name the record. */
class Reader {
  #at = 0;
  constructor(
    private readonly name: string,
    private readonly body: Buffer,
  ) {}

  #need(n: number, what: string): void {
    if (this.#at + n > this.body.length) {
      throw new StorageCorruptError(this.name, `truncated: ${what} needs ${n} bytes at offset ${this.#at} of ${this.body.length}`);
    }
  }

  u8(what: string): number {
    this.#need(1, what);
    return this.body[this.#at++] ?? 0;
  }

  u16(what: string): number {
    this.#need(2, what);
    const n = this.body.readUInt16BE(this.#at);
    this.#at += 2;
    return n;
  }

  u32(what: string): number {
    this.#need(4, what);
    const n = this.body.readUInt32BE(this.#at);
    this.#at += 4;
    return n;
  }

  u64(what: string): number {
    this.#need(U64, what);
    const hi = this.body.readUInt32BE(this.#at);
    const lo = this.body.readUInt32BE(this.#at + 4);
    this.#at += U64;
    const n = hi * TWO_32 + lo;
    if (!Number.isSafeInteger(n)) throw new StorageCorruptError(this.name, `${what} ${n} is not a safe integer`);
    return n;
  }

  string(what: string): string {
    const len = this.u16(`${what} length`);
    this.#need(len, what);
    const s = this.body.toString('utf8', this.#at, this.#at + len);
    this.#at += len;
    return s;
  }

  /** The remaining bytes, copied into a plain Uint8Array. */
  rest(): Uint8Array {
    const out = new Uint8Array(this.body.length - this.#at);
    out.set(this.body.subarray(this.#at));
    this.#at = this.body.length;
    return out;
  }

  end(): void {
    if (this.#at !== this.body.length) {
      throw new StorageCorruptError(this.name, `${this.body.length - this.#at} unexpected trailing bytes`);
    }
  }
}

function stringBytes(s: string): number {
  const n = Buffer.byteLength(s, 'utf8');
  invariant(n <= 0xffff, `member id of ${n} bytes is too long to store`);
  return 2 + n;
}

function writeString(buf: Buffer, s: string, at: number): number {
  const n = buf.write(s, at + 2, 'utf8');
  buf.writeUInt16BE(n, at);
  return at + 2 + n;
}

// ---- record names (used in StorageCorruptError) ---------------------------

export const RECORD = {
  format: 'format',
  hardState: 'hard-state',
  snapshotMeta: 'snapshot-meta',
  snapshotData: 'snapshot-data',
  entry: (index: number): string => `entry ${index}`,
} as const;

// ---- format ---------------------------------------------------------------

export function encodeFormat(version: number = FORMAT_VERSION): Buffer {
  const rec = frame(TAG.format, 1);
  rec[HEADER] = version;
  return seal(rec);
}

export function decodeFormat(bytes: Uint8Array): number {
  const r = new Reader(RECORD.format, unseal(RECORD.format, TAG.format, bytes));
  const v = r.u8('version');
  r.end();
  return v;
}

// ---- hard state -----------------------------------------------------------

export function encodeHardState(hs: HardState): Buffer {
  const voteBytes = hs.vote === null ? 0 : stringBytes(hs.vote);
  const rec = frame(TAG.hardState, U64 * 2 + 1 + voteBytes);
  let at = writeU64(rec, hs.term, HEADER);
  at = writeU64(rec, hs.commit, at);
  rec[at++] = hs.vote === null ? 0 : 1;
  if (hs.vote !== null) writeString(rec, hs.vote, at);
  return seal(rec);
}

export function decodeHardState(bytes: Uint8Array): HardState {
  const name = RECORD.hardState;
  const r = new Reader(name, unseal(name, TAG.hardState, bytes));
  const term = asTerm(r.u64('term'));
  const commit = asIndex(r.u64('commit'));
  const hasVote = r.u8('vote flag');
  if (hasVote > 1) throw new StorageCorruptError(name, `vote flag ${hasVote} is not 0 or 1`);
  const vote = hasVote === 1 ? (r.string('vote') as MemberId) : null;
  r.end();
  return { term, vote, commit };
}

// ---- entries --------------------------------------------------------------

export function encodeEntry(e: Entry): Buffer {
  const rec = frame(TAG.entry, 1 + U64 * 2 + e.data.byteLength);
  rec[HEADER] = KIND_CODE[e.kind];
  let at = writeU64(rec, e.term, HEADER + 1);
  at = writeU64(rec, e.index, at);
  rec.set(e.data, at);
  return seal(rec);
}

/** `index` is the key the record was stored under; the body must agree. */
export function decodeEntry(index: number, bytes: Uint8Array): Entry {
  const name = RECORD.entry(index);
  const r = new Reader(name, unseal(name, TAG.entry, bytes));
  const code = r.u8('kind');
  const kind = kindOf(code);
  if (kind === undefined) throw new StorageCorruptError(name, `unknown entry kind ${code}`);
  const term = asTerm(r.u64('term'));
  const stored = r.u64('index');
  if (stored !== index) throw new StorageCorruptError(name, `holds index ${stored} but is stored under key ${index}`);
  return { term, index: asIndex(stored), kind, data: r.rest() };
}

// ---- snapshot -------------------------------------------------------------

/** Snapshot meta, plus the data length so a mismatched data record is caught. */
export interface StoredSnapshotMeta {
  readonly meta: SnapshotMeta;
  readonly dataLength: number;
}

export function encodeSnapshotMeta(meta: SnapshotMeta, dataLength: number): Buffer {
  const { voters, learners } = meta.conf;
  let size = U64 * 3 + 4 + 4;
  for (const id of voters) size += stringBytes(id);
  for (const id of learners) size += stringBytes(id);
  const rec = frame(TAG.snapshotMeta, size);
  let at = writeU64(rec, meta.index, HEADER);
  at = writeU64(rec, meta.term, at);
  at = writeU64(rec, dataLength, at);
  for (const list of [voters, learners]) {
    rec.writeUInt32BE(list.length, at);
    at += 4;
    for (const id of list) at = writeString(rec, id, at);
  }
  return seal(rec);
}

export function decodeSnapshotMeta(bytes: Uint8Array): StoredSnapshotMeta {
  const name = RECORD.snapshotMeta;
  const r = new Reader(name, unseal(name, TAG.snapshotMeta, bytes));
  const index = asIndex(r.u64('index'));
  const term = asTerm(r.u64('term'));
  const dataLength = r.u64('data length');
  const readIds = (what: string): MemberId[] => {
    const n = r.u32(`${what} count`);
    const ids: MemberId[] = [];
    for (let i = 0; i < n; i++) ids.push(r.string(what) as MemberId);
    return ids;
  };
  const voters = readIds('voter');
  const learners = readIds('learner');
  r.end();
  return { meta: { index, term, conf: { voters, learners } }, dataLength };
}

export function encodeSnapshotData(index: number, data: Uint8Array): Buffer {
  const rec = frame(TAG.snapshotData, U64 + data.byteLength);
  const at = writeU64(rec, index, HEADER);
  rec.set(data, at);
  return seal(rec);
}

export function decodeSnapshotData(bytes: Uint8Array): { index: number; data: Uint8Array } {
  const name = RECORD.snapshotData;
  const r = new Reader(name, unseal(name, TAG.snapshotData, bytes));
  const index = r.u64('index');
  return { index, data: r.rest() };
}
