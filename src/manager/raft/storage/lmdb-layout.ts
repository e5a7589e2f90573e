// Where LmdbRaftStorage keeps things inside its LMDB environment, and how the
// environment is opened. Tests use this to reach the raw records.
//
// One environment (a directory holding data.mdb and lock.mdb), two named
// databases, all values in record-codec's checksummed encoding:
//   entries: key = log index as 8 bytes big-endian (so byte order = index
//            order and range reads come out ascending); value = entry record
//   state:   key = string; values:
//            'format'         format version (written when the dir is created)
//            'hard-state'     term, vote, commit
//            'snapshot-meta'  index, term, conf state, data length
//            'snapshot-data'  index + the state machine's bytes
import type { RootDatabaseOptionsWithPath } from 'lmdb';

export const ENTRIES_DB = 'raft-entries';
export const STATE_DB = 'raft-state';

export const STATE_KEY = {
  format: 'format',
  hardState: 'hard-state',
  snapshotMeta: 'snapshot-meta',
  snapshotData: 'snapshot-data',
} as const;

export function entryKey(index: number): Buffer {
  const key = Buffer.allocUnsafe(8);
  key.writeUInt32BE(Math.floor(index / 2 ** 32), 0);
  key.writeUInt32BE(index >>> 0, 4);
  return key;
}

export function indexOfKey(key: Uint8Array): number {
  const buf = Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  if (buf.length !== 8) return -1;
  return buf.readUInt32BE(0) * 2 ** 32 + buf.readUInt32BE(4);
}

export interface LmdbRaftStorageOptions {
  /**
   * Bytes of address space reserved for the memory map (default 1 GiB). It is
   * virtual memory only: the file grows with the data, and lmdb-js enlarges
   * the map itself if the data outgrows it, so this only avoids early remaps.
   */
  readonly mapSize?: number;
}

export const DEFAULT_MAP_SIZE = 1024 ** 3;

/**
 * The environment options, and why:
 * - `overlappingSync: false` is the durability switch. lmdb-js defaults it to
 *   true on Linux/macOS, and then a write's promise resolves when the
 *   transaction is *committed* (visible), while the fsync happens later (the
 *   `flushed` promise). With it off, LMDB's own mdb_txn_commit() fdatasyncs
 *   the data pages and writes the meta page through an O_DSYNC descriptor
 *   before it returns, and lmdb-js resolves the transaction's promise only
 *   after commit returns. So "save() resolved" means "on disk". (Verified with
 *   strace: one fdatasync plus one synchronous meta write per commit.)
 *   On the test VM this cost about as much as overlappingSync + awaiting
 *   `flushed`, and it relies only on LMDB's documented commit semantics.
 * - `noSync` / `noMetaSync` stay false (their defaults): either would give up
 *   durability or crash consistency.
 * - `useWritemap` stays false: a stray write into a writable map can corrupt
 *   the file, and child transactions (our per-save rollback) need it off.
 * - no `cache` (child transactions need it off; we read only at load), no
 *   `compression` (entries are small and snapshot data is the state
 *   machine's own encoding), `noMemInit` off (Raft entries carry secrets;
 *   never leave stale heap bytes in the file).
 * - `eventTurnBatching` stays on (default): saves issued in the same event
 *   turn share one transaction and one fsync (group commit), while each save
 *   still runs in its own child transaction.
 * - default page size (4 KiB): entries are small; a multi-MB snapshot goes to
 *   overflow pages either way.
 */
export function environmentOptions(dir: string, options: LmdbRaftStorageOptions): RootDatabaseOptionsWithPath {
  return {
    path: dir,
    overlappingSync: false,
    noSync: false,
    noMetaSync: false,
    useWritemap: false,
    mapSize: options.mapSize ?? DEFAULT_MAP_SIZE,
    maxDbs: 4,
    encoding: 'binary',
  };
}
