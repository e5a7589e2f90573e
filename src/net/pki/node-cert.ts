// Node certificates: the identity every node presents on the cluster port.
// As in swarmkit, the subject is CN=<node id>, OU=<role>, O=<cluster id>, so
// authorization ("a worker cannot call manager APIs") reads the role straight
// from the certificate the TLS handshake has verified.
import { randomBytes as cryptoRandomBytes, X509Certificate } from 'node:crypto';
import type { NodeRole } from '../../api/contract.js';
import { assertNever, ShoalError } from '../../api/errors.js';
import { isObjectId, type NodeId } from '../../api/ids.js';
import { readCertificateFields } from './cert-fields.js';
import { verifyCsr } from './csr.js';
import type { RandomBytes } from './keys.js';
import { KEY_USAGE, OID } from './oids.js';
import { toPem } from './pem.js';
import { CERT_BACKDATE_MS, DAY_MS, HOUR_MS, type RootCa } from './root-ca.js';
import {
  authorityKeyIdentifier,
  basicConstraints,
  extKeyUsage,
  keyUsage,
  randomSerial,
  signCertificate,
  subjectAltNameDns,
  subjectKeyIdentifier,
} from './x509-build.js';
import { encodeName } from './x509-name.js';

export const MANAGER_OU = 'swarm-manager';
export const WORKER_OU = 'swarm-worker';

/** swarmkit's DefaultNodeCertExpiration: 90 days. */
export const NODE_CERT_VALIDITY_MS = 90 * DAY_MS;
/** swarmkit's MinNodeCertExpiration: one hour. */
export const MIN_NODE_CERT_VALIDITY_MS = HOUR_MS;

export function ouForRole(role: NodeRole): string {
  switch (role) {
    case 'manager':
      return MANAGER_OU;
    case 'worker':
      return WORKER_OU;
    default:
      return assertNever(role, 'node role');
  }
}

export function roleForOu(ou: string): NodeRole | null {
  if (ou === MANAGER_OU) return 'manager';
  if (ou === WORKER_OU) return 'worker';
  return null;
}

export interface NodeCertificateRequest {
  /** The node's PKCS#10 request (PEM or DER); only its public key is used. */
  readonly csr: string | Uint8Array;
  /** Decided by the manager, never read from the CSR. */
  readonly nodeId: NodeId;
  readonly role: NodeRole;
  readonly clusterId: string;
  readonly now: number;
  readonly validityMs?: number;
  readonly randomBytes?: RandomBytes;
}

/**
 * Issue a node certificate (PEM) for the key in `request.csr`. The CSR's
 * self-signature must verify; everything else in it (subject, attributes,
 * any role it claims) is ignored. The certificate never outlives the CA.
 */
export function issueNodeCertificate(ca: RootCa, request: NodeCertificateRequest): string {
  const { nodeId, role, clusterId, now } = request;
  if (!isObjectId(nodeId)) throw new ShoalError('InvalidArgument', `invalid node id "${nodeId}"`, 'nodeId');
  if (!isObjectId(clusterId)) throw new ShoalError('InvalidArgument', `invalid cluster id "${clusterId}"`, 'clusterId');
  const validityMs = request.validityMs ?? NODE_CERT_VALIDITY_MS;
  if (!(validityMs >= MIN_NODE_CERT_VALIDITY_MS)) {
    throw new ShoalError('InvalidArgument', 'node certificate validity must be at least one hour', 'validityMs');
  }
  const { publicKey } = verifyCsr(request.csr);
  const caFields = readCertificateFields(ca.cert.raw);
  if (now >= caFields.notAfter) throw new ShoalError('FailedPrecondition', 'the root CA certificate has expired');
  if (now < caFields.notBefore) throw new ShoalError('FailedPrecondition', 'the root CA certificate is not valid yet: check the clock');
  const ou = ouForRole(role);

  const der = signCertificate(
    {
      serial: randomSerial(request.randomBytes ?? cryptoRandomBytes),
      issuer: caFields.subjectDer, // byte-identical to the CA's subject
      subject: encodeName({ organization: clusterId, organizationalUnit: ou, commonName: nodeId }),
      notBefore: Math.max(now - CERT_BACKDATE_MS, caFields.notBefore),
      notAfter: Math.min(now + validityMs, caFields.notAfter),
      subjectKey: publicKey,
      extensions: [
        keyUsage([KEY_USAGE.digitalSignature]),
        extKeyUsage([OID.serverAuth, OID.clientAuth]),
        basicConstraints(false),
        subjectKeyIdentifier(publicKey),
        authorityKeyIdentifier(ca.key),
        // swarmkit's hosts: the role (the TLS server name clients ask for) and the node id.
        subjectAltNameDns([ou, nodeId]),
      ],
    },
    ca.key,
  );
  return toPem('CERTIFICATE', der);
}

/** Parse a PEM node certificate Node can use (a thin wrapper for symmetry). */
export function parseCertificate(certPem: string): X509Certificate {
  try {
    return new X509Certificate(certPem);
  } catch (err) {
    throw new ShoalError('InvalidArgument', `cannot read certificate: ${(err as Error).message}`);
  }
}
