import test from 'ava';
import fc from 'fast-check';
import { X509Certificate } from 'node:crypto';
import { isShoalError } from '../../../src/api/errors.js';
import type { NodeRole } from '../../../src/api/contract.js';
import { readCertificateFields } from '../../../src/net/pki/cert-fields.js';
import { createCsr } from '../../../src/net/pki/csr.js';
import { generateKey, privateKeyPem, samePublicKey, loadPrivateKey } from '../../../src/net/pki/keys.js';
import { issueNodeCertificate, NODE_CERT_VALIDITY_MS } from '../../../src/net/pki/node-cert.js';
import type { CertificateIssuer, NodeCredentials } from '../../../src/net/pki/node-credentials.js';
import { readNodeIdentity } from '../../../src/net/pki/node-identity.js';
import { planRenewal, renewalTime, renewNodeCredentials } from '../../../src/net/pki/renewal.js';
import { createRootCa, DAY_MS, type RootCa } from '../../../src/net/pki/root-ca.js';
import { clusterId, nodeId, NOW } from './fixtures.js';

const ca = createRootCa({ now: NOW });
const CLUSTER = clusterId('renew');
const NODE = nodeId('renew');

function credentialsAt(now: number, role: NodeRole = 'worker'): NodeCredentials {
  const key = generateKey();
  return { keyPem: privateKeyPem(key), certPem: issueNodeCertificate(ca, { csr: createCsr(key), nodeId: NODE, role, clusterId: CLUSTER, now }) };
}

/**
 * The manager's side of a renewal: the node id comes from the verified peer
 * certificate, the role from the store (here: `role`), the key from the CSR.
 */
function managerIssuer(issuerCa: RootCa, peerCertPem: string, role: NodeRole, now: number): CertificateIssuer {
  return async (csrPem) => {
    const peer = readNodeIdentity(new X509Certificate(peerCertPem));
    if (!peer.ok) throw new Error(peer.reason);
    return issueNodeCertificate(issuerCa, { csr: csrPem, nodeId: peer.identity.nodeId, role, clusterId: peer.identity.clusterId, now });
  };
}

test('renewal time is always between 50% and 80% of the validity (property)', (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 4_000_000_000_000 }),
      // Whole milliseconds: a validity under ~4 ms has no whole ms inside
      // [50%, 80%]; certificates live at least an hour (issueNodeCertificate).
      fc.integer({ min: 1000, max: 400 * DAY_MS }),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      (notBefore, duration, r) => {
        const at = renewalTime(notBefore, notBefore + duration, () => r);
        return Number.isSafeInteger(at) && at >= notBefore + duration * 0.5 && at <= notBefore + duration * 0.8;
      },
    ),
  );
  t.pass();
});

test('renewal time spans the whole window: rng 0 gives 50%, rng near 1 gives 80%', (t) => {
  const validity = 100 * DAY_MS;
  t.is(renewalTime(NOW, NOW + validity, () => 0), NOW + 50 * DAY_MS);
  t.is(renewalTime(NOW, NOW + validity, () => 1 - Number.EPSILON), NOW + 80 * DAY_MS);
  t.throws(() => renewalTime(NOW, NOW + validity, () => 1), { message: /rng returns a number in \[0, 1\)/ });
  t.throws(() => renewalTime(NOW, NOW, () => 0), { message: /forward interval/ });
});

test('planRenewal schedules a live certificate and reports an expired one', (t) => {
  const { certPem } = credentialsAt(NOW);
  const cert = new X509Certificate(certPem);
  const { notBefore, notAfter } = readCertificateFields(cert.raw);
  const plan = planRenewal(cert, NOW, () => 0.5);
  t.is(plan.kind, 'renew-at');
  if (plan.kind === 'renew-at') {
    t.is(plan.at, renewalTime(notBefore, notAfter, () => 0.5));
    t.is(plan.delayMs, plan.at - NOW);
  }
  // Past the renewal point but not expired: renew right away.
  t.like(planRenewal(cert, notBefore + Math.floor((notAfter - notBefore) * 0.9), () => 0), { kind: 'renew-at', delayMs: 0 });
  t.deepEqual(planRenewal(cert, notAfter, () => 0), { kind: 'expired', since: notAfter });
});

test('renewal issues a fresh valid certificate for the same node with a new key', async (t) => {
  const current = credentialsAt(NOW);
  const later = NOW + 60 * DAY_MS;
  const renewed = await renewNodeCredentials(ca, current, managerIssuer(ca, current.certPem, 'worker', later), () => later);
  const cert = new X509Certificate(renewed.credentials.certPem);
  t.true(cert.verify(ca.cert.publicKey));
  t.true(cert.checkIssued(ca.cert));
  t.deepEqual(renewed.identity, { nodeId: NODE, role: 'worker', clusterId: CLUSTER });
  t.true(samePublicKey(cert.publicKey, loadPrivateKey(renewed.credentials.keyPem)));
  t.false(samePublicKey(cert.publicKey, loadPrivateKey(current.keyPem)));
  t.not(cert.serialNumber, new X509Certificate(current.certPem).serialNumber);
  t.is(renewed.notAfter, later + NODE_CERT_VALIDITY_MS);
});

test('a promotion takes effect at renewal: the manager decides the new role', async (t) => {
  const current = credentialsAt(NOW, 'worker');
  const renewed = await renewNodeCredentials(ca, current, managerIssuer(ca, current.certPem, 'manager', NOW), () => NOW);
  t.is(renewed.identity.role, 'manager');
});

test('renewal refuses a certificate for another node, another key, or from another CA', async (t) => {
  const current = credentialsAt(NOW);
  const refusedWith = async (issuer: CertificateIssuer, message: RegExp): Promise<void> => {
    const err = await t.throwsAsync(renewNodeCredentials(ca, current, issuer, () => NOW));
    t.true(isShoalError(err) && err.code === 'Unauthenticated');
    t.regex(err?.message ?? '', message);
  };
  await refusedWith(
    async (csr) => issueNodeCertificate(ca, { csr, nodeId: nodeId('someone-else'), role: 'worker', clusterId: CLUSTER, now: NOW }),
    /names node/,
  );
  await refusedWith(async () => credentialsAt(NOW).certPem, /not for the key this node generated/);
  const foreign = createRootCa({ now: NOW });
  await refusedWith(
    async (csr) => issueNodeCertificate(foreign, { csr, nodeId: NODE, role: 'worker', clusterId: CLUSTER, now: NOW }),
    /not issued by the cluster CA/,
  );
  await refusedWith(async () => ca.certPem, /CA certificate/);
});
