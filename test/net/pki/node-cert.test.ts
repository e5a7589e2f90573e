import test from 'ava';
import { X509Certificate } from 'node:crypto';
import { isShoalError } from '../../../src/api/errors.js';
import { asNodeId } from '../../../src/api/ids.js';
import { readCertificateFields } from '../../../src/net/pki/cert-fields.js';
import { createCsr } from '../../../src/net/pki/csr.js';
import { generateKey, samePublicKey } from '../../../src/net/pki/keys.js';
import { issueNodeCertificate, NODE_CERT_VALIDITY_MS } from '../../../src/net/pki/node-cert.js';
import { readNodeIdentity } from '../../../src/net/pki/node-identity.js';
import { OID } from '../../../src/net/pki/oids.js';
import { fromPem, toPem } from '../../../src/net/pki/pem.js';
import { CERT_BACKDATE_MS, createRootCa, HOUR_MS } from '../../../src/net/pki/root-ca.js';
import { basicConstraints, extKeyUsage, randomSerial, signCertificate } from '../../../src/net/pki/x509-build.js';
import { encodeName } from '../../../src/net/pki/x509-name.js';
import { clusterId, nodeId, NOW, seededBytes } from './fixtures.js';

const ca = createRootCa({ now: NOW });
const CLUSTER = clusterId('one');
const WORKER = nodeId('worker');

function issue(role: 'manager' | 'worker', id = WORKER, key = generateKey()): { pem: string; cert: X509Certificate } {
  const pem = issueNodeCertificate(ca, { csr: createCsr(key), nodeId: id, role, clusterId: CLUSTER, now: NOW });
  return { pem, cert: new X509Certificate(pem) };
}

test('an issued certificate carries node id (CN), role (OU) and cluster id (O) and verifies against the CA', (t) => {
  const key = generateKey();
  const { cert } = issue('worker', WORKER, key);
  t.is(cert.subject, `O=${CLUSTER}\nOU=swarm-worker\nCN=${WORKER}`);
  t.is(cert.issuer, 'CN=swarm-ca');
  t.false(cert.ca);
  t.true(cert.verify(ca.cert.publicKey));
  t.true(cert.checkIssued(ca.cert));
  t.true(samePublicKey(cert.publicKey, key));
  // Node's X509Certificate.keyUsage lists the *extended* key usages.
  t.deepEqual([...(cert.keyUsage ?? [])].sort(), [OID.serverAuth, OID.clientAuth].sort());
  t.is(cert.subjectAltName, `DNS:swarm-worker, DNS:${WORKER}`);
  t.deepEqual(readNodeIdentity(cert), { ok: true, identity: { nodeId: WORKER, role: 'worker', clusterId: CLUSTER } });
});

test('a manager certificate names the swarm-manager role and server name', (t) => {
  const id = nodeId('manager');
  const { cert } = issue('manager', id);
  t.is(cert.subject, `O=${CLUSTER}\nOU=swarm-manager\nCN=${id}`);
  t.is(cert.subjectAltName, `DNS:swarm-manager, DNS:${id}`);
  t.true(Buffer.from(cert.raw).includes(Buffer.from(extKeyUsage([OID.serverAuth, OID.clientAuth]))));
  t.true(Buffer.from(cert.raw).includes(Buffer.from(basicConstraints(false))));
});

test('the role and node id come from the manager, never from what the CSR claims', (t) => {
  const key = generateKey();
  const csr = createCsr(key, { commonName: nodeId('impostor'), organizationalUnit: 'swarm-manager', organization: clusterId('other') });
  const cert = new X509Certificate(issueNodeCertificate(ca, { csr, nodeId: WORKER, role: 'worker', clusterId: CLUSTER, now: NOW }));
  t.deepEqual(readNodeIdentity(cert), { ok: true, identity: { nodeId: WORKER, role: 'worker', clusterId: CLUSTER } });
});

