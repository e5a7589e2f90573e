// Typed handlers derived from a contract, and `serve`, which binds a
// contract to its handlers for a server. Handlers only ever see requests
// that passed the method's schema, from peers the method allows.
import type {
  AnyStream,
  AnyUnary,
  Contract,
  ItemOf,
  MethodTable,
  Peer,
  RequestOf,
  ResponseOf,
} from '../../api/contract.js';

export interface CallContext {
  /** The authenticated caller. */
  readonly peer: Peer;
  /** `<Contract>.<method>` */
  readonly method: string;
  /** Aborted when the client cancels, disconnects, or the deadline passes; `reason` is a ShoalError. */
  readonly signal: AbortSignal;
}

export interface StreamSink<Item> {
  /**
   * Send one item. Resolves once it is queued, which waits while the client
   * has granted no credit; rejects (Cancelled/DeadlineExceeded/Unavailable)
   * once the call is over. Await each send before the next.
   */
  send(item: Item): Promise<void>;
}

export type UnaryHandler<Req, Res> = (req: Req, ctx: CallContext) => Promise<Res>;
/** Resolve to end the stream; throw to end it with an error. */
export type StreamHandler<Req, Item> = (req: Req, sink: StreamSink<Item>, ctx: CallContext) => Promise<void>;

export type HandlerOf<D> = D extends { kind: 'unary' }
  ? UnaryHandler<RequestOf<D>, ResponseOf<D>>
  : D extends { kind: 'stream' }
    ? StreamHandler<RequestOf<D>, ItemOf<D>>
    : never;

export type Handlers<M extends MethodTable> = { readonly [K in keyof M]: HandlerOf<M[K]> };

/** A method as the server dispatches it: types erased, schemas and rules kept. */
export type BoundMethod =
  | { readonly kind: 'unary'; readonly name: string; readonly def: AnyUnary; readonly handler: UnaryHandler<unknown, unknown> }
  | { readonly kind: 'stream'; readonly name: string; readonly def: AnyStream; readonly handler: StreamHandler<unknown, unknown> };

/** A contract bound to its handlers, ready to give to a server. */
export interface Service {
  readonly name: string;
  readonly methods: readonly BoundMethod[];
}

/** Bind `handlers` to `contract`. Throws at once if a method has no handler. */
export function serve<M extends MethodTable>(contract: Contract<M>, handlers: Handlers<M>): Service {
  if (contract.name.length === 0 || contract.name.includes('.')) {
    throw new Error(`contract name ${JSON.stringify(contract.name)} must be non-empty and contain no dot`);
  }
  const methods: BoundMethod[] = [];
  for (const [key, def] of Object.entries(contract.methods)) {
    const handler: unknown = (handlers as Record<string, unknown>)[key];
    if (typeof handler !== 'function') throw new Error(`no handler for ${contract.name}.${key}`);
    const name = `${contract.name}.${key}`;
    // The handler's parameter types were checked against the contract by
    // `Handlers<M>`; at dispatch the request has passed `def.request`.
    if (def.kind === 'unary') methods.push({ kind: 'unary', name, def, handler: handler as UnaryHandler<unknown, unknown> });
    else methods.push({ kind: 'stream', name, def, handler: handler as StreamHandler<unknown, unknown> });
  }
  return { name: contract.name, methods };
}
