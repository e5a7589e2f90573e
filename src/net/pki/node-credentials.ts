// The node's side of getting a certificate, for joining and for renewal
// alike: make a fresh key and CSR, send the CSR, then accept the answer only
// if it is a certificate for *that* key, issued by the trusted CA, valid now,
// and (when the node already has an identity) for the same node and cluster.
import { type KeyObject } from 'node:crypto';
import { ShoalError } from '../../api/errors.js';
import type { NodeId } from '../../api/ids.js';
import { readCertificateFields } from './cert-fields.js';
import { createCsr } from './csr.js';
import { generateKey, privateKeyPem, samePublicKey } from './keys.js';
import { parseCertificate } from './node-cert.js';
import { readNodeIdentity, type NodeIdentity } from './node-identity.js';
import type { TrustRoot } from './root-ca.js';

/** A node's TLS identity: its private key and the certificate the CA issued for it. */
export interface NodeCredentials {
  readonly keyPem: string;
  readonly certPem: string;
}

export interface IssuedCredentials {
  readonly credentials: NodeCredentials;
  readonly identity: NodeIdentity;
  readonly notBefore: number;
  readonly notAfter: number;
}

export interface ExpectedIdentity {
  readonly nodeId?: NodeId;
  readonly clusterId?: string;
}

/** Sends a CSR to a manager's CA and resolves to the PEM certificate it issued. */
export type CertificateIssuer = (csrPem: string) => Promise<string>;

function refused(why: string): ShoalError {
  return new ShoalError('Unauthenticated', `refusing the issued certificate: ${why}`);
}

/** Check an issued certificate against the key it was requested for; see the file comment. */
export function acceptIssuedCertificate(
  trust: TrustRoot,
  key: KeyObject,
  certPem: string,
  now: number,
  expect: ExpectedIdentity = {},
): IssuedCredentials {
  const cert = parseCertificate(certPem);
  if (cert.ca) throw refused('it is a CA certificate');
  if (!cert.checkIssued(trust.cert) || !cert.verify(trust.cert.publicKey)) throw refused('it was not issued by the cluster CA');
  if (!samePublicKey(cert.publicKey, key)) throw refused('it is not for the key this node generated');
  const { notBefore, notAfter } = readCertificateFields(cert.raw);
  if (now < notBefore || now >= notAfter) throw refused('it is not valid at the current time (check the clock)');
  const identity = readNodeIdentity(cert);
  if (!identity.ok) throw refused(identity.reason);
  if (expect.nodeId !== undefined && identity.identity.nodeId !== expect.nodeId) {
    throw refused(`it names node ${identity.identity.nodeId}, not ${expect.nodeId}`);
  }
  if (expect.clusterId !== undefined && identity.identity.clusterId !== expect.clusterId) {
    throw refused(`it names cluster ${identity.identity.clusterId}, not ${expect.clusterId}`);
  }
  return { credentials: { keyPem: privateKeyPem(key), certPem }, identity: identity.identity, notBefore, notAfter };
}

/** New key + CSR -> issuer -> checked credentials. */
export async function obtainNodeCredentials(
  trust: TrustRoot,
  issue: CertificateIssuer,
  now: () => number,
  expect: ExpectedIdentity = {},
): Promise<IssuedCredentials> {
  const key = generateKey();
  const certPem = await issue(createCsr(key));
  return acceptIssuedCertificate(trust, key, certPem, now(), expect);
}
