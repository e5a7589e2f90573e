// A server stream as the consumer sees it: an AsyncIterableIterator.
//
// Flow control: the request grants `window` credits; each item the server
// sends spends one. Credit is given back only as the consumer pulls items,
// so the server is never more than `window` items ahead of the consumer
// (items buffered here + items in flight <= window).
//
// The request is sent on the first `next()`. Breaking out of `for await`
// (or calling `return()`) cancels the call on the server.
import type { Schema } from '../../api/schema.js';
import { ShoalError } from '../../api/errors.js';
import { ClientCall, checkFromServer, type CallHost } from './client-call.js';

/** What `client.stream()` returns: iterate it; `return()` (or `break`) cancels the call. */
export interface RpcStream<Item> extends AsyncIterableIterator<Item, undefined> {
  return(): Promise<IteratorResult<Item, undefined>>;
}

type StreamState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'live' }
  | { readonly kind: 'ended' }
  | { readonly kind: 'failed'; readonly error: ShoalError }
  /** The consumer has seen the end or the error, or gave up. */
  | { readonly kind: 'over' };

interface Waiter<Item> {
  resolve(r: IteratorResult<Item, undefined>): void;
  reject(e: ShoalError): void;
}

export class StreamCall<Item> extends ClientCall implements RpcStream<Item> {
  private state: StreamState = { kind: 'idle' };
  private readonly buffer: Item[] = [];
  private readonly waiters: Waiter<Item>[] = [];
  /** Items pulled since credit was last granted. */
  private pulled = 0;

  constructor(
    host: CallHost,
    method: string,
    params: unknown,
    deadlineMs: number | undefined,
    signal: AbortSignal | undefined,
    private readonly itemSchema: Schema<unknown> | undefined,
    private readonly window: number,
  ) {
    super(host, method, params, deadlineMs, signal);
  }

  get initialCredit(): number {
    return this.window;
  }

  /** Items received and not yet pulled (for tests and metrics). */
  get buffered(): number {
    return this.buffer.length;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<Item, undefined>> {
    if (this.buffer.length > 0) {
      const item = this.buffer.shift() as Item;
      this.pulledOne();
      if (this.buffer.length === 0 && this.state.kind === 'ended') this.state = { kind: 'over' };
      return Promise.resolve({ done: false, value: item });
    }
    switch (this.state.kind) {
      case 'idle':
        this.state = { kind: 'live' };
        this.host.begin(this);
        return this.wait();
      case 'live':
        return this.wait();
      case 'failed': {
        const error = this.state.error;
        this.state = { kind: 'over' };
        return Promise.reject(error);
      }
      case 'ended':
        this.state = { kind: 'over' };
        return Promise.resolve({ done: true, value: undefined });
      case 'over':
        return Promise.resolve({ done: true, value: undefined });
    }
  }

  /** The consumer is done (break, return, or throw in a for-await body). */
  return(): Promise<IteratorResult<Item, undefined>> {
    if (this.state.kind === 'live' && this.phase !== 'done') this.host.abandon(this);
    this.state = { kind: 'over' };
    this.buffer.length = 0;
    this.settleWaiters(undefined);
    return Promise.resolve({ done: true, value: undefined });
  }

  throw(): Promise<IteratorResult<Item, undefined>> {
    return this.return();
  }

  // ---- called by the client ----

  /** An item arrived. Returns an error when the server broke the protocol (the client then cancels the call). */
  push(value: unknown): ShoalError | undefined {
    if (this.state.kind !== 'live') return undefined;
    if (this.buffer.length >= this.window) {
      return new ShoalError('Internal', `${this.method}: the server sent more items than the ${this.window} it was granted`);
    }
    const checked = checkFromServer(this.itemSchema, value, this.method, 'item');
    if (checked instanceof ShoalError) return checked;
    const item = checked as Item;
    const waiter = this.waiters.shift();
    if (waiter !== undefined) {
      this.pulledOne();
      waiter.resolve({ done: false, value: item });
    } else {
      this.buffer.push(item);
    }
    return undefined;
  }

  /** The server ended the stream; buffered items are still delivered. */
  end(): void {
    if (this.state.kind !== 'live') return;
    this.state = { kind: 'ended' };
    if (this.buffer.length === 0) {
      this.state = { kind: 'over' };
      this.settleWaiters(undefined);
    }
  }

  fail(error: ShoalError): void {
    if (this.state.kind !== 'live' && this.state.kind !== 'idle') return;
    this.state = { kind: 'failed', error };
    if (this.buffer.length === 0 && this.waiters.length > 0) {
      this.state = { kind: 'over' };
      this.settleWaiters(error);
    }
  }

  // ---- internals ----

  private wait(): Promise<IteratorResult<Item, undefined>> {
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private pulledOne(): void {
    this.pulled++;
    if (this.state.kind === 'live' && this.phase === 'sent' && this.pulled >= Math.max(1, this.window >> 1)) {
      this.host.grant(this, this.pulled);
      this.pulled = 0;
    }
  }

  private settleWaiters(error: ShoalError | undefined): void {
    const waiters = this.waiters.splice(0);
    for (const w of waiters) {
      if (error === undefined) w.resolve({ done: true, value: undefined });
      else w.reject(error);
    }
  }
}
