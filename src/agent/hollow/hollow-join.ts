// How a hollow node joins: exactly shoald's `swarm join` (src/cli/daemon/
// daemon.ts `join()`), minus the files. Fetch the root CA over an
// unverified connection and pin it against the token's digest, then trade
// the token and a CSR for the node certificate over a CA-verified one.
import { createSecureContext, type SecureContext } from 'node:tls';
import { WebSocket, type ClientOptions } from 'ws';
import { NodeCAContract } from '../../api/contracts/node-ca.js';
import type { NodeRole } from '../../api/contract.js';
import { ShoalError } from '../../api/errors.js';
import { createCsr } from '../../net/pki/csr.js';
import { parseJoinToken } from '../../net/pki/join-token.js';
import { generateKey, privateKeyPem } from '../../net/pki/keys.js';
import { trustCaForToken } from '../../net/pki/trust-ca.js';
import { createClient, dialTls, type Dialer } from '../../net/rpc/index.js';

export interface JoinRequest {
  /** host:port of the manager to join through (any manager: followers forward to the leader). */
  readonly remoteAddr: string;
  readonly token: string;
  readonly hostname: string;
  /** host:port the node advertises; hollow nodes serve nothing there. */
  readonly advertiseAddr: string;
  /**
   * The root CA, already fetched and checked against this token by the
   * caller (a fleet may share one fetch). Absent: fetched and pinned here.
   */
  readonly caPem?: string;
  readonly deadlineMs?: number;
}

export interface HollowCredentials {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

export interface JoinResult {
  readonly nodeId: string;
  readonly role: NodeRole;
  readonly managers: ReadonlyArray<{ NodeID: string; Addr: string }>;
  readonly creds: HollowCredentials;
}

/** `host:port` (IPv6 in brackets) to its parts; refuses anything else. */
export function parseHostPort(addr: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(addr.trim());
  const port = Number(m?.[2]);
  if (m?.[1] === undefined || !(port > 0 && port < 65536)) throw new ShoalError('InvalidArgument', `invalid address "${addr}": expected HOST:PORT`);
  return { host: m[1], port };
}

/** Fetch the cluster's root CA anonymously and trust it only if it matches the token. */
export async function fetchPinnedCa(remoteAddr: string, token: string, deadlineMs = 10_000): Promise<string> {
  const parsed = parseJoinToken(token);
  const { host, port } = parseHostPort(remoteAddr);
  const probe = createClient({ dialer: dialTls({ host, port, verifyServer: () => undefined }), peerName: `the manager at ${remoteAddr}`, connectWaitMs: deadlineMs });
  try {
    const { certPem } = await probe.call(NodeCAContract, 'getRootCACertificate', {}, { deadlineMs });
    trustCaForToken(parsed, certPem);
    return certPem;
  } finally {
    await probe.close();
  }
}

export async function joinWithToken(req: JoinRequest): Promise<JoinResult> {
  const deadlineMs = req.deadlineMs ?? 15_000;
  const ca = req.caPem ?? (await fetchPinnedCa(req.remoteAddr, req.token, deadlineMs));
  const { host, port } = parseHostPort(req.remoteAddr);
  const key = generateKey();
  const client = createClient({ dialer: dialTls({ host, port, ca }), peerName: `the manager at ${req.remoteAddr}`, connectWaitMs: deadlineMs });
  try {
    const issued = await client.call(NodeCAContract, 'issueNodeCertificate', { csr: createCsr(key), token: req.token, hostname: req.hostname, advertiseAddr: req.advertiseAddr }, { deadlineMs });
    return { nodeId: issued.nodeId, role: issued.role, managers: issued.managers, creds: { ca, cert: issued.certPem, key: privateKeyPem(key) } };
  } finally {
    await client.close();
  }
}

/**
 * A mutual-TLS dialer to managers with the node's credentials, as dialTls
 * (the server must chain to the cluster CA; host names are not checked:
 * shoal certificates name nodes), except that the TLS context is built once
 * per node, not once per connection: a fleet reconnects 1,000 nodes at once
 * after a leader change, and parsing the CA, certificate and key again for
 * every connection was a sixth of the hollow process's CPU.
 */
export function nodeDialer(creds: HollowCredentials): (address: string) => Dialer {
  let context: SecureContext | null = null;
  return (address) => {
    const { host, port } = parseHostPort(address);
    const url = `wss://${host.includes(':') ? `[${host}]` : host}:${port}/`;
    return {
      address: url.slice(0, -1),
      open: (maxPayload) => {
        context ??= createSecureContext({ ca: creds.ca, cert: creds.cert, key: creds.key });
        const options: ClientOptions & { secureContext: SecureContext } = {
          maxPayload,
          perMessageDeflate: false,
          handshakeTimeout: 10_000,
          secureContext: context,
          rejectUnauthorized: true,
          // Node's signature (return an Error to refuse); @types/ws declares an older boolean one.
          checkServerIdentity: ((): undefined => undefined) as unknown as ClientOptions['checkServerIdentity'],
        };
        return new WebSocket(url, options);
      },
    };
  };
}
