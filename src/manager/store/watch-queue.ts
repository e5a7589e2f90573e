// A bounded queue of committed changes for one watcher. A watcher that falls
// too far behind is closed with ResourceExhausted instead of growing without
// bound; it resubscribes (viewAndWatch) to resume with no gap.
import { ShoalError } from '../../api/errors.js';
import type { StoreEvent } from './events.js';

export interface CommitBatch {
  /** The Raft index of the transaction. */
  readonly index: number;
  readonly events: readonly StoreEvent[];
}

export type EventFilter = (event: StoreEvent) => boolean;

export class WatchQueue implements AsyncIterable<CommitBatch, undefined> {
  private readonly buffer: CommitBatch[] = [];
  private buffered = 0;
  private waiter: ((r: IteratorResult<CommitBatch, undefined>) => void) | null = null;
  private failWaiter: ((e: unknown) => void) | null = null;
  private state: { kind: 'open' } | { kind: 'closed' } | { kind: 'failed'; error: ShoalError } = { kind: 'open' };

  constructor(
    private readonly filter: EventFilter | undefined,
    private readonly limit: number,
    private readonly onClose: (q: WatchQueue) => void,
  ) {}

  /** Called by the store after each commit. */
  push(batch: CommitBatch): void {
    if (this.state.kind !== 'open') return;
    const events = this.filter ? batch.events.filter(this.filter) : batch.events;
    if (events.length === 0) return;
    const b = events === batch.events ? batch : { index: batch.index, events };
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      this.failWaiter = null;
      w({ value: b, done: false });
      return;
    }
    if (this.buffered + events.length > this.limit) {
      this.fail(new ShoalError('ResourceExhausted', `watch fell behind by more than ${this.limit} changes; subscribe again to resume`));
      return;
    }
    this.buffer.push(b);
    this.buffered += events.length;
  }

  /** Take everything buffered now, without waiting (for synchronous consumers). */
  drain(): CommitBatch[] {
    const out = this.buffer.splice(0);
    this.buffered = 0;
    return out;
  }

  get pending(): number {
    return this.buffered;
  }

  close(): void {
    if (this.state.kind !== 'open') return;
    this.state = { kind: 'closed' };
    this.settle();
  }

  private fail(error: ShoalError): void {
    this.state = { kind: 'failed', error };
    this.buffer.length = 0;
    this.buffered = 0;
    this.settle();
  }

  private settle(): void {
    this.onClose(this);
    if (this.waiter === null) return;
    const w = this.waiter;
    const f = this.failWaiter;
    this.waiter = null;
    this.failWaiter = null;
    if (this.state.kind === 'failed' && f) f(this.state.error);
    else w({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<CommitBatch, undefined>> {
    const b = this.buffer.shift();
    if (b !== undefined) {
      this.buffered -= b.events.length;
      return Promise.resolve({ value: b, done: false });
    }
    if (this.state.kind === 'failed') return Promise.reject(this.state.error);
    if (this.state.kind === 'closed') return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiter = resolve;
      this.failWaiter = reject;
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<CommitBatch, undefined> {
    return {
      next: () => this.next(),
      return: () => {
        this.close();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
