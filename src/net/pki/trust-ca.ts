// The joining node's side of the join-token handshake: before it trusts the
// CA certificate a manager shows it (fetched over a connection that could
// not yet be verified), it checks that certificate against the digest in the
// token the operator gave it. A mismatch means a stale token (the swarm was
// re-initialised) or someone in the middle.
import { ShoalError } from '../../api/errors.js';
import { parseJoinToken, type ParsedJoinToken } from './join-token.js';
import { caDigest, loadTrustRoot, type TrustRoot } from './root-ca.js';

/**
 * Trust `caCertPem` only if its digest is the one in `token`. Throws
 * InvalidArgument for a malformed token or certificate, and Unauthenticated
 * ("remote CA does not match fingerprint", swarmkit's words) on a mismatch.
 */
export function trustCaForToken(token: string | ParsedJoinToken, caCertPem: string): TrustRoot {
  const parsed = typeof token === 'string' ? parseJoinToken(token) : token;
  const actual = caDigest(caCertPem);
  if (actual !== parsed.caDigest) {
    throw new ShoalError(
      'Unauthenticated',
      `remote CA does not match fingerprint. Expected: ${parsed.caDigest}, got ${actual}: ` +
        'check that the join token comes from this swarm (get a fresh one with `shoal swarm join-token`)',
    );
  }
  return loadTrustRoot(caCertPem);
}
