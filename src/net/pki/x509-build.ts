// Building and signing X.509 v3 certificates (RFC 5280 4.1) with ECDSA
// P-256 / SHA-256. Callers decide every field; this file only encodes them.
import { sign, type KeyObject } from 'node:crypto';
import { invariant } from '../../api/errors.js';
import {
  bitString,
  boolean,
  explicit,
  implicit,
  integer,
  namedBits,
  octetString,
  oid,
  sequence,
  time,
  unsignedInteger,
} from './der-encode.js';
import { assertP256, keyIdentifier, spkiDer, type RandomBytes } from './keys.js';
import { OID } from './oids.js';

export interface CertificateTemplate {
  /** Positive, at most 20 octets (RFC 5280 4.1.2.2). */
  readonly serial: Uint8Array;
  /** Encoded Names (see x509-name.ts). */
  readonly issuer: Uint8Array;
  readonly subject: Uint8Array;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly subjectKey: KeyObject;
  /** Encoded Extension elements (see `extension` below). */
  readonly extensions: readonly Uint8Array[];
}

/** AlgorithmIdentifier for ecdsa-with-SHA256: no parameters (RFC 5758 3.2). */
export function ecdsaWithSha256(): Uint8Array {
  return sequence(oid(OID.ecdsaWithSha256));
}

/** Sign `tbs` with a P-256 key; ECDSA-Sig-Value DER, as X.509 and PKCS#10 want. */
export function signEcdsaSha256(tbs: Uint8Array, key: KeyObject): Uint8Array {
  return new Uint8Array(sign('sha256', tbs, { key, dsaEncoding: 'der' }));
}

/** Assemble the TBSCertificate, sign it with `issuerKey`, return certificate DER. */
export function signCertificate(template: CertificateTemplate, issuerKey: KeyObject): Uint8Array {
  assertP256(issuerKey, 'issuer key');
  assertP256(template.subjectKey, 'subject key');
  invariant(template.notBefore < template.notAfter, 'certificate validity runs forwards');
  invariant(template.serial.length > 0 && template.serial.length <= 20, 'serial number is 1..20 octets');
  const tbs = sequence(
    explicit(0, integer(2)), // v3
    unsignedInteger(template.serial),
    ecdsaWithSha256(),
    template.issuer,
    sequence(time(template.notBefore), time(template.notAfter)),
    template.subject,
    spkiDer(template.subjectKey),
    explicit(3, sequence(...template.extensions)),
  );
  return sequence(tbs, ecdsaWithSha256(), bitString(signEcdsaSha256(tbs, issuerKey)));
}

/**
 * A random positive serial of 16 octets. The top bit is cleared (positive)
 * and the next set, so the encoding is always exactly 16 octets.
 */
export function randomSerial(randomBytes: RandomBytes): Uint8Array {
  const serial = new Uint8Array(randomBytes(16));
  invariant(serial.length === 16, 'randomBytes returned 16 bytes');
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40;
  return serial;
}

/** Extension ::= SEQUENCE { extnID, critical DEFAULT FALSE, extnValue OCTET STRING } */
export function extension(type: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? sequence(oid(type), boolean(true), octetString(value)) : sequence(oid(type), octetString(value));
}

/** basicConstraints, critical. A leaf leaves cA at its default (FALSE), which DER omits. */
export function basicConstraints(ca: boolean): Uint8Array {
  return extension(OID.basicConstraints, true, ca ? sequence(boolean(true)) : sequence());
}

/** keyUsage, critical; `bits` are KEY_USAGE numbers. */
export function keyUsage(bits: readonly number[]): Uint8Array {
  return extension(OID.keyUsage, true, namedBits(bits));
}

export function extKeyUsage(purposes: readonly string[]): Uint8Array {
  return extension(OID.extKeyUsage, false, sequence(...purposes.map((p) => oid(p))));
}

/** subjectAltName with dNSName entries ([2] IMPLICIT IA5String). */
export function subjectAltNameDns(names: readonly string[]): Uint8Array {
  const general = names.map((n) => {
    invariant(/^[\x21-\x7e]+$/.test(n), `DNS name ${JSON.stringify(n)}`);
    return implicit(2, Buffer.from(n, 'ascii'), false);
  });
  return extension(OID.subjectAltName, false, sequence(...general));
}

export function subjectKeyIdentifier(subjectKey: KeyObject): Uint8Array {
  return extension(OID.subjectKeyIdentifier, false, octetString(keyIdentifier(subjectKey)));
}

/** authorityKeyIdentifier with the keyIdentifier field only ([0] IMPLICIT OCTET STRING). */
export function authorityKeyIdentifier(issuerKey: KeyObject): Uint8Array {
  return extension(OID.authorityKeyIdentifier, false, sequence(implicit(0, keyIdentifier(issuerKey), false)));
}
