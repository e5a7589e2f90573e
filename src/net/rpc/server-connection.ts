// One accepted connection on the server: turns frames into handler calls
// and results into frames. Everything a peer can make the server hold is
// bounded here: calls in flight (limits.maxInFlight), bytes queued for it
// (limits.maxBufferedBytes) and frame size (enforced by ws maxPayload).
// Nothing a peer sends can throw out of `receive`.
import type { Peer } from '../../api/contract.js';
import { assertNever, ShoalError, type ErrorCode } from '../../api/errors.js';
import { formatFailure } from '../../api/schema.js';
import { authorize } from './authorize.js';
import type { Codec } from './codec.js';
import type { DeadlineQueue } from './deadline-queue.js';
import { BadFrame, checkFrame, CONNECTION_ID, MAX_CREDIT, type CallId, type CreditFrame, type RequestFrame, type ServerFrame } from './frame.js';
import type { BoundMethod } from './handlers.js';
import type { RpcLimits } from './limits.js';
import { CloseCode, type Link } from './link.js';
import type { LinkReceiver } from './ws-link.js';
import { ServerCall } from './server-call.js';

/** What a connection needs from its server. */
export interface ConnectionEnv {
  readonly methods: ReadonlyMap<string, BoundMethod>;
  readonly codec: Codec;
  readonly limits: RpcLimits;
  readonly deadlines: DeadlineQueue;
  /** Check results and items against the method's schema before sending (a mismatch is an Internal error). */
  readonly checkResponses: boolean;
  readonly onInternalError: (error: unknown, method: string, peer: Peer) => void;
  readonly onClosed: (conn: ServerConnection) => void;
}

type ConnState = 'open' | 'closing' | 'closed';

const RESOLVED = Promise.resolve();

export class ServerConnection implements LinkReceiver {
  private state: ConnState = 'open';
  private readonly calls = new Map<CallId, ServerCall>();

  constructor(
    private readonly env: ConnectionEnv,
    private readonly link: Link,
    readonly peer: Peer,
  ) {}

  get inFlight(): number {
    return this.calls.size;
  }

  receive(bytes: Uint8Array, isBinary: boolean): void {
    if (this.state !== 'open') return;
    try {
      this.dispatch(bytes, isBinary);
    } catch (error) {
      // A bug of ours; the peer only learns that the connection failed.
      this.env.onInternalError(error, '(dispatch)', this.peer);
      this.drop(CloseCode.internalError, 'internal error');
    }
  }

  closed(_code: number, _reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.finishAll(new ShoalError('Cancelled', 'the client disconnected'));
    this.env.onClosed(this);
  }

  /** The server is stopping: fail open calls with Unavailable so clients retry elsewhere, then close. */
  shutdown(): void {
    if (this.state !== 'open') return;
    const reason = new ShoalError('Unavailable', 'the server is shutting down; retry the call');
    for (const call of [...this.calls.values()]) {
      this.sendError(call.id, reason.code, reason.message);
      this.finish(call, reason);
    }
    this.state = 'closing';
    this.link.close(CloseCode.goingAway, 'server shutting down');
  }

  private dispatch(bytes: Uint8Array, isBinary: boolean): void {
    if (!isBinary) return this.drop(CloseCode.unsupportedData, 'shoal rpc takes binary frames only');
    let values: unknown[];
    try {
      values = this.env.codec.decodeAll(bytes);
    } catch {
      return this.drop(CloseCode.invalidPayload, 'message is not a sequence of complete CBOR values');
    }
    for (const value of values) {
      if (this.state !== 'open') return;
      this.handle(value);
    }
  }

  private handle(value: unknown): void {
    const frame = checkFrame(value);
    if (frame instanceof BadFrame) return this.sendError(frame.id, 'InvalidArgument', frame.message);
    switch (frame.t) {
      case 'req':
        return this.onRequest(frame);
      case 'cancel':
        return this.onCancel(frame.id);
      case 'credit':
        return this.onCredit(frame);
      case 'res':
      case 'err':
      case 'item':
      case 'end':
        return this.sendError(CONNECTION_ID, 'InvalidArgument', `unexpected ${frame.t} frame: clients send only req, cancel and credit`);
      default:
        return assertNever(frame, 'frame');
    }
  }

  private onRequest(frame: RequestFrame): void {
    const { id } = frame;
    if (this.calls.has(id)) {
      return this.sendError(CONNECTION_ID, 'InvalidArgument', `call id ${id} is already in use on this connection`);
    }
    const method = this.env.methods.get(frame.method);
    if (method === undefined) return this.sendError(id, 'NotFound', `unknown method ${frame.method}`);
    const denied = authorize(method.name, method.def.allow, this.peer);
    if (denied !== undefined) return this.sendError(id, denied.code, denied.message);
    if (this.calls.size >= this.env.limits.maxInFlight) {
      return this.sendError(
        id,
        'ResourceExhausted',
        `too many calls in flight on this connection (limit ${this.env.limits.maxInFlight}); wait for some to finish`,
      );
    }
    const params = method.def.request.check(frame.params, '');
    if (!params.ok) return this.sendError(id, 'InvalidArgument', formatFailure(params), params.path);

    const call = new ServerCall(this, id, method, this.peer, frame.credit ?? 0, frame.deadlineMs);
    this.calls.set(id, call);
    if (frame.deadlineMs !== undefined) this.env.deadlines.add(call, frame.deadlineMs);
    void call.run(params.value);
  }

