// Durable Raft storage on LMDB. See lmdb-layout.ts for the records and the
// environment options (durability), record-codec.ts for the checksummed
// encoding and log-rules.ts for what a batch does to the log.
//
// Atomicity: every save() and compact() runs as one lmdb-js *child*
// transaction. If anything throws inside it (a misuse caught by an invariant,
// a corrupt record met while planning, an LMDB error), the child is aborted
// and none of the batch lands; the surrounding (shared, group-commit)
// transaction still commits other callers' saves. A plain transaction()
// callback that throws would instead commit whatever it had written so far.
// Crash safety comes from LMDB itself: a transaction becomes visible only when
// its meta page is written, after its data pages are synced, so a crash at any
// point leaves either the old or the new state (hence compaction needs no
// particular order of "store snapshot" and "drop entries": both are in one
// transaction).
import { open } from 'lmdb';
import { assertNever, invariant } from '../../../api/errors.js';
import type { Database, RangeOptions, RootDatabase } from 'lmdb';
import type { Entry, HardState, PersistedState, RaftStorage, SaveBatch, Snapshot } from '../types.js';
import { StorageCorruptError, asIndex, asTerm } from '../types.js';
import { checkBatchShape, checkContinuity, planAppend, planSnapshot } from './log-rules.js';
import type { LmdbRaftStorageOptions } from './lmdb-layout.js';
import { ENTRIES_DB, STATE_DB, STATE_KEY, entryKey, environmentOptions, indexOfKey } from './lmdb-layout.js';
import {
  FORMAT_VERSION,
  RECORD,
  decodeEntry,
  decodeFormat,
  decodeHardState,
  decodeSnapshotData,
  decodeSnapshotMeta,
  encodeEntry,
  encodeFormat,
  encodeHardState,
  encodeSnapshotData,
  encodeSnapshotMeta,
} from './record-codec.js';
import type { StoredSnapshotMeta } from './record-codec.js';

interface Handles {
  readonly root: RootDatabase<Buffer, string>;
  readonly entries: Database<Buffer, Buffer>;
  readonly state: Database<Buffer, string>;
}

/** A batch encoded before its transaction starts (keeps the write lock short). */
interface EncodedBatch {
  readonly snapshotMeta?: Buffer;
  readonly snapshotData?: Buffer;
  /** Aligned with batch.entries. */
  readonly entries: readonly Buffer[];
  readonly hardState?: Buffer;
}

const EMPTY_HARD_STATE: HardState = { term: asTerm(0), vote: null, commit: asIndex(0) };

export class LmdbRaftStorage implements RaftStorage {
  #handles: Handles | null;

  private constructor(handles: Handles) {
    this.#handles = handles;
  }

  /**
   * Opens (creating if needed) the storage in directory `dir`. A new directory
   * gets a format record; an existing one must carry a format this code knows.
   */
  static async open(dir: string, options: LmdbRaftStorageOptions = {}): Promise<LmdbRaftStorage> {
    const root = open<Buffer, string>(environmentOptions(dir, options));
    const handles: Handles = {
      root,
      entries: root.openDB<Buffer, Buffer>({ name: ENTRIES_DB, keyEncoding: 'binary', encoding: 'binary' }),
      state: root.openDB<Buffer, string>({ name: STATE_DB, encoding: 'binary' }),
    };
    try {
      await ensureFormat(handles);
    } catch (error) {
      await root.close();
      throw error;
    }
    return new LmdbRaftStorage(handles);
  }

  /**
   * Reads and verifies every record. All reads are synchronous, so they see
   * one LMDB read snapshot even if a save commits concurrently.
   */
  async load(): Promise<PersistedState> {
    const h = this.#open();
    checkFormat(h.state.get(STATE_KEY.format));
    const hsBytes = h.state.get(STATE_KEY.hardState);
    const hardState = hsBytes === undefined ? EMPTY_HARD_STATE : decodeHardState(hsBytes);
    const snapshot = readSnapshot(h);
    const entries: Entry[] = [];
    for (const { key, value } of h.entries.getRange({})) {
      entries.push(decodeEntry(checkedIndexOfKey(key), value));
    }
    checkContinuity(snapshot?.meta.index ?? 0, entries);
    return { hardState, snapshot, entries };
  }

  /** Resolves once the batch is committed and fsynced (see lmdb-layout.ts). */
  async save(batch: SaveBatch): Promise<void> {
    const h = this.#open();
    checkBatchShape(batch);
    const encoded = encodeBatch(batch);
    await h.root.childTransaction(() => applyBatch(h, batch, encoded));
  }

  async compact(snapshot: Snapshot): Promise<void> {
    await this.save({ snapshot });
  }

  /** Waits for writes in flight, then closes the environment. Idempotent. */
  async close(): Promise<void> {
    const h = this.#handles;
    if (h === null) return;
    this.#handles = null;
    await h.root.close();
  }

  #open(): Handles {
    if (this.#handles === null) throw new Error('raft storage is closed');
    return this.#handles;
  }
}

// ---- helpers (the write-side ones run inside the write transaction) ---------

