// RPC contracts: one typed method table per API, shared by client and server.
// A contract is pure data (schemas and access rules); src/net/rpc serves and
// calls it over a transport.
import type { NodeId } from './ids.js';
import type { Schema } from './schema.js';

export type NodeRole = 'manager' | 'worker';

/**
 * Who is calling, established before any handler runs:
 * - `node`: a TLS peer whose client certificate the cluster CA signed;
 * - `local`: the daemon's own unix control socket (mode 0600, so root/owner);
 * - `anonymous`: a TLS peer without a client certificate (only join methods).
 */
export type Peer =
  | { readonly kind: 'node'; readonly nodeId: NodeId; readonly role: NodeRole; readonly clusterId: string }
  | { readonly kind: 'local' }
  | { readonly kind: 'anonymous' };

/** Which peers may call a method. */
export type Caller = 'manager' | 'worker' | 'local' | 'anonymous';

export function callerOf(peer: Peer): Caller {
  return peer.kind === 'node' ? peer.role : peer.kind;
}

export interface UnaryMethod<Req, Res> {
  readonly kind: 'unary';
  readonly request: Schema<Req>;
  readonly response: Schema<Res>;
  readonly allow: readonly Caller[];
}

export interface StreamMethod<Req, Item> {
  readonly kind: 'stream';
  readonly request: Schema<Req>;
  readonly item: Schema<Item>;
  readonly allow: readonly Caller[];
}

export type MethodDef = UnaryMethod<never, unknown> | StreamMethod<never, unknown>;

// Method tables are checked structurally; the `any`-free variance trick is to
// accept schemas of anything through these wide types.
export type AnyUnary = { readonly kind: 'unary'; readonly request: Schema<unknown>; readonly response: Schema<unknown>; readonly allow: readonly Caller[] };
export type AnyStream = { readonly kind: 'stream'; readonly request: Schema<unknown>; readonly item: Schema<unknown>; readonly allow: readonly Caller[] };
export type MethodTable = Readonly<Record<string, AnyUnary | AnyStream>>;

export interface Contract<M extends MethodTable> {
  /** The API's name; it is part of the wire method name `<name>.<method>`. */
  readonly name: string;
  readonly methods: M;
}

export function defineContract<const M extends MethodTable>(name: string, methods: M): Contract<M> {
  return { name, methods };
}

export function unary<Req, Res>(request: Schema<Req>, response: Schema<Res>, allow: readonly Caller[]): UnaryMethod<Req, Res> {
  return { kind: 'unary', request, response, allow };
}

export function stream<Req, Item>(request: Schema<Req>, item: Schema<Item>, allow: readonly Caller[]): StreamMethod<Req, Item> {
  return { kind: 'stream', request, item, allow };
}

export type RequestOf<D> = D extends { request: Schema<infer Q> } ? Q : never;
export type ResponseOf<D> = D extends { kind: 'unary'; response: Schema<infer R> } ? R : never;
export type ItemOf<D> = D extends { kind: 'stream'; item: Schema<infer I> } ? I : never;
export type UnaryNames<M extends MethodTable> = { [K in keyof M]: M[K] extends { kind: 'unary' } ? K : never }[keyof M] & string;
export type StreamNames<M extends MethodTable> = { [K in keyof M]: M[K] extends { kind: 'stream' } ? K : never }[keyof M] & string;
