// Key material: every key in the cluster PKI is ECDSA P-256, as swarmkit's.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { ShoalError } from '../../api/errors.js';
import { decodeBitString, decodeOne, children } from './der-decode.js';

/** Source of random bytes (crypto.randomBytes in production, seeded in tests). */
export type RandomBytes = (size: number) => Uint8Array;

/** A fresh P-256 private key (a node makes its own; the CA makes one at init). */
export function generateKey(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
}

/** PKCS#8 PEM, the form Node's tls options take. */
export function privateKeyPem(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** Load a PEM private key, refusing anything but P-256. */
export function loadPrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw new ShoalError('InvalidArgument', `cannot read private key: ${(err as Error).message}`);
  }
  assertP256(key, 'private key');
  return key;
}

export function assertP256(key: KeyObject, what: string): void {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new ShoalError('InvalidArgument', `${what} must be an ECDSA P-256 key`);
  }
}

/** SubjectPublicKeyInfo DER of a key (the public half of a private key). */
export function spkiDer(key: KeyObject): Uint8Array {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return new Uint8Array(pub.export({ type: 'spki', format: 'der' }));
}

export function samePublicKey(a: KeyObject, b: KeyObject): boolean {
  return Buffer.compare(spkiDer(a), spkiDer(b)) === 0;
}

/**
 * RFC 5280 4.2.1.2 method (1): the SHA-1 of the subjectPublicKey BIT STRING
 * value. Used for the subject and authority key identifier extensions.
 */
export function keyIdentifier(key: KeyObject): Uint8Array {
  const [, subjectPublicKey] = children(decodeOne(spkiDer(key)));
  if (subjectPublicKey === undefined) throw new Error('invariant violated: SPKI without a key');
  return new Uint8Array(createHash('sha1').update(decodeBitString(subjectPublicKey).bytes).digest());
}
