// Reading the few TBSCertificate fields Node's X509Certificate does not give
// in a structured form: the subject as typed attributes (not an escaped
// string) and the validity as epoch milliseconds.
import { X509Certificate } from 'node:crypto';
import { TAG } from './der-encode.js';
import { children, decodeOne, decodeTime, expectTag, malformed } from './der-decode.js';
import { decodeName, type NameAttribute } from './x509-name.js';

export interface CertificateFields {
  /** The subject Name exactly as encoded (to copy into an issuer field). */
  readonly subjectDer: Uint8Array;
  readonly subject: readonly NameAttribute[];
  readonly notBefore: number;
  readonly notAfter: number;
}

/** Certificate DER from an X509Certificate, a tls.PeerCertificate (`raw`) or bytes. */
export type CertificateInput = X509Certificate | { readonly raw?: Uint8Array } | Uint8Array;

export function certificateDer(input: CertificateInput): Uint8Array | null {
  if (input instanceof X509Certificate) return input.raw;
  if (input instanceof Uint8Array) return input;
  // getPeerCertificate() returns {} when the peer sent no certificate.
  return input.raw instanceof Uint8Array && input.raw.length > 0 ? input.raw : null;
}

/** Throws InvalidArgument (malformed DER) for anything that is not a certificate. */
export function readCertificateFields(der: Uint8Array): CertificateFields {
  const [tbs] = children(expectTag(decodeOne(der), TAG.sequence, 'Certificate'));
  const fields = children(expectTag(tbs, TAG.sequence, 'TBSCertificate'));
  // version is [0] EXPLICIT and DEFAULT v1, so it may be absent.
  const rest = fields[0]?.tag === 0xa0 ? fields.slice(1) : fields;
  const [, , , validity, subject] = rest;
  const [notBefore, notAfter, extra] = children(expectTag(validity, TAG.sequence, 'Validity'));
  if (notBefore === undefined || notAfter === undefined || extra !== undefined) throw malformed('Validity');
  const subjectTlv = expectTag(subject, TAG.sequence, 'subject');
  return {
    subjectDer: subjectTlv.bytes,
    subject: decodeName(subjectTlv),
    notBefore: decodeTime(notBefore),
    notAfter: decodeTime(notAfter),
  };
}
