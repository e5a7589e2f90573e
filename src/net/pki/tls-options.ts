// Mutual TLS on the cluster port: options for Node's `tls` module built from
// a node's credentials and the cluster trust root, and the peer check that
// runs before any handler (DESIGN: authentication happens first).
import type { ConnectionOptions, TLSSocket, TlsOptions } from 'node:tls';
import type { Peer } from '../../api/contract.js';
import { MANAGER_OU } from './node-cert.js';
import type { NodeCredentials } from './node-credentials.js';
import { readNodeIdentity } from './node-identity.js';
import type { TrustRoot } from './root-ca.js';

/**
 * The TLS server name clients ask for: only manager certificates carry it
 * (as a DNS SAN), so a worker certificate can never pose as a manager.
 */
export const MANAGER_SERVER_NAME = MANAGER_OU;

export interface ServerTlsOptions {
  /**
   * Accept clients without a certificate (for the join methods only; they
   * are classified `anonymous`). A certificate that does not chain to the
   * cluster CA is still refused by `peerOf`.
   */
  readonly allowAnonymous?: boolean;
}

export function serverTlsOptions(creds: NodeCredentials, trust: TrustRoot, options: ServerTlsOptions = {}): TlsOptions {
  return {
    key: creds.keyPem,
    cert: creds.certPem,
    ca: [trust.certPem],
    requestCert: true,
    rejectUnauthorized: options.allowAnonymous !== true,
    minVersion: 'TLSv1.3',
  };
}

export interface ClientTlsOptions {
  /** Server name to verify; managers by default (every node dials managers). */
  readonly servername?: string;
}

/** Options for `tls.connect`; `creds` is null for a node that has not joined yet. */
export function clientTlsOptions(creds: NodeCredentials | null, trust: TrustRoot, options: ClientTlsOptions = {}): ConnectionOptions {
  return {
    ...(creds === null ? {} : { key: creds.keyPem, cert: creds.certPem }),
    ca: [trust.certPem],
    servername: options.servername ?? MANAGER_SERVER_NAME,
    rejectUnauthorized: true,
    minVersion: 'TLSv1.3',
  };
}

export type PeerResult = { readonly ok: true; readonly peer: Peer } | { readonly ok: false; readonly reason: string };

/**
 * Who is on the other end of a secured socket, or why it must be dropped:
 * a node (a certificate the cluster CA signed, with a valid identity),
 * anonymous (no certificate at all), or refused (anything else).
 */
export function peerOf(socket: TLSSocket): PeerResult {
  const cert = socket.getPeerCertificate();
  const presented = cert !== null && typeof cert === 'object' && Object.keys(cert).length > 0;
  if (!presented) return { ok: true, peer: { kind: 'anonymous' } };
  if (!socket.authorized) {
    return { ok: false, reason: `peer certificate is not trusted: ${String(socket.authorizationError ?? 'unknown reason')}` };
  }
  const identity = readNodeIdentity(cert);
  if (!identity.ok) return identity;
  return { ok: true, peer: { kind: 'node', ...identity.identity } };
}
