// shoal's RPC layer: contracts from src/api served and called over
// WebSocket messages of CBOR frames, on a unix socket or mutual TLS.
//
//   const server = new RpcServer({ services: [serve(Control, handlers)] });
//   const local = await listenUnix({ path: '/run/shoal/shoald.sock', server });
//   const cluster = await listenTls({ server, port: 2377, cert, key, ca, identify });
//
//   const client = createClient({ dialer: dialTls({ host, port: 2377, ca, cert, key }), peerName: 'the manager' });
//   const info = await client.call(Control, 'getNode', { id }, { deadlineMs: 5000 });
//   for await (const event of client.stream(Dispatcher, 'assignments', { nodeId })) { ... }
//   await client.close(); await cluster.close(); await local.close(); server.close();
export { serve, type Service, type Handlers, type HandlerOf, type CallContext, type StreamSink, type UnaryHandler, type StreamHandler } from './handlers.js';
export { RpcServer, type ServerOptions } from './server.js';
export type { ServerConnection } from './server-connection.js';
export { RpcClient, createClient, type ClientOptions, type CallOptions, type StreamOptions, type ClientStatus } from './client.js';
export type { RpcStream } from './client-stream.js';
export { listenUnix, type UnixListenOptions } from './listen-unix.js';
export { listenTls, decideTlsPeer, type TlsListenOptions, type TlsListener, type TlsCredentials, type Identify } from './listen-tls.js';
export type { Listener } from './listener.js';
export { dialUnix, dialTls, type Dialer, type TlsDialOptions } from './dial.js';
export { cborCodec, type Codec } from './codec.js';
export { DEFAULT_LIMITS, type RpcLimits } from './limits.js';
export { DEFAULT_BACKOFF, backoffDelay, type BackoffPolicy } from './backoff.js';
export { realTimers, type Timers, type TimerHandle } from './timers.js';
export type { Link } from './link.js';
export type { Frame } from './frame.js';
