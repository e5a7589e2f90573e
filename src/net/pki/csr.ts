// PKCS#10 certificate signing requests (RFC 2986). A node makes its own
// P-256 key and sends only a CSR; the CA checks the self-signature (proof
// that the sender holds the private key) and then takes *nothing else* from
// it: like swarmkit's CSRWhitelist, only the public key is used. The node
// id, role and cluster come from the manager's decision.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { ShoalError } from '../../api/errors.js';
import { bitString, integer, sequence, implicit, TAG } from './der-encode.js';
import { children, decodeBitString, decodeOid, decodeOne, decodeUnsignedInteger, expectTag, malformed, type Tlv } from './der-decode.js';
import { assertP256, spkiDer } from './keys.js';
import { OID } from './oids.js';
import { derOf, toPem } from './pem.js';
import { ecdsaWithSha256, signEcdsaSha256 } from './x509-build.js';
import { decodeName, encodeName, type DistinguishedName, type NameAttribute } from './x509-name.js';

/** A CSR is a few hundred bytes; anything far larger is refused before parsing. */
export const MAX_CSR_BYTES = 8 * 1024;

/** Make a PEM CSR for `key` (a P-256 private key). The subject is informational only. */
export function createCsr(key: KeyObject, subject: DistinguishedName = {}): string {
  assertP256(key, 'CSR key');
  const info = sequence(
    integer(0), // version v1
    encodeName(subject),
    spkiDer(key),
    implicit(0, new Uint8Array(0), true), // attributes: none
  );
  return toPem('CERTIFICATE REQUEST', sequence(info, ecdsaWithSha256(), bitString(signEcdsaSha256(info, key))));
}

export interface VerifiedCsr {
  /** The requester's public key, proven by the CSR's self-signature. */
  readonly publicKey: KeyObject;
  /** What the requester wrote as subject. Never used to decide identity or role. */
  readonly claimedSubject: readonly NameAttribute[];
}

/**
 * Parse a CSR (PEM or DER) and verify its self-signature. Throws
 * InvalidArgument for anything malformed, not P-256/ECDSA-SHA256, or with a
 * signature that does not verify.
 */
export function verifyCsr(input: string | Uint8Array): VerifiedCsr {
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.length;
  if (size > 2 * MAX_CSR_BYTES) throw new ShoalError('InvalidArgument', `certificate signing request is larger than ${MAX_CSR_BYTES} bytes`);
  const der = derOf(input, 'CERTIFICATE REQUEST');
  if (der.length > MAX_CSR_BYTES) throw new ShoalError('InvalidArgument', `certificate signing request is larger than ${MAX_CSR_BYTES} bytes`);

  const [info, algorithm, signature, extra] = children(expectTag(decodeOne(der), TAG.sequence, 'CertificationRequest'));
  if (extra !== undefined) throw malformed('CertificationRequest has extra fields');
  const infoTlv = expectTag(info, TAG.sequence, 'CertificationRequestInfo');
  checkEcdsaSha256(expectTag(algorithm, TAG.sequence, 'signatureAlgorithm'));
  const sig = decodeBitString(expectTag(signature, TAG.bitString, 'signature'));
  if (sig.unusedBits !== 0) throw malformed('signature BIT STRING has unused bits');

  const [version, subject, spki, attributes, more] = children(infoTlv);
  if (decodeUnsignedInteger(expectTag(version, TAG.integer, 'version')) !== 0n) {
    throw new ShoalError('InvalidArgument', 'unsupported certificate signing request version');
  }
  const claimedSubject = decodeName(expectTag(subject, TAG.sequence, 'subject'));
  const spkiTlv = expectTag(spki, TAG.sequence, 'subjectPKInfo');
  expectTag(attributes, 0xa0, 'attributes');
  if (more !== undefined) throw malformed('CertificationRequestInfo has extra fields');

  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: Buffer.from(spkiTlv.bytes), format: 'der', type: 'spki' });
  } catch {
    throw new ShoalError('InvalidArgument', 'certificate signing request carries an unreadable public key');
  }
  assertP256(publicKey, 'certificate signing request key');

  let ok: boolean;
  try {
    ok = verify('sha256', infoTlv.bytes, { key: publicKey, dsaEncoding: 'der' }, sig.bytes);
  } catch {
    ok = false; // an unparseable ECDSA-Sig-Value is just a bad signature
  }
  if (!ok) throw new ShoalError('InvalidArgument', 'certificate signing request signature does not verify');
  return { publicKey, claimedSubject };
}

function checkEcdsaSha256(algorithm: Tlv): void {
  const [id, params] = children(algorithm);
  if (id === undefined || decodeOid(id) !== OID.ecdsaWithSha256 || params !== undefined) {
    throw new ShoalError('InvalidArgument', 'certificate signing request must be signed with ECDSA and SHA-256');
  }
}
