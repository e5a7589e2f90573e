// What a node without a certificate may ask a manager (anonymously over
// TLS): the cluster's root CA, to check against its join token, and a
// certificate for its own key in exchange for a valid token.
import { defineContract, unary } from '../contract.js';
import * as s from '../schema.js';

export const NodeCAContract = defineContract('NodeCA', {
  getRootCACertificate: unary(s.object({}), s.object({ certPem: s.string({ min: 1, max: 64 * 1024 }) }), ['anonymous', 'worker', 'manager']),
  issueNodeCertificate: unary(
    s.object({
      csr: s.string({ min: 1, max: 64 * 1024 }),
      token: s.string({ min: 1, max: 500 }),
      hostname: s.string({ min: 1, max: 253 }),
      /** Where other nodes reach this one (host:port of its cluster listener). */
      advertiseAddr: s.string({ min: 1, max: 300 }),
      availability: s.optional(s.literal('active', 'pause', 'drain')),
    }),
    s.object({
      nodeId: s.string(),
      clusterId: s.string(),
      role: s.literal('manager', 'worker'),
      certPem: s.string(),
      /** The managers' raft members and addresses, so a joining manager can answer them. */
      managers: s.array(s.object({ NodeID: s.string(), Addr: s.string() })),
    }),
    // Anonymous joiners; managers forward them to the leader.
    ['anonymous', 'manager'],
  ),
  /** Renewal: a node with a valid certificate gets a new one for a new key (the role is the store's). */
  renewNodeCertificate: unary(s.object({ csr: s.string({ min: 1, max: 64 * 1024 }) }), s.object({ certPem: s.string() }), ['worker', 'manager']),
});
