// The RPC client: typed calls and streams over one WebSocket that it keeps
// open, reconnecting with jittered exponential backoff.
//
// - Calls made while disconnected wait for a connection until their
//   deadline (or `connectWaitMs` when they have none), then fail with
//   Unavailable saying why the server cannot be reached.
// - Calls in flight when the connection drops fail with Unavailable; streams
//   end with Unavailable after their buffered items, so callers resubscribe.
// - Every error is a ShoalError carrying the server's code and message.
import type { WebSocket } from 'ws';
import type { Contract, ItemOf, MethodTable, RequestOf, ResponseOf, StreamNames, UnaryNames } from '../../api/contract.js';
import { assertNever, invariant, ShoalError } from '../../api/errors.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { UnaryCall, type CallHost, type ClientCall } from './client-call.js';
import { StreamCall, type RpcStream } from './client-stream.js';
import { cborCodec, type Codec } from './codec.js';
import { DeadlineQueue } from './deadline-queue.js';
import type { Dialer } from './dial.js';
import { BadFrame, checkFrame, type CallId, type ClientFrame, type ServerFrame } from './frame.js';
import { withLimits, type RpcLimits } from './limits.js';
import { CloseCode } from './link.js';
import { realTimers, type TimerHandle, type Timers } from './timers.js';
import { ClientLink, type Refusal } from './client-link.js';

export interface ClientOptions {
  readonly dialer: Dialer;
  /** Who the server is, for error messages (default "the server"), e.g. "the manager". */
  readonly peerName?: string;
  readonly codec?: Codec;
  readonly limits?: Partial<RpcLimits>;
  readonly backoff?: Partial<BackoffPolicy>;
  /** [0, 1) random numbers for backoff jitter (default Math.random). */
  readonly rng?: () => number;
  readonly timers?: Timers;
  /** How long a call without a deadline waits for a connection (default 10 s). */
  readonly connectWaitMs?: number;
  /** Ping interval; a connection that misses a pong for this long is dropped (default 15 s, 0 = off). */
  readonly keepaliveMs?: number;
  /** Check results and items against the method's schema (default true). */
  readonly checkResponses?: boolean;
}

export interface CallOptions {
  /** Time the whole call may take, including waiting for a connection. Sent to the server, which aborts the handler. */
  readonly deadlineMs?: number;
  readonly signal?: AbortSignal;
}

export type StreamOptions = CallOptions;

export type ClientStatus = 'connecting' | 'open' | 'backoff' | 'closed';

type ConnState =
  | { readonly kind: 'connecting'; readonly attempt: number; readonly link: ClientLink }
  | { readonly kind: 'open'; readonly link: ClientLink }
  | { readonly kind: 'backoff'; readonly attempt: number; readonly timer: TimerHandle }
  | { readonly kind: 'closed' };

const LEGAL: Record<ConnState['kind'], readonly ConnState['kind'][]> = {
  connecting: ['open', 'backoff', 'closed'],
  open: ['backoff', 'closed'],
  backoff: ['connecting', 'closed'],
  closed: [],
};

export class RpcClient implements CallHost {
  readonly address: string;
  private state: ConnState;
  private readonly limits: RpcLimits;
  private readonly codec: Codec;
  private readonly timers: Timers;
  private readonly deadlines: DeadlineQueue;
  private readonly backoff: BackoffPolicy;
  private readonly rng: () => number;
  private readonly peerName: string;
  private readonly connectWaitMs: number;
  private readonly keepaliveMs: number;
  private readonly checkResponses: boolean;
  private readonly sent = new Map<CallId, ClientCall>();
  private readonly queued = new Set<ClientCall>();
  private readonly listeners = new Set<(status: ClientStatus) => void>();
  private nextId = 1;
  /** Why the last connection attempt failed or the last connection dropped. */
  private lastError: ShoalError | undefined = undefined;
  private closing: Promise<void> | undefined = undefined;

