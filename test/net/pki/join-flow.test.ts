// The whole join, both sides, without a network: the operator's token pins
// the CA, the manager grants the role the token's secret carries, the node
// accepts a certificate only for its own key.
import test from 'ava';
import { isShoalError } from '../../../src/api/errors.js';
import { createJoinTokens, roleForJoinToken, rotateJoinToken } from '../../../src/net/pki/join-token-set.js';
import { issueNodeCertificate } from '../../../src/net/pki/node-cert.js';
import { obtainNodeCredentials, type CertificateIssuer } from '../../../src/net/pki/node-credentials.js';
import { createRootCa } from '../../../src/net/pki/root-ca.js';
import { trustCaForToken } from '../../../src/net/pki/trust-ca.js';
import { clusterId, nodeId, NOW } from './fixtures.js';

const CLUSTER = clusterId('join');

test('join: token pins the CA, the token decides the role, the node gets a certificate for its own key', async (t) => {
  const ca = createRootCa({ now: NOW });
  const tokens = createJoinTokens(ca.digest);
  const newId = nodeId('joiner');

  // Manager side of IssueNodeCertificate: role from the token, id chosen by the manager.
  const managerIssue = (token: string): CertificateIssuer => async (csr) =>
    issueNodeCertificate(ca, { csr, nodeId: newId, role: roleForJoinToken(tokens, token), clusterId: CLUSTER, now: NOW });

  // Node side: check the served CA against the token, then request.
  const trust = trustCaForToken(tokens.manager, ca.certPem);
  const joined = await obtainNodeCredentials(trust, managerIssue(tokens.manager), () => NOW);
  t.deepEqual(joined.identity, { nodeId: newId, role: 'manager', clusterId: CLUSTER });

  const asWorker = await obtainNodeCredentials(trust, managerIssue(tokens.worker), () => NOW);
  t.is(asWorker.identity.role, 'worker');
});

test('join with a rotated-away token fails before any certificate is issued', async (t) => {
  const ca = createRootCa({ now: NOW });
  const old = createJoinTokens(ca.digest);
  const tokens = rotateJoinToken(old, 'worker', ca.digest);
  let issued = 0;
  const issue: CertificateIssuer = async (csr) => {
    const role = roleForJoinToken(tokens, old.worker);
    issued++;
    return issueNodeCertificate(ca, { csr, nodeId: nodeId('late'), role, clusterId: CLUSTER, now: NOW });
  };
  const err = await t.throwsAsync(obtainNodeCredentials(trustCaForToken(old.worker, ca.certPem), issue, () => NOW));
  t.true(isShoalError(err) && err.code === 'PermissionDenied');
  t.is(issued, 0);
});
