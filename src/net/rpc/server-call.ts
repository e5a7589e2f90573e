// One call being served: the handler's context and, for streams, its sink.
// The AbortController is created only if the handler looks at `signal`, so
// a plain unary call allocates nothing beyond this object.
import type { Peer } from '../../api/contract.js';
import { ShoalError } from '../../api/errors.js';
import { Expiring } from './deadline-queue.js';
import type { CallId } from './frame.js';
import type { BoundMethod, CallContext, StreamSink } from './handlers.js';
import type { ServerConnection } from './server-connection.js';


export class ServerCall extends Expiring implements CallContext, StreamSink<unknown> {
  /** Items the client lets us send before it grants more (streams only). */
  credit: number;
  private finishedWith: ShoalError | 'ok' | undefined = undefined;
  private controller: AbortController | undefined = undefined;
  private pendingItem: unknown = undefined;
  private pendingResolve: (() => void) | undefined = undefined;
  private pendingReject: ((e: ShoalError) => void) | undefined = undefined;

  constructor(
    private readonly conn: ServerConnection,
    readonly id: CallId,
    readonly bound: BoundMethod,
    readonly peer: Peer,
    credit: number,
    readonly deadlineMs: number | undefined,
  ) {
    super();
    this.credit = credit;
  }

  /** `<Contract>.<method>` (CallContext) */
  get method(): string {
    return this.bound.name;
  }

  get isFinished(): boolean {
    return this.finishedWith !== undefined;
  }

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.finishedWith instanceof ShoalError) this.controller.abort(this.finishedWith);
    }
    return this.controller.signal;
  }

  async run(request: unknown): Promise<void> {
    try {
      const m = this.bound;
      const result: unknown = m.kind === 'unary' ? await m.handler(request, this) : await m.handler(request, this, this);
      this.conn.resolve(this, result);
    } catch (error) {
      this.conn.fail(this, error);
    }
  }

  send(item: unknown): Promise<void> {
    if (this.finishedWith !== undefined) return Promise.reject(this.finishReason());
    if (this.pendingResolve !== undefined) {
      return Promise.reject(new ShoalError('Internal', `${this.bound.name}: send() called before the previous send resolved`));
    }
    if (this.credit > 0) {
      this.credit--;
      return this.conn.sendItem(this, item);
    }
    return new Promise<void>((resolve, reject) => {
      this.pendingItem = item;
      this.pendingResolve = resolve;
      this.pendingReject = reject;
    });
  }

  /** Credit arrived: send the waiting item, if any. */
  flush(): void {
    const resolve = this.pendingResolve;
    const reject = this.pendingReject;
    if (resolve === undefined || reject === undefined || this.credit === 0) return;
    const item = this.pendingItem;
    this.pendingItem = this.pendingResolve = this.pendingReject = undefined;
    this.credit--;
    this.conn.sendItem(this, item).then(resolve, reject);
  }

  expire(): void {
    this.conn.expired(this);
  }

  /** Called once by the connection when the call is over; `reason` is why, when it did not complete normally. */
  finished(reason: ShoalError | undefined): void {
    if (this.finishedWith !== undefined) return;
    this.finishedWith = reason ?? 'ok';
    if (reason !== undefined) this.controller?.abort(reason);
    const reject = this.pendingReject;
    this.pendingItem = this.pendingResolve = this.pendingReject = undefined;
    reject?.(this.finishReason());
  }

  finishReason(): ShoalError {
    return this.finishedWith instanceof ShoalError ? this.finishedWith : new ShoalError('Cancelled', `${this.bound.name} has already finished`);
  }
}

