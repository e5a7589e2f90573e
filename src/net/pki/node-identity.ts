// Who a verified peer is: the node id, role and cluster its certificate
// names. Call this only on a certificate the TLS handshake has already
// chained to the cluster CA (see tls-options.ts `peerOf`); it reads the
// subject, it does not check signatures.
import type { NodeRole } from '../../api/contract.js';
import { isShoalError } from '../../api/errors.js';
import { asNodeId, isObjectId, type NodeId } from '../../api/ids.js';
import { certificateDer, readCertificateFields, type CertificateInput } from './cert-fields.js';
import { roleForOu } from './node-cert.js';
import { OID } from './oids.js';
import { valuesOf, type NameAttribute } from './x509-name.js';

export interface NodeIdentity {
  readonly nodeId: NodeId;
  readonly role: NodeRole;
  readonly clusterId: string;
}

export type IdentityResult =
  | { readonly ok: true; readonly identity: NodeIdentity }
  | { readonly ok: false; readonly reason: string };

/**
 * Read the identity from a node certificate (an X509Certificate, the
 * tls.PeerCertificate from `socket.getPeerCertificate()`, or DER). Refuses a
 * certificate unless its subject has exactly one CN (a node id), one OU
 * (swarm-manager or swarm-worker) and one O (a cluster id).
 */
export function readNodeIdentity(cert: CertificateInput): IdentityResult {
  const der = certificateDer(cert);
  if (der === null) return { ok: false, reason: 'no certificate was presented' };
  let subject: readonly NameAttribute[];
  try {
    subject = readCertificateFields(der).subject;
  } catch (err) {
    if (isShoalError(err)) return { ok: false, reason: err.message };
    throw err;
  }
  const cn = valuesOf(subject, OID.commonName);
  const ou = valuesOf(subject, OID.organizationalUnitName);
  const o = valuesOf(subject, OID.organizationName);
  const [nodeId] = cn;
  const [ouValue] = ou;
  const [clusterId] = o;
  if (cn.length !== 1 || nodeId === undefined || !isObjectId(nodeId)) {
    return { ok: false, reason: 'certificate subject has no single node id (CN)' };
  }
  if (ou.length !== 1 || ouValue === undefined) return { ok: false, reason: 'certificate subject has no single role (OU)' };
  const role = roleForOu(ouValue);
  if (role === null) return { ok: false, reason: `certificate role "${ouValue}" is neither swarm-manager nor swarm-worker` };
  if (o.length !== 1 || clusterId === undefined || !isObjectId(clusterId)) {
    return { ok: false, reason: 'certificate subject has no single cluster id (O)' };
  }
  return { ok: true, identity: { nodeId: asNodeId(nodeId), role, clusterId } };
}