async function ensureFormat(h: Handles): Promise<void> {
  const bytes = h.state.get(STATE_KEY.format);
  if (bytes !== undefined) {
    checkFormat(bytes);
    return;
  }
  const hasData = h.state.getKeysCount({ limit: 1 }) > 0 || h.entries.getKeysCount({ limit: 1 }) > 0;
  if (hasData) throw new StorageCorruptError(RECORD.format, 'missing, but the directory holds raft records');
  await h.state.put(STATE_KEY.format, encodeFormat());
}

function checkFormat(bytes: Buffer | undefined): void {
  if (bytes === undefined) throw new StorageCorruptError(RECORD.format, 'missing');
  const version = decodeFormat(bytes);
  if (version !== FORMAT_VERSION) {
    throw new Error(`raft storage format ${version} is not supported (this shoal reads format ${FORMAT_VERSION}); use a shoal version that matches the data dir`);
  }
}

function checkedIndexOfKey(key: Buffer): number {
  const index = indexOfKey(key);
  if (index < 1) throw new StorageCorruptError(`entry key ${key.toString('hex')}`, 'not a valid 8-byte log index');
  return index;
}

function readSnapshotMeta(h: Handles): StoredSnapshotMeta | null {
  const bytes = h.state.get(STATE_KEY.snapshotMeta);
  return bytes === undefined ? null : decodeSnapshotMeta(bytes);
}

function readSnapshot(h: Handles): Snapshot | null {
  const stored = readSnapshotMeta(h);
  const dataBytes = h.state.get(STATE_KEY.snapshotData);
  if (stored === null) {
    if (dataBytes !== undefined) throw new StorageCorruptError(RECORD.snapshotData, 'present without snapshot-meta');
    return null;
  }
  if (dataBytes === undefined) throw new StorageCorruptError(RECORD.snapshotData, 'missing while snapshot-meta is present');
  const { index, data } = decodeSnapshotData(dataBytes);
  if (index !== stored.meta.index || data.byteLength !== stored.dataLength) {
    throw new StorageCorruptError(
      RECORD.snapshotData,
      `holds index ${index} and ${data.byteLength} bytes, but snapshot-meta says index ${stored.meta.index} and ${stored.dataLength} bytes`,
    );
  }
  return { meta: stored.meta, data };
}

function encodeBatch(batch: SaveBatch): EncodedBatch {
  const { snapshot, hardState } = batch;
  return {
    ...(snapshot && {
      snapshotMeta: encodeSnapshotMeta(snapshot.meta, snapshot.data.byteLength),
      snapshotData: encodeSnapshotData(snapshot.meta.index, snapshot.data),
    }),
    entries: (batch.entries ?? []).map(encodeEntry),
    ...(hardState && { hardState: encodeHardState(hardState) }),
  };
}

/** Runs inside the child transaction: any throw rolls the whole batch back. */
function applyBatch(h: Handles, batch: SaveBatch, encoded: EncodedBatch): void {
  let snapshotIndex = readSnapshotMeta(h)?.meta.index ?? 0;

  if (batch.snapshot && encoded.snapshotMeta && encoded.snapshotData) {
    const { meta } = batch.snapshot;
    const plan = planSnapshot(snapshotIndex === 0 ? null : snapshotIndex, termAt(h, meta.index), meta);
    switch (plan) {
      case 'ignore':
        break;
      case 'keep-suffix':
      case 'replace-log':
        removeEntries(h, plan === 'keep-suffix' ? { end: entryKey(meta.index + 1) } : {});
        h.state.putSync(STATE_KEY.snapshotMeta, encoded.snapshotMeta);
        h.state.putSync(STATE_KEY.snapshotData, encoded.snapshotData);
        snapshotIndex = meta.index;
        break;
      default:
        return assertNever(plan, 'snapshot plan');
    }
  }

  const incoming = batch.entries ?? [];
  if (incoming.length > 0) {
    const plan = planAppend(snapshotIndex, lastIndex(h) ?? snapshotIndex, incoming);
    const skipped = incoming.length - plan.entries.length; // a prefix the snapshot covers
    plan.entries.forEach((e, i) => {
      const value = encoded.entries[skipped + i];
      invariant(value !== undefined, `no encoding for entry ${e.index}`);
      h.entries.putSync(entryKey(e.index), value);
    });
    if (plan.dropAfter !== null) removeEntries(h, { start: entryKey(plan.dropAfter + 1) });
  }

  if (encoded.hardState) h.state.putSync(STATE_KEY.hardState, encoded.hardState);
}

function termAt(h: Handles, index: number): number | undefined {
  const bytes = h.entries.get(entryKey(index));
  return bytes === undefined ? undefined : decodeEntry(index, bytes).term;
}

function lastIndex(h: Handles): number | undefined {
  for (const key of h.entries.getKeys({ reverse: true, limit: 1 })) return checkedIndexOfKey(key);
  return undefined;
}

function removeEntries(h: Handles, range: RangeOptions): void {
  // Collect first: do not mutate the tree under a live cursor.
  const keys = Array.from(h.entries.getKeys(range));
  for (const key of keys) h.entries.removeSync(key);
}