  constructor(private readonly options: ClientOptions) {
    this.address = options.dialer.address;
    this.limits = withLimits(options.limits);
    this.codec = options.codec ?? cborCodec();
    this.timers = options.timers ?? realTimers;
    this.deadlines = new DeadlineQueue(this.timers);
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.rng = options.rng ?? Math.random;
    this.peerName = options.peerName ?? 'the server';
    this.connectWaitMs = options.connectWaitMs ?? 10_000;
    this.keepaliveMs = options.keepaliveMs ?? 15_000;
    this.checkResponses = options.checkResponses ?? true;
    this.state = { kind: 'connecting', attempt: 0, link: this.dial() };
  }

  get status(): ClientStatus {
    return this.state.kind;
  }

  /** Be told of every status change; returns the disposer. */
  onStatus(listener: (status: ClientStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  call<M extends MethodTable, K extends UnaryNames<M>>(
    contract: Contract<M>,
    method: K,
    request: RequestOf<M[K]>,
    options: CallOptions = {},
  ): Promise<ResponseOf<M[K]>> {
    const def = contract.methods[method];
    invariant(def?.kind === 'unary', `${contract.name}.${method} is not a unary method`);
    return new Promise<ResponseOf<M[K]>>((resolve, reject) => {
      const call = new UnaryCall(
        this,
        `${contract.name}.${method}`,
        request,
        options.deadlineMs,
        options.signal,
        this.checkResponses ? def.response : undefined,
        resolve as (value: unknown) => void,
        reject,
      );
      this.begin(call);
    });
  }

  /** A server stream; the request is sent when iteration starts. */
  stream<M extends MethodTable, K extends StreamNames<M>>(
    contract: Contract<M>,
    method: K,
    request: RequestOf<M[K]>,
    options: StreamOptions = {},
  ): RpcStream<ItemOf<M[K]>> {
    const def = contract.methods[method];
    invariant(def?.kind === 'stream', `${contract.name}.${method} is not a stream method`);
    return new StreamCall<ItemOf<M[K]>>(
      this,
      `${contract.name}.${method}`,
      request,
      options.deadlineMs,
      options.signal,
      this.checkResponses ? def.item : undefined,
      this.limits.creditWindow,
    );
  }

  /** Fail every call with Cancelled, stop reconnecting and close the socket. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  // ---- CallHost ----

  begin(call: ClientCall): void {
    if (this.state.kind === 'closed') return call.fail(this.closedError());
    if (call.signal?.aborted === true) return call.handleEvent();
    call.signal?.addEventListener('abort', call, { once: true });
    if (call.deadlineMs !== undefined) this.deadlines.add(call, call.deadlineMs);
    if (this.state.kind === 'open') return this.transmit(call, this.state.link);
    if (call.deadlineMs === undefined) {
      call.waitOnly = true;
      this.deadlines.add(call, this.connectWaitMs);
    }
    call.phase = 'queued';
    this.queued.add(call);
  }

  abandon(call: ClientCall): void {
    if (call.phase === 'sent' && this.state.kind === 'open') this.send({ t: 'cancel', id: call.id });
    this.forget(call);
  }

  expired(call: ClientCall): void {
    if (call.phase === 'queued') {
      this.forget(call);
      return call.fail(this.unreachable());
    }
    if (call.phase !== 'sent') return;
    // No cancel frame: the server was given the same deadline and aborts the handler with DeadlineExceeded.
    this.forget(call);
    call.fail(new ShoalError('DeadlineExceeded', `${call.method} did not finish within its deadline of ${call.deadlineMs} ms`));
  }

  grant(call: ClientCall, n: number): void {
    if (call.phase === 'sent' && this.state.kind === 'open') this.send({ t: 'credit', id: call.id, n });
  }

  // ---- calls ----

  private transmit(call: ClientCall, link: ClientLink): void {
    if (call.waitOnly) {
      this.deadlines.remove(call);
      call.waitOnly = false;
    }
    const id = this.nextId++;
    let deadlineMs: number | undefined;
    if (call.deadlineMs !== undefined) deadlineMs = Math.max(0, Math.ceil(call.deadlineAt - this.timers.now()));
    const credit = call.initialCredit;
    // Absent fields are left out rather than sent as undefined.
    const frame: ClientFrame =
      credit === undefined
        ? deadlineMs === undefined
          ? { t: 'req', id, method: call.method, params: call.params }
          : { t: 'req', id, method: call.method, params: call.params, deadlineMs }
        : deadlineMs === undefined
          ? { t: 'req', id, method: call.method, params: call.params, credit }
          : { t: 'req', id, method: call.method, params: call.params, deadlineMs, credit };
    const bytes = this.codec.encode(frame);
    if (bytes.byteLength > this.limits.maxFrameBytes) {
      this.forget(call);
      return call.fail(
        new ShoalError('InvalidArgument', `${call.method}: the request is ${bytes.byteLength} bytes, over the frame limit of ${this.limits.maxFrameBytes}`),
      );
    }
    call.id = id;
    call.phase = 'sent';
    this.sent.set(id, call);
    link.write(bytes);
  }

  /** Drop every trace of `call` (maps, deadline, abort listener). */
  private forget(call: ClientCall): void {
    if (call.phase === 'sent') this.sent.delete(call.id);
    else if (call.phase === 'queued') this.queued.delete(call);
    call.phase = 'done';
    this.deadlines.remove(call);
    call.signal?.removeEventListener('abort', call);
  }

  private send(frame: ClientFrame): void {
    if (this.state.kind === 'open') this.state.link.write(this.codec.encode(frame));
  }

  // ---- frames from the server ----

  private receive(bytes: Uint8Array, isBinary: boolean, link: ClientLink): void {
    if (this.state.kind !== 'open' || this.state.link !== link) return;
    if (!isBinary) return link.drop('the server sent a text frame');
    let values: unknown[];
    try {
      values = this.codec.decodeAll(bytes);
    } catch {
      return link.drop('the server sent a message that is not valid CBOR');
    }
    for (const value of values) {
      if (this.state.kind !== 'open' || this.state.link !== link) return;
      const frame = checkFrame(value);
      if (frame instanceof BadFrame) return link.drop(`the server sent ${frame.message}`);
      this.dispatch(frame, link);
    }
  }

  private dispatch(frame: ServerFrame | ClientFrame, link: ClientLink): void {
    if (frame.t === 'req' || frame.t === 'credit') return link.drop(`the server sent a ${frame.t} frame`);
    // A frame for a call we no longer track (cancelled, expired) is a normal race. An `err`
    // with id 0 concerns the connection; our client never provokes one, so it is ignored.
    const call = this.sent.get(frame.id);
    if (call === undefined) return;
    switch (frame.t) {
      case 'res':
        this.forget(call);
        if (call instanceof UnaryCall) return call.succeed(frame.result);
        return call.fail(new ShoalError('Internal', `${call.method}: the server answered a stream with a single result`));
      case 'err':
        this.forget(call);
        return call.fail(new ShoalError(frame.code, frame.message, frame.detail));
      case 'item': {
        if (!(call instanceof StreamCall)) return;
        const broken = call.push(frame.value);
        if (broken !== undefined) {
          this.abandon(call);
          call.fail(broken);
        }
        return;
      }
      case 'end':
        this.forget(call);
        if (call instanceof StreamCall) return call.end();
        return call.fail(new ShoalError('Internal', `${call.method}: the server ended a unary call without a result`));
      case 'cancel':
        this.forget(call);
        return call.fail(new ShoalError('Cancelled', `${call.method} was cancelled by ${this.peerName}`));
      default:
        return assertNever(frame, 'frame');
    }
  }

  // ---- connection lifecycle ----

  private to(next: ConnState): void {
    invariant(LEGAL[this.state.kind].includes(next.kind), `rpc client: ${this.state.kind} -> ${next.kind}`);
    this.state = next;
    for (const listener of [...this.listeners]) listener(next.kind);
  }

  private dial(): ClientLink {
    const ws: WebSocket = this.options.dialer.open(this.limits.maxFrameBytes);
    const link: ClientLink = new ClientLink(ws, this.limits.maxFrameBytes, this.limits.maxBufferedBytes, this.keepaliveMs, this.timers, {
      opened: () => this.opened(link),
      receive: (bytes, isBinary) => this.receive(bytes, isBinary, link),
      closed: (reason, refusal) => this.linkClosed(link, reason, refusal),
    });
    return link;
  }

  private opened(link: ClientLink): void {
    if (this.state.kind !== 'connecting' || this.state.link !== link) return;
    this.lastError = undefined;
    this.to({ kind: 'open', link });
    for (const call of [...this.queued]) {
      this.queued.delete(call);
      this.transmit(call, link);
    }
  }

  private linkClosed(link: ClientLink, reason: string, refusal: Refusal | undefined): void {
    const s = this.state;
    if (s.kind === 'connecting' && s.link === link) {
      this.lastError =
        refusal === undefined
          ? new ShoalError('Unavailable', reason)
          : new ShoalError(
              refusal.status === 403 ? 'PermissionDenied' : 'Unauthenticated',
              `${this.peerName} at ${this.address} refused this client: HTTP ${refusal.status} ${refusal.message}`,
            );
      // A refusal (bad certificate) will not fix itself by waiting: fail waiting calls now.
      if (refusal !== undefined) for (const call of [...this.queued]) this.failQueued(call, this.unreachable());
      return this.retry(s.attempt);
    }
    if (s.kind === 'open' && s.link === link) {
      this.lastError = new ShoalError('Unavailable', reason);
      const what = `lost the connection to ${this.peerName} at ${this.address} (${reason})`;
      const lostCall = new ShoalError('Unavailable', `${what}; the call may or may not have completed`);
      const lostStream = new ShoalError('Unavailable', `${what}; resubscribe to continue the stream`);
      for (const call of [...this.sent.values()]) {
        this.forget(call);
        call.fail(call instanceof StreamCall ? lostStream : lostCall);
      }
      return this.retry(0);
    }
  }

  private failQueued(call: ClientCall, error: ShoalError): void {
    this.forget(call);
    call.fail(error);
  }

  private retry(attempt: number): void {
    const delay = backoffDelay(attempt, this.backoff, this.rng);
    const timer = this.timers.setTimeout(() => {
      if (this.state.kind !== 'backoff') return;
      this.to({ kind: 'connecting', attempt: attempt + 1, link: this.dial() });
    }, delay);
    this.to({ kind: 'backoff', attempt, timer });
  }

  private unreachable(): ShoalError {
    const last = this.lastError;
    if (last !== undefined && last.code !== 'Unavailable') return last;
    const why = last?.message ?? 'still connecting';
    return new ShoalError('Unavailable', `cannot reach ${this.peerName} at ${this.address}: ${why}`);
  }

  private closedError(): ShoalError {
    return new ShoalError('Cancelled', `the client for ${this.peerName} at ${this.address} was closed`);
  }

  private async shutdown(): Promise<void> {
    const prev = this.state;
    if (prev.kind === 'closed') return;
    this.to({ kind: 'closed' });
    this.deadlines.dispose();
    const error = this.closedError();
    for (const call of [...this.queued, ...this.sent.values()]) {
      this.forget(call);
      call.fail(error);
    }
    this.listeners.clear();
    switch (prev.kind) {
      case 'backoff':
        this.timers.clearTimeout(prev.timer);
        return;
      case 'connecting':
      case 'open':
        return prev.link.close(CloseCode.normal, 'client closed');
      default:
        return assertNever(prev, 'state');
    }
  }
}

export function createClient(options: ClientOptions): RpcClient {
  return new RpcClient(options);
}
