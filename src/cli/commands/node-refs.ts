// Naming nodes on the command line: an id, a unique id prefix or a hostname
// (the manager resolves those), and `self` for this daemon's node, which
// the CLI resolves from the daemon's info (docker/cli node.Reference).
import { ControlContract } from '../../api/contracts/control.js';
import { DaemonContract } from '../../api/contracts/daemon.js';
import { isShoalError, ShoalError } from '../../api/errors.js';
import type { RpcClient } from '../../net/rpc/index.js';

/** `self` -> this node's id; anything else is passed on as it is. */
export async function nodeReference(client: RpcClient, ref: string): Promise<string> {
  if (ref !== 'self') return ref;
  const info = await client.call(DaemonContract, 'info', {});
  if (info.Swarm.NodeID !== '') return info.Swarm.NodeID;
  // No node id: probably not a manager. A cluster call says so in the manager's words.
  await client.call(ControlContract, 'listNodes', {});
  throw new ShoalError('NotFound', 'node ID not found in /info', 'local');
}

/**
 * This daemon's node id, to mark it in `node ls`. Over a remote (TLS)
 * connection the local Daemon API is not served, so no node is "self".
 */
export async function selfNodeId(client: RpcClient): Promise<string> {
  try {
    return (await client.call(DaemonContract, 'info', {})).Swarm.NodeID;
  } catch (err) {
    if (isShoalError(err) && err.code === 'PermissionDenied') return '';
    throw err;
  }
}
