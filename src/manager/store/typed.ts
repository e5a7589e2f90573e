// Typed access to the store's tables: the store keeps plain objects; these
// helpers give them their src/api types. Only objects written through these
// helpers (or the controlapi, which validates) are ever stored, so the casts
// hold by construction.
import type { Cluster } from '../../api/cluster.js';
import type { Config } from '../../api/config.js';
import type { NodeId, ServiceId } from '../../api/ids.js';
import type { Network } from '../../api/network.js';
import type { Node } from '../../api/node.js';
import type { Secret } from '../../api/secret.js';
import type { Service } from '../../api/service.js';
import type { Task } from '../../api/task.js';
import type { ReadTx } from './read-tx.js';
import type { StoredObject, TableName } from './tables.js';
import type { WriteTx } from './write-tx.js';

export interface TableTypes {
  nodes: Node;
  services: Service;
  tasks: Task;
  networks: Network;
  secrets: Secret;
  configs: Config;
  clusters: Cluster;
}

export function getObject<T extends TableName>(tx: ReadTx, table: T, id: string): TableTypes[T] | undefined {
  return tx.get(table, id) as TableTypes[T] | undefined;
}

export function allObjects<T extends TableName>(tx: ReadTx, table: T): TableTypes[T][] {
  return tx.all(table) as unknown as TableTypes[T][];
}

export function findObjects<T extends TableName>(tx: ReadTx, table: T, index: string, key: string): TableTypes[T][] {
  return tx.find(table, index, key) as unknown as TableTypes[T][];
}

export const tasksOfService = (tx: ReadTx, id: ServiceId): Task[] => findObjects(tx, 'tasks', 'service', id);
export const tasksOfNode = (tx: ReadTx, id: NodeId): Task[] => findObjects(tx, 'tasks', 'node', id);
/** Tasks of one slot: `slot` for replicated tasks, or the node for global ones. */
export const tasksOfSlot = (tx: ReadTx, service: ServiceId, slot: number | { node: NodeId }): Task[] =>
  findObjects(tx, 'tasks', 'slot', typeof slot === 'number' ? `${service}/${slot}` : `${service}/node:${slot.node}`);
export const serviceByName = (tx: ReadTx, name: string): Service | undefined => findObjects(tx, 'services', 'name', name)[0];
/** The one cluster object (created by `swarm init`). */
export const theCluster = (tx: ReadTx): Cluster | undefined => allObjects(tx, 'clusters')[0];

export function createObject<T extends TableName>(tx: WriteTx, table: T, obj: TableTypes[T]): void {
  tx.create(table, obj as unknown as StoredObject);
}

/** `obj.Version` must be the version read in this transaction. */
export function updateObject<T extends TableName>(tx: WriteTx, table: T, obj: TableTypes[T]): void {
  tx.update(table, obj as unknown as StoredObject);
}
