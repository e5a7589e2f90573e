// The NodeCA API on managers: the root CA for joiners to check against
// their token, certificates for joining nodes (role decided by the token,
// never by the request), and renewal (role decided by the store).
import { NodeCAContract } from '../../api/contracts/node-ca.js';
import { ShoalError } from '../../api/errors.js';
import { asNodeId, newObjectId, type NodeId } from '../../api/ids.js';
import type { Node } from '../../api/node.js';
import { newMeta } from '../../api/object-meta.js';
import { roleForJoinToken } from '../../net/pki/join-token-set.js';
import { issueNodeCertificate } from '../../net/pki/node-cert.js';
import { loadRootCa } from '../../net/pki/root-ca.js';
import { serve, type Service } from '../../net/rpc/index.js';
import type { StoredCluster } from '../controlapi/cluster-handlers.js';
import type { Store } from '../store/store.js';
import { createObject, getObject, theCluster } from '../store/typed.js';

export interface NodeCADeps {
  readonly store: Store;
  readonly now: () => number;
  /** Run on the leader: locally when this manager leads, else forwarded. */
  readonly onLeader: <T>(local: () => Promise<T>, forward: () => Promise<T>) => Promise<T>;
  /** The forwarding client's call, for followers. */
  readonly forwardIssue: (req: IssueRequest) => Promise<IssueResponse>;
  readonly managers: () => Array<{ NodeID: string; Addr: string }>;
}

type IssueRequest = { csr: string; token: string; hostname: string; advertiseAddr: string; availability?: 'active' | 'pause' | 'drain' };
type IssueResponse = { nodeId: string; clusterId: string; role: 'manager' | 'worker'; certPem: string; managers: Array<{ NodeID: string; Addr: string }> };

function cluster(store: Store): StoredCluster {
  const c = store.view(theCluster);
  if (c === undefined) throw new ShoalError('Unavailable', 'the swarm is still starting; retry');
  return c as StoredCluster;
}

export function hostOf(addr: string): string {
  const i = addr.lastIndexOf(':');
  return (i > 0 ? addr.slice(0, i) : addr).replace(/^\[|\]$/g, '');
}

export function nodeCAService(deps: NodeCADeps): Service {
  const issue = async (req: IssueRequest): Promise<IssueResponse> => {
    const c = cluster(deps.store);
    const role = roleForJoinToken({ worker: c.JoinTokens.Worker, manager: c.JoinTokens.Manager }, req.token);
    const ca = loadRootCa(c.TLSInfo.TrustRoot, c.RootCAKey);
    const nodeId = asNodeId(newObjectId());
    const now = deps.now();
    const certPem = issueNodeCertificate(ca, { csr: req.csr, nodeId, role, clusterId: c.ID, now, validityMs: Math.floor(c.Spec.CAConfig.NodeCertExpiry / 1e6) });
    const node: Node = {
      ID: nodeId,
      ...newMeta(now),
      Spec: { Labels: {}, Role: role, Availability: req.availability ?? 'active' },
      Description: { Hostname: req.hostname, Platform: { Architecture: '', OS: '' }, Resources: { NanoCPUs: 0, MemoryBytes: 0 }, Engine: { EngineVersion: '', Labels: {} } },
      Status: { State: 'unknown', Addr: hostOf(req.advertiseAddr) },
    };
    await deps.store.update((tx) => createObject(tx, 'nodes', node));
    return { nodeId, clusterId: c.ID, role, certPem, managers: deps.managers() };
  };
  return serve(NodeCAContract, {
    getRootCACertificate: async () => ({ certPem: cluster(deps.store).TLSInfo.TrustRoot }),
    issueNodeCertificate: async (req) => deps.onLeader(() => issue(req), () => deps.forwardIssue(req)),
    renewNodeCertificate: async (req, ctx) => {
      if (ctx.peer.kind !== 'node') throw new ShoalError('Unauthenticated', 'renewal needs the node certificate being renewed');
      const c = cluster(deps.store);
      const node = deps.store.view((tx) => getObject(tx, 'nodes', ctx.peer.kind === 'node' ? ctx.peer.nodeId : ''));
      if (node === undefined) throw new ShoalError('PermissionDenied', `node ${ctx.peer.nodeId} is not part of this swarm (it was removed)`);
      const ca = loadRootCa(c.TLSInfo.TrustRoot, c.RootCAKey);
      const certPem = issueNodeCertificate(ca, { csr: req.csr, nodeId: node.ID as NodeId, role: node.Spec.Role, clusterId: c.ID, now: deps.now(), validityMs: Math.floor(c.Spec.CAConfig.NodeCertExpiry / 1e6) });
      return { certPem };
    },
  });
}
