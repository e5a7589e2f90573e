// Naming objects as Docker does: a full id, a unique id prefix, or a name
// (hostname for nodes). Docker's words for the failures.
import { ShoalError } from '../../api/errors.js';
import type { Node } from '../../api/node.js';
import type { Service } from '../../api/service.js';
import type { Task } from '../../api/task.js';
import type { ReadTx } from '../store/read-tx.js';
import { allObjects, getObject } from '../store/typed.js';

function pick<T extends { ID: string }>(what: string, ref: string, all: readonly T[], byName: (o: T) => string | undefined): T {
  const exact = all.find((o) => o.ID === ref);
  if (exact !== undefined) return exact;
  const named = all.filter((o) => byName(o) === ref);
  if (named.length === 1) return named[0] as T;
  const prefixed = all.filter((o) => o.ID.startsWith(ref));
  if (prefixed.length === 1) return prefixed[0] as T;
  if (named.length > 1 || prefixed.length > 1) throw new ShoalError('InvalidArgument', `${what} ${ref} is ambiguous (${Math.max(named.length, prefixed.length)} matches found)`);
  throw new ShoalError('NotFound', `${what} ${ref} not found`);
}

export function resolveNode(tx: ReadTx, ref: string): Node {
  return getObject(tx, 'nodes', ref) ?? pick('node', ref, allObjects(tx, 'nodes'), (n) => n.Description.Hostname);
}

export function resolveService(tx: ReadTx, ref: string): Service {
  return getObject(tx, 'services', ref) ?? pick('service', ref, allObjects(tx, 'services'), (s) => s.Spec.Name);
}

export function resolveTask(tx: ReadTx, ref: string): Task {
  return getObject(tx, 'tasks', ref) ?? pick('task', ref, allObjects(tx, 'tasks'), () => undefined);
}
