// controlapi for the cluster object: inspect (never the CA key), update
// (swarm update), join token rotation.
import { decodeClusterSpec, type Cluster } from '../../api/cluster.js';
import { ShoalError } from '../../api/errors.js';
import { timestampOf } from '../../api/object-meta.js';
import { unwrap } from '../../api/validation.js';
import { rotateJoinToken } from '../../net/pki/join-token-set.js';
import type { Store } from '../store/store.js';
import { theCluster, updateObject } from '../store/typed.js';
import type { ManagerView } from './manager-view.js';

/** The stored cluster also holds the root CA's key, which never leaves the managers. */
export type StoredCluster = Cluster & { readonly RootCAKey: string };

export function publicCluster(c: Cluster): Cluster {
  const { RootCAKey: _key, ...rest } = c as StoredCluster;
  return rest;
}

function mustCluster(c: Cluster | undefined): StoredCluster {
  if (c === undefined) throw new ShoalError('FailedPrecondition', 'This node is not part of a swarm');
  return c as StoredCluster;
}

export async function getCluster(store: Store, raft: ManagerView): Promise<Cluster> {
  await raft.readBarrier();
  return publicCluster(mustCluster(store.view(theCluster)));
}

export async function updateCluster(
  store: Store,
  now: () => number,
  req: { version: number; spec?: unknown; rotateWorkerToken?: boolean; rotateManagerToken?: boolean },
): Promise<Cluster> {
  const spec = req.spec === undefined ? undefined : unwrap('cluster spec', decodeClusterSpec(req.spec));
  const out = await store.update((tx) => {
    const c = mustCluster(theCluster(tx));
    if (c.Version.Index !== req.version) throw new ShoalError('FailedPrecondition', 'update out of sequence');
    let tokens = { worker: c.JoinTokens.Worker, manager: c.JoinTokens.Manager };
    if (req.rotateWorkerToken) tokens = rotateJoinToken(tokens, 'worker', c.RootCADigest);
    if (req.rotateManagerToken) tokens = rotateJoinToken(tokens, 'manager', c.RootCADigest);
    const next: StoredCluster = { ...c, ...(spec !== undefined ? { Spec: spec } : {}), JoinTokens: { Worker: tokens.worker, Manager: tokens.manager }, UpdatedAt: timestampOf(now()) };
    updateObject(tx, 'clusters', next);
    return next;
  });
  return publicCluster(out);
}
