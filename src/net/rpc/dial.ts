// How a client opens a WebSocket to a server: over the local unix socket,
// or over TLS to the cluster port (with a client certificate, or without
// one for joining). A Dialer is passed to the client, so tests and other
// transports can supply their own.
import type { PeerCertificate } from 'node:tls';
import { WebSocket, type ClientOptions } from 'ws';

export interface Dialer {
  /** Where the server is, for messages: a socket path or `wss://host:port`. */
  readonly address: string;
  open(maxPayload: number): WebSocket;
}

export function dialUnix(path: string): Dialer {
  return {
    address: path,
    open: (maxPayload) => new WebSocket(`ws+unix://${path}:/`, { maxPayload, perMessageDeflate: false }),
  };
}

export interface TlsDialOptions {
  readonly host: string;
  readonly port: number;
  /**
   * The cluster CA the server's certificate must chain to. Omit it only
   * when joining with a pinned CA digest: then `verifyServer` is required.
   */
  readonly ca?: string | Buffer;
  /** This node's certificate and key; omit both to connect anonymously (joining). */
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
  /**
   * Extra check of the server's certificate (e.g. that it is a manager's);
   * return a reason to refuse it. Host names are not checked: shoal
   * certificates name nodes, not hosts.
   */
  readonly verifyServer?: (cert: PeerCertificate) => string | undefined;
  /** TLS handshake + upgrade timeout (default 10 s). */
  readonly handshakeTimeoutMs?: number;
}

export function dialTls(options: TlsDialOptions): Dialer {
  const { host, port, ca, cert, key, verifyServer } = options;
  if ((cert === undefined) !== (key === undefined)) throw new Error('dialTls: give both cert and key, or neither');
  if (ca === undefined && verifyServer === undefined) throw new Error('dialTls: without a CA, verifyServer must check the server');
  const url = `wss://${host.includes(':') ? `[${host}]` : host}:${port}/`;
  return {
    address: url.slice(0, -1),
    open: (maxPayload) =>
      new WebSocket(url, {
        maxPayload,
        perMessageDeflate: false,
        handshakeTimeout: options.handshakeTimeoutMs ?? 10_000,
        ca,
        cert,
        key,
        rejectUnauthorized: ca !== undefined,
        // ws passes this to tls.connect, which expects Node's signature (return an Error to refuse);
        // @types/ws declares an older boolean-returning one.
        checkServerIdentity: ((_host: string, peerCert: PeerCertificate): Error | undefined => {
          const refusal = verifyServer?.(peerCert);
          return refusal === undefined ? undefined : new Error(`server certificate refused: ${refusal}`);
        }) as unknown as ClientOptions['checkServerIdentity'],
      }),
  };
}