  private onCancel(id: CallId): void {
    // A cancel for a call that already finished is a normal race: ignore it.
    const call = this.calls.get(id);
    if (call !== undefined) this.finish(call, new ShoalError('Cancelled', 'the client cancelled the call'));
  }

  private onCredit(frame: CreditFrame): void {
    const call = this.calls.get(frame.id);
    if (call === undefined || call.bound.kind !== 'stream') return;
    call.credit = Math.min(MAX_CREDIT, call.credit + frame.n);
    call.flush();
  }

  // ---- called by ServerCall ----

  /** The handler returned `result`. */
  resolve(call: ServerCall, result: unknown): void {
    if (call.isFinished) return;
    const method = call.bound;
    let value = result;
    if (method.kind === 'unary' && this.env.checkResponses) {
      const r = method.def.response.check(result, '');
      if (!r.ok) return this.fail(call, new Error(`${method.name} returned ${formatFailure(r, 'response')}`));
      value = r.value;
    }
    const sent = this.sendCall(call, method.kind === 'unary' ? { t: 'res', id: call.id, result: value } : { t: 'end', id: call.id });
    if (sent) this.finish(call, undefined);
  }

  /** The handler threw `error`. Only ShoalErrors reach the peer as they are. */
  fail(call: ServerCall, error: unknown): void {
    if (call.isFinished) return;
    if (error instanceof ShoalError) {
      this.sendError(call.id, error.code, error.message, error.detail);
      this.finish(call, error);
      return;
    }
    this.env.onInternalError(error, call.bound.name, this.peer);
    const internal = new ShoalError('Internal', `internal error in ${call.bound.name}`);
    this.sendError(call.id, internal.code, internal.message);
    this.finish(call, internal);
  }

  /** Send one stream item (credit already spent). Fails the call and rejects when the item is invalid. */
  sendItem(call: ServerCall, item: unknown): Promise<void> {
    let value = item;
    if (call.bound.kind === 'stream' && this.env.checkResponses) {
      const r = call.bound.def.item.check(item, '');
      if (!r.ok) {
        const error = new Error(`${call.bound.name} sent ${formatFailure(r, 'item')}`);
        this.fail(call, error);
        return Promise.reject(new ShoalError('Internal', error.message));
      }
      value = r.value;
    }
    if (!this.sendCall(call, { t: 'item', id: call.id, value })) return Promise.reject(call.finishReason());
    return RESOLVED;
  }

  /** The call's deadline passed. */
  expired(call: ServerCall): void {
    if (call.isFinished) return;
    const error = new ShoalError('DeadlineExceeded', `${call.bound.name} did not finish within its deadline of ${call.deadlineMs} ms`);
    this.sendError(call.id, error.code, error.message);
    this.finish(call, error);
  }

  // ---- internals ----

  private finish(call: ServerCall, reason: ShoalError | undefined): void {
    if (call.isFinished) return;
    this.calls.delete(call.id);
    this.env.deadlines.remove(call);
    call.finished(reason);
  }

  private finishAll(reason: ShoalError): void {
    for (const call of [...this.calls.values()]) this.finish(call, reason);
  }

  /** Encode and send a frame of `call`; an oversize frame fails the call instead. Returns whether it was sent. */
  private sendCall(call: ServerCall, frame: ServerFrame): boolean {
    const bytes = this.env.codec.encode(frame);
    if (bytes.byteLength > this.env.limits.maxFrameBytes) {
      const what = frame.t === 'item' ? 'a stream item' : 'the response';
      const error = new ShoalError(
        'ResourceExhausted',
        `${call.bound.name}: ${what} is ${bytes.byteLength} bytes, over the frame limit of ${this.env.limits.maxFrameBytes}`,
      );
      this.sendError(call.id, error.code, error.message);
      this.finish(call, error);
      return false;
    }
    this.write(bytes);
    return true;
  }

  private sendError(id: CallId, code: ErrorCode, message: string, detail?: string): void {
    const frame: ServerFrame = detail === undefined ? { t: 'err', id, code, message } : { t: 'err', id, code, message, detail };
    this.write(this.env.codec.encode(frame));
  }

  private write(bytes: Uint8Array): void {
    if (this.state !== 'open') return;
    this.link.send(bytes);
    if (this.link.bufferedAmount > this.env.limits.maxBufferedBytes) {
      // The peer is not reading: drop it rather than buffer without bound.
      this.state = 'closing';
      this.finishAll(new ShoalError('Cancelled', 'the client stopped reading responses'));
      this.link.terminate();
    }
  }

  private drop(code: number, reason: string): void {
    if (this.state !== 'open') return;
    this.state = 'closing';
    this.finishAll(new ShoalError('Cancelled', `connection closed: ${reason}`));
    this.link.close(code, reason);
  }
}
