import type { PeerCertificate } from 'node:tls';
import type { Peer } from '../../api/contract.js';
import { readNodeIdentity } from './node-identity.js';

/** The RPC layer's `identify`: a CA-verified client certificate to the peer it names. */
export function identifyPeer(cert: PeerCertificate): Peer | null {
  const r = readNodeIdentity(cert);
  return r.ok ? { kind: 'node', nodeId: r.identity.nodeId, role: r.identity.role, clusterId: r.identity.clusterId } : null;
}
