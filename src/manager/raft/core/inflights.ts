// The in-flight window of one follower in replicate state: appends sent but
// not yet acknowledged, bounded by count and (optionally) by bytes. A ring
// buffer of (last index, bytes) in send order.
import type { LogIndex } from '../types.js';
import { invariant } from '../../../api/errors.js';

export class Inflights {
  private readonly indexes: number[];
  private readonly sizes: number[];
  private start = 0;
  private count = 0;
  private bytes = 0;

  /** maxBytes 0 means no byte limit. */
  constructor(
    private readonly maxCount: number,
    private readonly maxBytes: number,
  ) {
    invariant(maxCount >= 1, 'inflight window holds at least one message');
    this.indexes = new Array<number>(maxCount).fill(0);
    this.sizes = new Array<number>(maxCount).fill(0);
  }

  /** Records an append whose last entry is `index`. Indexes must increase. */
  add(index: LogIndex, bytes: number): void {
    invariant(!this.full(), 'cannot add to a full inflight window');
    if (this.count > 0) {
      const last = this.indexes[(this.start + this.count - 1) % this.maxCount] ?? 0;
      invariant(index > last, `inflight index ${index} not after ${last}`);
    }
    const slot = (this.start + this.count) % this.maxCount;
    this.indexes[slot] = index;
    this.sizes[slot] = bytes;
    this.count++;
    this.bytes += bytes;
  }

  /** Frees every in-flight append up to and including `index` (acknowledged). */
  freeLE(index: LogIndex): void {
    while (this.count > 0) {
      const i = this.indexes[this.start] ?? 0;
      if (i > index) break;
      this.bytes -= this.sizes[this.start] ?? 0;
      this.start = (this.start + 1) % this.maxCount;
      this.count--;
    }
    if (this.count === 0) this.start = 0;
  }

  full(): boolean {
    return this.count >= this.maxCount || (this.maxBytes > 0 && this.bytes >= this.maxBytes);
  }

  get size(): number {
    return this.count;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  reset(): void {
    this.start = 0;
    this.count = 0;
    this.bytes = 0;
  }
}
