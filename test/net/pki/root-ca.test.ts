import test from 'ava';
import { createHash, X509Certificate } from 'node:crypto';
import { isShoalError } from '../../../src/api/errors.js';
import { readCertificateFields } from '../../../src/net/pki/cert-fields.js';
import { createCsr } from '../../../src/net/pki/csr.js';
import { generateKey, privateKeyPem } from '../../../src/net/pki/keys.js';
import { issueNodeCertificate } from '../../../src/net/pki/node-cert.js';
import { KEY_USAGE } from '../../../src/net/pki/oids.js';
import {
  caDigest,
  CERT_BACKDATE_MS,
  createRootCa,
  loadRootCa,
  loadTrustRoot,
  ROOT_CA_VALIDITY_MS,
} from '../../../src/net/pki/root-ca.js';
import { basicConstraints, keyUsage } from '../../../src/net/pki/x509-build.js';
import { clusterId, nodeId, NOW, seededBytes } from './fixtures.js';

test('a new root CA is a self-signed P-256 CA certificate that verifies with its own key', (t) => {
  const ca = createRootCa({ now: NOW, randomBytes: seededBytes('ca') });
  const cert = new X509Certificate(ca.certPem);
  t.true(cert.ca);
  t.is(cert.subject, 'CN=swarm-ca');
  t.is(cert.issuer, 'CN=swarm-ca');
  t.true(cert.verify(cert.publicKey));
  t.true(cert.checkIssued(cert));
  t.is(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  t.is(ca.key.type, 'private');
});

test('the root CA has critical basicConstraints CA:true and keyUsage certSign+cRLSign', (t) => {
  const ca = createRootCa({ now: NOW });
  const raw = Buffer.from(ca.cert.raw);
  // Exact DER of each extension (critical, as RFC 5280 4.2.1.9 and 4.2.1.3 require for a CA).
  t.true(raw.includes(Buffer.from(basicConstraints(true))));
  t.true(raw.includes(Buffer.from(keyUsage([KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign]))));
  t.is(Buffer.from(basicConstraints(true)).toString('hex'), '300f0603551d130101ff040530030101ff');
});

test('the root CA certificate is backdated one hour and valid for 20 years', (t) => {
  const ca = createRootCa({ now: NOW });
  const { notBefore, notAfter } = readCertificateFields(ca.cert.raw);
  t.is(notBefore, NOW - CERT_BACKDATE_MS);
  t.is(notAfter, NOW + ROOT_CA_VALIDITY_MS);
});

test('the CA digest is the lowercase hex SHA-256 of the PEM the CA serves', (t) => {
  const ca = createRootCa({ now: NOW });
  t.regex(ca.digest, /^[0-9a-f]{64}$/);
  t.is(ca.digest, createHash('sha256').update(ca.certPem).digest('hex'));
  t.is(caDigest(ca.certPem), ca.digest);
  t.not(createRootCa({ now: NOW }).digest, ca.digest);
});

test('loadRootCa restores a CA from its PEM files and refuses a key that is not its own', (t) => {
  const ca = createRootCa({ now: NOW });
  const loaded = loadRootCa(ca.certPem, privateKeyPem(ca.key));
  t.is(loaded.digest, ca.digest);
  // The restored CA can still issue.
  const cert = new X509Certificate(
    issueNodeCertificate(loaded, { csr: createCsr(generateKey()), nodeId: nodeId('a'), role: 'worker', clusterId: clusterId('c'), now: NOW }),
  );
  t.true(cert.verify(ca.cert.publicKey));
  const err = t.throws(() => loadRootCa(ca.certPem, privateKeyPem(generateKey())));
  t.true(isShoalError(err) && err.code === 'InvalidArgument');
  t.regex(err?.message ?? '', /does not match the CA certificate/);
});

test('loadTrustRoot refuses a node certificate and garbage offered as the root', (t) => {
  const ca = createRootCa({ now: NOW });
  const leaf = issueNodeCertificate(ca, { csr: createCsr(generateKey()), nodeId: nodeId('a'), role: 'manager', clusterId: clusterId('c'), now: NOW });
  t.throws(() => loadTrustRoot(leaf), { message: /not a CA certificate/ });
  t.throws(() => loadTrustRoot('not a certificate'), { message: /cannot read CA certificate/ });
  t.is(loadTrustRoot(ca.certPem).digest, ca.digest);
});
