// RaftStorage in memory, for tests and the deterministic simulator.
//
// Two durability modes:
// - 'immediate' (default): a save lands on the "disk" at once and its promise
//   resolves on the next microtask.
// - 'manual': the simulator plays the disk. save() applies the batch to what
//   the running node reads back (load()), queues it as pending and returns a
//   promise that resolves only when the simulator calls flush(). crash() loses
//   every pending batch, exactly as a power cut loses writes not yet fsynced;
//   batches are atomic, so a crash never keeps half of one.
//
//   const disk = new MemoryRaftStorage({ durability: 'manual' });
//   const saved = disk.save(batch); // pending; `saved` has not resolved
//   disk.flush(1);                  // oldest pending batch is durable; `saved` resolves
//   disk.crash();                   // pending batches are gone; storage is closed
//   disk.reopen();                  // a restarted node opens the same disk
//   await disk.load();              // only flushed batches
//
// After crash() the lost saves' promises never settle: a killed process
// observes nothing. Each save copies the log array (O(log length)); fine for
// simulated logs that are compacted now and then.
import type { PersistedState, RaftStorage, SaveBatch, Snapshot } from '../types.js';
import { EMPTY_STATE, applySaveBatch } from './memory-log.js';

export type MemoryDurability = 'immediate' | 'manual';

export interface MemoryRaftStorageOptions {
  readonly durability?: MemoryDurability;
}

interface PendingSave {
  /** The visible state right after this batch (states are never mutated). */
  readonly after: PersistedState;
  readonly resolve: () => void;
}

type Status = 'open' | 'closed';

export class MemoryRaftStorage implements RaftStorage {
  readonly durability: MemoryDurability;
  /** What survives a crash. */
  #durable: PersistedState = EMPTY_STATE;
  /** What the running node reads back: #durable plus every pending batch. */
  #visible: PersistedState = EMPTY_STATE;
  #pending: PendingSave[] = [];
  #status: Status = 'open';

  constructor(options: MemoryRaftStorageOptions = {}) {
    this.durability = options.durability ?? 'immediate';
  }

  /** Saves issued but not yet flushed (always 0 in 'immediate' mode). */
  get pendingCount(): number {
    return this.#pending.length;
  }

  async load(): Promise<PersistedState> {
    this.#checkOpen();
    const { hardState, snapshot, entries } = this.#visible;
    return { hardState, snapshot, entries: [...entries] };
  }

  save(batch: SaveBatch): Promise<void> {
    try {
      this.#checkOpen();
      // Validate against what the node sees now, so misuse rejects at once.
      this.#visible = applySaveBatch(this.#visible, batch);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.durability === 'immediate') {
      this.#durable = this.#visible;
      return Promise.resolve();
    }
    const after = this.#visible;
    return new Promise((resolve) => this.#pending.push({ after, resolve }));
  }

  compact(snapshot: Snapshot): Promise<void> {
    return this.save({ snapshot });
  }

  /**
   * Makes the oldest `count` pending batches (default: all) durable, in
   * order, and resolves their saves. Returns how many were flushed.
   */
  flush(count = Infinity): number {
    const flushed = this.#pending.splice(0, Math.min(count, this.#pending.length));
    const last = flushed.at(-1);
    if (last !== undefined) this.#durable = last.after;
    for (const p of flushed) p.resolve();
    return flushed.length;
  }

  /**
   * Models a power cut: drops pending batches (returns how many), forgets
   * everything not flushed and closes the storage. reopen() to restart.
   */
  crash(): number {
    const lost = this.#pending.length;
    this.#pending = [];
    this.#visible = this.#durable;
    this.#status = 'closed';
    return lost;
  }

  /** Opens the same "disk" again after close() or crash(). */
  reopen(): void {
    this.#status = 'open';
  }

  /** A clean shutdown: pending batches are flushed first, as LMDB's close waits for its commits. */
  async close(): Promise<void> {
    this.flush();
    this.#status = 'closed';
  }

  #checkOpen(): void {
    if (this.#status === 'closed') throw new Error('raft storage is closed');
  }
}
