// A call as the client tracks it, from `call()`/`stream()` until it settles.
// Calls wait in the client's queue while it is disconnected, then are sent;
// the client owns the bookkeeping (ids, maps, deadlines) through CallHost,
// the call owns how it settles.
import type { Schema } from '../../api/schema.js';
import { formatFailure } from '../../api/schema.js';
import { ShoalError } from '../../api/errors.js';
import { Expiring } from './deadline-queue.js';
import type { CallId } from './frame.js';

/** What a call needs from its client. */
export interface CallHost {
  /** Queue or send `call`. */
  begin(call: ClientCall): void;
  /** The caller gave up (abort signal, or breaking out of a stream): tell the server and forget the call. */
  abandon(call: ClientCall): void;
  /** The deadline (or, while queued, the wait for a connection) ran out. */
  expired(call: ClientCall): void;
  /** Grant a stream more credit. */
  grant(call: ClientCall, n: number): void;
}

export type CallPhase = 'idle' | 'queued' | 'sent' | 'done';

export abstract class ClientCall extends Expiring {
  /** Assigned when the request is sent; 0 before. */
  id: CallId = 0;
  phase: CallPhase = 'idle';
  /** True while the deadline entry only bounds the wait for a connection (the call has no deadline of its own). */
  waitOnly = false;

  constructor(
    protected readonly host: CallHost,
    /** `<Contract>.<method>` */
    readonly method: string,
    readonly params: unknown,
    readonly deadlineMs: number | undefined,
    readonly signal: AbortSignal | undefined,
  ) {
    super();
  }

  /** Credit to ask for with the request (streams). */
  abstract get initialCredit(): number | undefined;
  /** The call failed; the host has already forgotten it. */
  abstract fail(error: ShoalError): void;

  expire(): void {
    this.host.expired(this);
  }

  /** The abort signal fired (EventTarget listener object: no closure per call). */
  handleEvent(): void {
    if (this.phase === 'done') return;
    this.host.abandon(this);
    this.fail(cancelledByCaller(this.method, this.signal?.reason));
  }
}

export function cancelledByCaller(method: string, reason: unknown): ShoalError {
  if (reason instanceof ShoalError) return reason;
  // The default reason of AbortController.abort() says nothing worth repeating.
  const plain = reason instanceof Error && reason.name === 'AbortError';
  const why = reason instanceof Error && !plain ? `: ${reason.message}` : typeof reason === 'string' ? `: ${reason}` : '';
  return new ShoalError('Cancelled', `${method} was cancelled by the caller${why}`);
}

/** Check something the server sent against its schema; a mismatch is the server's bug, reported as Internal. */
export function checkFromServer<T>(schema: Schema<T> | undefined, value: unknown, method: string, what: 'response' | 'item'): T | ShoalError {
  if (schema === undefined) return value as T;
  const r = schema.check(value, '');
  return r.ok ? r.value : new ShoalError('Internal', `${method}: the server sent an ${formatFailure(r, what)}`);
}

export class UnaryCall extends ClientCall {
  constructor(
    host: CallHost,
    method: string,
    params: unknown,
    deadlineMs: number | undefined,
    signal: AbortSignal | undefined,
    /** undefined when responses are not checked. */
    private readonly response: Schema<unknown> | undefined,
    private readonly resolve: (value: unknown) => void,
    private readonly reject: (error: ShoalError) => void,
  ) {
    super(host, method, params, deadlineMs, signal);
  }

  get initialCredit(): undefined {
    return undefined;
  }

  /** The server answered; the host has already forgotten the call. */
  succeed(result: unknown): void {
    const checked = checkFromServer(this.response, result, this.method, 'response');
    if (checked instanceof ShoalError) this.reject(checked);
    else this.resolve(checked);
  }

  fail(error: ShoalError): void {
    this.reject(error);
  }
}
