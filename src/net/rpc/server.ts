// The RPC server: a table of bound methods and the connections using it.
// Transports (listen-unix.ts, listen-tls.ts) authenticate a peer and hand
// the server a Link for it; the server never sees sockets or certificates.
import type { Peer } from '../../api/contract.js';
import { cborCodec, type Codec } from './codec.js';
import { DeadlineQueue } from './deadline-queue.js';
import type { BoundMethod, Service } from './handlers.js';
import { withLimits, type RpcLimits } from './limits.js';
import type { Link } from './link.js';
import { ServerConnection, type ConnectionEnv } from './server-connection.js';
import { realTimers, type Timers } from './timers.js';

export interface ServerOptions {
  readonly services: readonly Service[];
  readonly limits?: Partial<RpcLimits>;
  readonly codec?: Codec;
  readonly timers?: Timers;
  /** Check every result and stream item against its schema before sending (default true). */
  readonly checkResponses?: boolean;
  /** Failures that peers only see as "internal error in X" (default: written to stderr). */
  readonly onInternalError?: (error: unknown, method: string, peer: Peer) => void;
}

function logInternalError(error: unknown, method: string, peer: Peer): void {
  console.error(`shoal rpc: internal error in ${method} (peer ${peer.kind}):`, error);
}

export class RpcServer {
  readonly limits: RpcLimits;
  private readonly connections = new Set<ServerConnection>();
  private readonly watchers = new Set<(count: number) => void>();
  private readonly deadlines: DeadlineQueue;
  private readonly env: ConnectionEnv;
  private closed = false;

  constructor(options: ServerOptions) {
    const methods = new Map<string, BoundMethod>();
    for (const service of options.services) {
      for (const m of service.methods) {
        if (methods.has(m.name)) throw new Error(`method ${m.name} is served twice`);
        methods.set(m.name, m);
      }
    }
    this.limits = withLimits(options.limits);
    this.deadlines = new DeadlineQueue(options.timers ?? realTimers);
    this.env = {
      methods,
      codec: options.codec ?? cborCodec(),
      limits: this.limits,
      deadlines: this.deadlines,
      checkResponses: options.checkResponses ?? true,
      onInternalError: options.onInternalError ?? logInternalError,
      onClosed: (conn) => {
        if (this.connections.delete(conn)) this.notify();
      },
    };
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Serve one connection whose peer the transport has authenticated. Feed it the link's messages and close. */
  accept(link: Link, peer: Peer): ServerConnection {
    const conn = new ServerConnection(this.env, link, peer);
    if (this.closed) {
      conn.shutdown();
      return conn;
    }
    this.connections.add(conn);
    this.notify();
    return conn;
  }

  /** Be told the number of open connections whenever it changes (metrics, tests); returns the disposer. */
  onConnectionCount(listener: (count: number) => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  private notify(): void {
    for (const listener of [...this.watchers]) listener(this.connections.size);
  }

  /** Fail every open call with Unavailable, close every connection and stop the deadline timer. */
  close(): void {
    this.closed = true;
    for (const conn of [...this.connections]) conn.shutdown();
    this.deadlines.dispose();
    this.watchers.clear();
  }
}
