// The cluster's root CA: a P-256 key and a self-signed X.509 v3 CA
// certificate (CN=swarm-ca, as swarmkit's). Managers hold the key; every node
// holds the certificate as its trust root, pinned at join time by the digest
// in the join token.
import { createHash, randomBytes as cryptoRandomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { ShoalError } from '../../api/errors.js';
import { assertP256, generateKey, loadPrivateKey, samePublicKey, type RandomBytes } from './keys.js';
import { KEY_USAGE } from './oids.js';
import { toPem } from './pem.js';
import {
  authorityKeyIdentifier,
  basicConstraints,
  keyUsage,
  randomSerial,
  signCertificate,
  subjectKeyIdentifier,
} from './x509-build.js';
import { encodeName } from './x509-name.js';

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

export const ROOT_CA_COMMON_NAME = 'swarm-ca';
/** swarmkit's RootCAExpiration: 20 years. */
export const ROOT_CA_VALIDITY_MS = 20 * 365 * DAY_MS;
/** Certificates start an hour in the past to absorb clock skew (swarmkit's CertBackdate). */
export const CERT_BACKDATE_MS = HOUR_MS;

/** What every node trusts: the CA certificate, without its key. */
export interface TrustRoot {
  /** Canonical PEM, exactly as served to joining nodes (the digest covers these bytes). */
  readonly certPem: string;
  readonly cert: X509Certificate;
  /** Lowercase hex SHA-256 of `certPem`: the digest carried in join tokens. */
  readonly digest: string;
}

/** A trust root that can also sign: held by managers only. */
export interface RootCa extends TrustRoot {
  readonly key: KeyObject;
}

export interface CreateRootCaOptions {
  readonly now: number;
  readonly validityMs?: number;
  readonly commonName?: string;
  readonly randomBytes?: RandomBytes;
  /** An existing P-256 key to certify; a fresh one by default. */
  readonly key?: KeyObject;
}

/**
 * The digest a join token carries: SHA-256 over the CA certificate's PEM
 * bytes, as swarmkit computes it over the certificate it serves.
 */
export function caDigest(certPem: string): string {
  return createHash('sha256').update(certPem, 'utf8').digest('hex');
}

export function createRootCa(options: CreateRootCaOptions): RootCa {
  const key = options.key ?? generateKey();
  assertP256(key, 'CA key');
  const validityMs = options.validityMs ?? ROOT_CA_VALIDITY_MS;
  if (!(validityMs >= HOUR_MS)) throw new ShoalError('InvalidArgument', 'CA certificate validity must be at least one hour');
  const name = encodeName({ commonName: options.commonName ?? ROOT_CA_COMMON_NAME });
  const der = signCertificate(
    {
      serial: randomSerial(options.randomBytes ?? cryptoRandomBytes),
      issuer: name,
      subject: name,
      notBefore: options.now - CERT_BACKDATE_MS,
      notAfter: options.now + validityMs,
      subjectKey: key,
      extensions: [
        keyUsage([KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign]),
        basicConstraints(true),
        subjectKeyIdentifier(key),
        authorityKeyIdentifier(key),
      ],
    },
    key,
  );
  const certPem = toPem('CERTIFICATE', der);
  return { certPem, cert: new X509Certificate(der), digest: caDigest(certPem), key };
}

/**
 * Read a CA certificate a node is asked to trust. Refuses anything that is not
 * a self-signed P-256 CA certificate. (Whether it is the *right* CA is the join
 * token's business: see trust-ca.ts.)
 */
export function loadTrustRoot(certPem: string): TrustRoot {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch (err) {
    throw new ShoalError('InvalidArgument', `cannot read CA certificate: ${(err as Error).message}`);
  }
  if (!cert.ca) throw new ShoalError('InvalidArgument', 'the certificate offered as root CA is not a CA certificate');
  assertP256(cert.publicKey, 'CA certificate key');
  if (!cert.checkIssued(cert) || !cert.verify(cert.publicKey)) {
    throw new ShoalError('InvalidArgument', 'the root CA certificate is not self-signed');
  }
  return { certPem, cert, digest: caDigest(certPem) };
}

/** Load a manager's CA from its certificate and key, checking they belong together. */
export function loadRootCa(certPem: string, keyPem: string): RootCa {
  const root = loadTrustRoot(certPem);
  const key = loadPrivateKey(keyPem);
  if (!samePublicKey(key, root.cert.publicKey)) {
    throw new ShoalError('InvalidArgument', 'the CA key does not match the CA certificate');
  }
  return { ...root, key };
}
