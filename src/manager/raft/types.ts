// The data Raft persists and exchanges. Shared by the pure core (core/),
// storage (storage/), the transport and the driver.
import type { Brand } from '../../api/brand.js';
import type { NodeId } from '../../api/ids.js';

/** A Raft term: starts at 0, only ever grows on a node. */
export type Term = Brand<number, 'Term'>;
/** A position in the replicated log: 1-based; 0 means "before the first entry". */
export type LogIndex = Brand<number, 'LogIndex'>;
/** Raft members are named by their shoal node id. */
export type MemberId = NodeId;

export const asTerm = (n: number): Term => n as Term;
export const asIndex = (n: number): LogIndex => n as LogIndex;

/**
 * - `normal`: an opaque command for the state machine (empty data = the no-op a
 *   new leader appends in its term);
 * - `config`: a membership change (data is a CBOR-encoded ConfChange).
 */
export type EntryKind = 'normal' | 'config';

export interface Entry {
  readonly term: Term;
  readonly index: LogIndex;
  readonly kind: EntryKind;
  readonly data: Uint8Array;
}

/** What must be on disk before this node answers a vote or an append. */
export interface HardState {
  readonly term: Term;
  readonly vote: MemberId | null;
  readonly commit: LogIndex;
}

export interface ConfState {
  readonly voters: readonly MemberId[];
  readonly learners: readonly MemberId[];
}

export interface SnapshotMeta {
  /** The last log index the snapshot covers, and its term. */
  readonly index: LogIndex;
  readonly term: Term;
  readonly conf: ConfState;
}

export interface Snapshot {
  readonly meta: SnapshotMeta;
  /** The state machine's own encoding of its state at meta.index. */
  readonly data: Uint8Array;
}

/** What a node recovers from disk when it starts. */
export interface PersistedState {
  readonly hardState: HardState;
  readonly snapshot: Snapshot | null;
  /** Entries after the snapshot (or from index 1), contiguous and ascending. */
  readonly entries: readonly Entry[];
}

/**
 * One durable write. When `save` resolves, everything in it is flushed to disk
 * (not merely committed to the page cache), so messages that depend on it may
 * be sent.
 * Order inside a batch: snapshot (replaces the whole log up to its index),
 * then entries (an entry at index i replaces the stored entry at i and drops
 * every stored entry after it), then hard state.
 */
export interface SaveBatch {
  readonly snapshot?: Snapshot;
  readonly entries?: readonly Entry[];
  readonly hardState?: HardState;
}

export interface RaftStorage {
  load(): Promise<PersistedState>;
  save(batch: SaveBatch): Promise<void>;
  /**
   * Drop entries up to and including `index`, which `snapshot` covers; the
   * snapshot is stored first so a crash in between never loses data.
   */
  compact(snapshot: Snapshot): Promise<void>;
  close(): Promise<void>;
}

/** Thrown when a stored record fails its checksum or cannot be decoded. */
export class StorageCorruptError extends Error {
  readonly record: string;
  constructor(record: string, reason: string) {
    super(`raft storage is corrupt: record ${record}: ${reason}; restore this manager from a healthy peer (remove its data dir and join again)`);
    this.name = 'StorageCorruptError';
    this.record = record;
  }
}
