// controlapi for nodes: list and inspect (with live manager status from
// Raft), update (availability, labels, role) and remove, with Docker's
// guard rails word for word.
import { ShoalError } from '../../api/errors.js';
import { checkNodeSpec, type Node } from '../../api/node.js';
import { timestampOf } from '../../api/object-meta.js';
import { unwrap } from '../../api/validation.js';
import type { Store } from '../store/store.js';
import { allObjects, updateObject } from '../store/typed.js';
import type { ManagerView } from './manager-view.js';
import { resolveNode } from './resolve.js';

/** Add ManagerStatus (leader, reachability, address) from the live Raft membership. */
export function withManagerStatus(node: Node, raft: ManagerView): Node {
  const m = raft.member(node.ID);
  if (m === undefined) {
    if (node.ManagerStatus === undefined) return node;
    const { ManagerStatus: _gone, ...rest } = node;
    return rest;
  }
  return { ...node, ManagerStatus: { ...(m.leader ? { Leader: true } : {}), Reachability: m.reachable ? 'reachable' : 'unreachable', Addr: m.addr } };
}

export async function listNodes(store: Store, raft: ManagerView): Promise<{ nodes: Node[] }> {
  await raft.readBarrier();
  return { nodes: store.view((tx) => allObjects(tx, 'nodes')).map((n) => withManagerStatus(n, raft)) };
}

export async function getNode(store: Store, raft: ManagerView, ref: string): Promise<Node> {
  await raft.readBarrier();
  return withManagerStatus(store.view((tx) => resolveNode(tx, ref)), raft);
}

export async function updateNode(store: Store, raft: ManagerView, now: () => number, ref: string, version: number, rawSpec: unknown): Promise<Node> {
  const spec = unwrap('node spec', checkNodeSpec(rawSpec));
  const updated = await store.update((tx) => {
    const node = resolveNode(tx, ref);
    if (node.Version.Index !== version) throw new ShoalError('FailedPrecondition', 'update out of sequence');
    if (node.Spec.Role === 'manager' && spec.Role === 'worker') {
      const managers = allObjects(tx, 'nodes').filter((n) => n.Spec.Role === 'manager');
      if (managers.length <= 1) throw new ShoalError('FailedPrecondition', 'attempting to demote the last manager of the swarm');
      if (!raft.canRemove(node.ID)) throw new ShoalError('FailedPrecondition', "can't remove member from the raft: this would result in a loss of quorum");
    }
    const next: Node = { ...node, Spec: spec, UpdatedAt: timestampOf(now()) };
    updateObject(tx, 'nodes', next);
    return next;
  });
  return withManagerStatus(updated, raft);
}

export async function removeNode(store: Store, raft: ManagerView, ref: string, force: boolean): Promise<{ id: string }> {
  return store.update((tx) => {
    const node = resolveNode(tx, ref);
    if (node.Spec.Role === 'manager' || raft.member(node.ID) !== undefined) {
      throw new ShoalError('FailedPrecondition', `node ${node.ID} is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal`);
    }
    if (!force && node.Status.State === 'ready') throw new ShoalError('FailedPrecondition', `node ${node.ID} is not down and can't be removed`);
    tx.delete('nodes', node.ID);
    return { id: node.ID };
  });
}