test('a node certificate is valid from one hour before issue for 90 days, and never outlives the CA', (t) => {
  const { cert } = issue('worker');
  t.deepEqual(
    { from: readCertificateFields(cert.raw).notBefore, to: readCertificateFields(cert.raw).notAfter },
    { from: NOW - CERT_BACKDATE_MS, to: NOW + NODE_CERT_VALIDITY_MS },
  );
  const shortCa = createRootCa({ now: NOW, validityMs: 2 * HOUR_MS });
  const pem = issueNodeCertificate(shortCa, { csr: createCsr(generateKey()), nodeId: WORKER, role: 'worker', clusterId: CLUSTER, now: NOW });
  t.is(readCertificateFields(fromPem(pem, 'CERTIFICATE')).notAfter, NOW + 2 * HOUR_MS);
  t.throws(
    () => issueNodeCertificate(shortCa, { csr: createCsr(generateKey()), nodeId: WORKER, role: 'worker', clusterId: CLUSTER, now: NOW + 3 * HOUR_MS }),
    { message: /root CA certificate has expired/ },
  );
});

test('issuance refuses malformed ids, a too-short validity and a CSR with a bad signature', (t) => {
  const csr = createCsr(generateKey());
  const bad = (f: () => unknown, field: RegExp): void => {
    const err = t.throws(f);
    t.true(isShoalError(err) && err.code === 'InvalidArgument');
    t.regex(err?.message ?? '', field);
  };
  bad(() => issueNodeCertificate(ca, { csr, nodeId: asNodeId('Not An Id'), role: 'worker', clusterId: CLUSTER, now: NOW }), /invalid node id/);
  bad(() => issueNodeCertificate(ca, { csr, nodeId: WORKER, role: 'worker', clusterId: 'x', now: NOW }), /invalid cluster id/);
  bad(() => issueNodeCertificate(ca, { csr, nodeId: WORKER, role: 'worker', clusterId: CLUSTER, now: NOW, validityMs: 1000 }), /at least one hour/);
  const der = new Uint8Array(fromPem(csr, 'CERTIFICATE REQUEST'));
  der[der.length - 1] = (der[der.length - 1] ?? 0) ^ 0xff;
  bad(() => issueNodeCertificate(ca, { csr: der, nodeId: WORKER, role: 'worker', clusterId: CLUSTER, now: NOW }), /signature does not verify/);
});

test('readNodeIdentity accepts a tls.PeerCertificate-shaped object and raw DER', (t) => {
  const { cert } = issue('manager', nodeId('m'));
  const expected = { ok: true, identity: { nodeId: nodeId('m'), role: 'manager', clusterId: CLUSTER } };
  t.deepEqual(readNodeIdentity({ raw: Buffer.from(cert.raw) }), expected);
  t.deepEqual(readNodeIdentity(new Uint8Array(cert.raw)), expected);
});

/** A certificate signed by the real CA but with an arbitrary subject. */
function withSubject(subject: Uint8Array): X509Certificate {
  const der = signCertificate(
    {
      serial: randomSerial(seededBytes('s')),
      issuer: readCertificateFields(ca.cert.raw).subjectDer,
      subject,
      notBefore: NOW,
      notAfter: NOW + HOUR_MS,
      subjectKey: generateKey(),
      extensions: [basicConstraints(false)],
    },
    ca.key,
  );
  return new X509Certificate(toPem('CERTIFICATE', der));
}

test('readNodeIdentity refuses certificates without the right fields', (t) => {
  const reasonOf = (input: Parameters<typeof readNodeIdentity>[0]): string => {
    const r = readNodeIdentity(input);
    return r.ok ? 'accepted' : r.reason;
  };
  t.regex(reasonOf({}), /no certificate/);
  t.regex(reasonOf(ca.cert), /no single node id \(CN\)/);
  t.regex(reasonOf(withSubject(encodeName({ commonName: WORKER, organization: CLUSTER }))), /no single role \(OU\)/);
  t.regex(reasonOf(withSubject(encodeName({ commonName: WORKER, organizationalUnit: 'swarm-ca', organization: CLUSTER }))), /neither swarm-manager nor swarm-worker/);
  t.regex(reasonOf(withSubject(encodeName({ commonName: 'not-an-id', organizationalUnit: 'swarm-worker', organization: CLUSTER }))), /node id \(CN\)/);
  t.regex(reasonOf(withSubject(encodeName({ commonName: WORKER, organizationalUnit: 'swarm-worker' }))), /cluster id \(O\)/);
  t.regex(reasonOf(Buffer.from('3003020100', 'hex')), /malformed DER/);
});
