// A push-to-pull bridge: producers push items, one consumer iterates them.
// Ends when the producer calls end(), fails when it calls fail(), and ends
// (without error) when the consumer stops iterating or the signal aborts.
// `onClose` runs exactly once on any of these, to release the producer.

export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiter: (() => void) | undefined;
  private state: { kind: 'open' } | { kind: 'ended' } | { kind: 'failed'; error: unknown } = { kind: 'open' };
  private closeHandlers: (() => void)[] = [];
  private closed = false;
  private readonly abortListener: (() => void) | undefined;

  constructor(private readonly signal?: AbortSignal) {
    if (signal !== undefined) {
      this.abortListener = () => this.end();
      if (signal.aborted) this.state = { kind: 'ended' };
      else signal.addEventListener('abort', this.abortListener, { once: true });
    }
  }

  /** Register a disposer run once when the queue closes (at once if already closed). */
  onClose(handler: () => void): void {
    if (this.closed) handler();
    else this.closeHandlers.push(handler);
  }

  get isOpen(): boolean {
    return this.state.kind === 'open';
  }

  push(item: T): void {
    if (this.state.kind !== 'open') return;
    this.items.push(item);
    this.wake();
  }

  end(): void {
    if (this.state.kind !== 'open') return;
    this.state = { kind: 'ended' };
    this.wake();
    this.close();
  }

  fail(error: unknown): void {
    if (this.state.kind !== 'open') return;
    this.state = { kind: 'failed', error };
    this.wake();
    this.close();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    try {
      while (true) {
        const next = this.items.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        if (this.state.kind === 'ended') return;
        if (this.state.kind === 'failed') throw this.state.error;
        await new Promise<void>((resolve) => {
          this.waiter = resolve;
        });
      }
    } finally {
      this.end();
      this.close();
    }
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.abortListener !== undefined) this.signal?.removeEventListener('abort', this.abortListener);
    const handlers = this.closeHandlers;
    this.closeHandlers = [];
    for (const handler of handlers) handler();
  }
}
