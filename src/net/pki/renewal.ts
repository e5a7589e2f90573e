// Certificate renewal. When: a uniformly random instant between 50% and 80%
// of the certificate's validity (swarmkit's calculateRandomExpiry), so that
// nodes that joined together do not all renew together. How: a new key and
// CSR, and the same checks as at join, for the same node and cluster.
import { invariant, ShoalError } from '../../api/errors.js';
import { certificateDer, readCertificateFields, type CertificateInput } from './cert-fields.js';
import { obtainNodeCredentials, type CertificateIssuer, type IssuedCredentials, type NodeCredentials } from './node-credentials.js';
import { parseCertificate } from './node-cert.js';
import { readNodeIdentity } from './node-identity.js';
import type { TrustRoot } from './root-ca.js';

export const RENEWAL_LOWER_FRACTION = 0.5;
export const RENEWAL_UPPER_FRACTION = 0.8;

/**
 * Pure. The epoch-ms instant to renew a certificate valid from `notBefore` to
 * `notAfter`, given `rng` returning a number in [0, 1). Always within
 * [notBefore + 50% of the validity, notBefore + 80% of the validity].
 */
export function renewalTime(notBefore: number, notAfter: number, rng: () => number): number {
  invariant(Number.isSafeInteger(notBefore) && Number.isSafeInteger(notAfter) && notBefore < notAfter, 'validity is a forward interval of whole ms');
  const r = rng();
  invariant(r >= 0 && r < 1, `rng returns a number in [0, 1), got ${r}`);
  const duration = notAfter - notBefore;
  const lo = Math.ceil(duration * RENEWAL_LOWER_FRACTION);
  const hi = Math.max(lo, Math.floor(duration * RENEWAL_UPPER_FRACTION));
  return notBefore + lo + Math.floor(r * (hi - lo + 1));
}

export type RenewalPlan =
  | { readonly kind: 'renew-at'; readonly at: number; readonly delayMs: number }
  | { readonly kind: 'expired'; readonly since: number };

/**
 * Pure. When to renew `cert` as seen at `now`. An expired certificate cannot
 * be renewed over mTLS (the node must rejoin), so it is reported as such.
 */
export function planRenewal(cert: CertificateInput, now: number, rng: () => number): RenewalPlan {
  const der = certificateDer(cert);
  invariant(der !== null, 'planRenewal needs a certificate');
  const { notBefore, notAfter } = readCertificateFields(der);
  if (now >= notAfter) return { kind: 'expired', since: notAfter };
  const at = renewalTime(notBefore, notAfter, rng);
  return { kind: 'renew-at', at, delayMs: Math.max(0, at - now) };
}

/**
 * Renew `current`: a fresh key and CSR sent through `issue` (over mTLS with
 * the current certificate), accepted only for the same node and cluster. The
 * role may differ: promotion and demotion take effect at renewal.
 */
export async function renewNodeCredentials(
  trust: TrustRoot,
  current: NodeCredentials,
  issue: CertificateIssuer,
  now: () => number,
): Promise<IssuedCredentials> {
  const identity = readNodeIdentity(parseCertificate(current.certPem));
  if (!identity.ok) throw new ShoalError('FailedPrecondition', `cannot renew: ${identity.reason}`);
  const { nodeId, clusterId } = identity.identity;
  return obtainNodeCredentials(trust, issue, now, { nodeId, clusterId });
}
