// The cluster PKI: root CA, node certificates from CSRs, identities from
// verified peers, renewal, join tokens, and mutual-TLS options.
export { caDigest, createRootCa, loadRootCa, loadTrustRoot, CERT_BACKDATE_MS, ROOT_CA_COMMON_NAME, ROOT_CA_VALIDITY_MS } from './root-ca.js';
export type { CreateRootCaOptions, RootCa, TrustRoot } from './root-ca.js';
export { generateKey, loadPrivateKey, privateKeyPem } from './keys.js';
export type { RandomBytes } from './keys.js';
export { createCsr, verifyCsr, MAX_CSR_BYTES } from './csr.js';
export type { VerifiedCsr } from './csr.js';
export {
  issueNodeCertificate,
  ouForRole,
  parseCertificate,
  roleForOu,
  MANAGER_OU,
  MIN_NODE_CERT_VALIDITY_MS,
  NODE_CERT_VALIDITY_MS,
  WORKER_OU,
} from './node-cert.js';
export type { NodeCertificateRequest } from './node-cert.js';
export { readNodeIdentity } from './node-identity.js';
export type { IdentityResult, NodeIdentity } from './node-identity.js';
export { acceptIssuedCertificate, obtainNodeCredentials } from './node-credentials.js';
export type { CertificateIssuer, ExpectedIdentity, IssuedCredentials, NodeCredentials } from './node-credentials.js';
export { planRenewal, renewalTime, renewNodeCredentials } from './renewal.js';
export type { RenewalPlan } from './renewal.js';
export { generateJoinToken, parseJoinToken, JOIN_TOKEN_PATTERN } from './join-token.js';
export type { ParsedJoinToken } from './join-token.js';
export { createJoinTokens, joinTokenFor, roleForJoinToken, rotateJoinToken } from './join-token-set.js';
export type { JoinTokens } from './join-token-set.js';
export { trustCaForToken } from './trust-ca.js';
export { clientTlsOptions, peerOf, serverTlsOptions, MANAGER_SERVER_NAME } from './tls-options.js';
export type { ClientTlsOptions, PeerResult, ServerTlsOptions } from './tls-options.js';
