// The store as subsystems use it: consistent reads, watches, and write
// transactions committed through Raft. The store sees Raft only through the
// narrow Proposer interface (STYLE.md rule 4).
import type { ChangeSet } from './actions.js';
import type { ApplyResult, MemoryStore, WatchOptions } from './memory-store.js';
import type { ReadTx } from './read-tx.js';
import type { WatchQueue } from './watch-queue.js';
import { WriteTx } from './write-tx.js';

export interface Proposer {
  /**
   * Replicate `changes` and resolve once this manager has applied them, with
   * the apply result. Rejects with Unavailable when this manager cannot commit
   * (not the leader, quorum lost).
   */
  propose(changes: ChangeSet): Promise<ApplyResult>;
}

export interface StoreOptions {
  readonly now: () => Date;
  /** Attempts for a transaction that loses a version race (default 5). */
  readonly maxAttempts?: number;
}

export class Store {
  constructor(
    readonly memory: MemoryStore,
    private readonly proposer: Proposer,
    private readonly opts: StoreOptions,
  ) {}

  view<T>(fn: (tx: ReadTx) => T): T {
    return this.memory.view(fn);
  }

  watch(opts?: WatchOptions): WatchQueue {
    return this.memory.watch(opts);
  }

  viewAndWatch<T>(fn: (tx: ReadTx) => T, opts?: WatchOptions): [T, WatchQueue] {
    return this.memory.viewAndWatch(fn, opts);
  }

  /**
   * Run `fn` against the latest state and commit what it wrote as one
   * transaction. When another writer changed an object it read, `fn` runs
   * again on the new state, a bounded number of times. `fn` must only read and
   * write through `tx`. Resolves after the change is committed and applied.
   */
  async update<T>(fn: (tx: WriteTx) => T): Promise<T> {
    const attempts = this.opts.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      const tx = new WriteTx(this.memory.view((r) => r));
      const result = fn(tx);
      if (tx.actions.length === 0) return result;
      const outcome = await this.proposer.propose({ actions: tx.actions, at: this.opts.now().toISOString() });
      if (outcome.ok) return result;
      const conflict = outcome.error.code === 'FailedPrecondition' && outcome.error.message.startsWith('update out of sequence');
      if (!conflict || attempt >= attempts) throw outcome.error;
    }
  }
}

/** A proposer for a single manager with no replication (tests, and before Raft starts). */
export class LocalProposer implements Proposer {
  private index = 0;
  constructor(private readonly memory: MemoryStore) {
    this.index = memory.appliedIndex;
  }
  propose(changes: ChangeSet): Promise<ApplyResult> {
    this.index = Math.max(this.index, this.memory.appliedIndex) + 1;
    return Promise.resolve(this.memory.apply(this.index, changes));
  }
}

