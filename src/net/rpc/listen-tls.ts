// The cluster port: HTTPS + WebSocket upgrade with mutual TLS.
//
// The TLS layer asks every client for a certificate but lets the handshake
// finish either way; the decision is made at upgrade, before any handler:
// - a certificate the cluster CA signed -> `identify(cert)` names the peer
//   (null -> 403: signed by our CA but not a shoal node identity);
// - a certificate the CA did not sign -> 401, the connection is closed;
// - no certificate -> `{ kind: 'anonymous' }`, which may only call methods
//   that allow 'anonymous' (joining).
import { createServer, type Server } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { Peer } from '../../api/contract.js';
import type { Listener } from './listener.js';
import type { RpcServer } from './server.js';
import { UpgradeAcceptor, upgradeRequired, type PeerDecision } from './upgrade.js';

export interface TlsCredentials {
  /** This node's certificate chain (PEM). */
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
  /** The cluster CA (PEM) that client certificates must chain to. */
  readonly ca: string | Buffer;
}

/** Map a CA-verified client certificate to a peer, or null when it names no shoal node. Provided by src/net/pki. */
export type Identify = (cert: PeerCertificate) => Peer | null;

export interface TlsListenOptions extends TlsCredentials {
  readonly server: RpcServer;
  readonly identify: Identify;
  /** Default 0.0.0.0 */
  readonly host?: string;
  /** 0 picks a free port (see `port` on the result). */
  readonly port: number;
}

export interface TlsListener extends Listener {
  readonly host: string;
  readonly port: number;
  /** Swap certificate, key and CA (rotation); existing connections keep theirs. */
  setCredentials(credentials: TlsCredentials): void;
}

export function decideTlsPeer(req: IncomingMessage, identify: Identify): PeerDecision {
  const socket = req.socket as TLSSocket;
  const cert = socket.getPeerCertificate();
  if (cert === null || Object.keys(cert).length === 0) return { ok: true, peer: { kind: 'anonymous' } };
  if (!socket.authorized) {
    const why = socket.authorizationError instanceof Error ? socket.authorizationError.message : String(socket.authorizationError);
    return { ok: false, status: 401, reason: `client certificate not signed by this cluster's CA (${why})` };
  }
  const peer = identify(cert);
  if (peer === null) return { ok: false, status: 403, reason: 'client certificate carries no shoal node identity' };
  return { ok: true, peer };
}

export async function listenTls(options: TlsListenOptions): Promise<TlsListener> {
  const { server, identify } = options;
  const acceptor = new UpgradeAcceptor(server, (req) => decideTlsPeer(req, identify));
  const https = createServer(
    {
      cert: options.cert,
      key: options.key,
      ca: options.ca,
      requestCert: true,
      rejectUnauthorized: false,
      handshakeTimeout: 10_000,
      headersTimeout: 10_000,
      requestTimeout: 10_000,
    },
    upgradeRequired,
  );
  https.on('upgrade', acceptor.onUpgrade);
  https.on('secureConnection', (socket: TLSSocket) => socket.setKeepAlive(true, 30_000));
  // Handshake failures concern one client; they must not reach 'error' on the server.
  https.on('tlsClientError', (_error, socket) => socket.destroy());
  const host = options.host ?? '0.0.0.0';
  await new Promise<void>((resolve, reject) => {
    https.once('error', reject);
    https.listen(options.port, host, () => {
      https.off('error', reject);
      resolve();
    });
  });
  const port = (https.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    address: `wss://${host.includes(':') ? `[${host}]` : host}:${port}`,
    setCredentials: (c) => https.setSecureContext({ cert: c.cert, key: c.key, ca: c.ca }),
    close: () => {
      closing ??= (async () => {
        const stopped = closeHttps(https);
        await acceptor.closeAll();
        https.closeAllConnections();
        await stopped;
      })();
      return closing;
    },
  };
}

function closeHttps(https: Server): Promise<void> {
  return new Promise((resolve) => https.close(() => resolve()));
}
