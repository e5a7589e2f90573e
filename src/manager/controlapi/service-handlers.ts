// controlapi for services and tasks: create, inspect, update, rollback,
// remove; task listing. Specs are checked whole before anything is written.
import { ShoalError } from '../../api/errors.js';
import { newObjectId, type ServiceId } from '../../api/ids.js';
import { checkServiceSpecChange, decodeServiceSpec } from '../../api/service-validate.js';
import { newService, rollbackServiceSpec, specAtVersion, updateServiceSpec, type Service } from '../../api/service.js';
import type { Task } from '../../api/task.js';
import { issueError, unwrap } from '../../api/validation.js';
import type { Store } from '../store/store.js';
import { allObjects, createObject, findObjects, serviceByName, updateObject } from '../store/typed.js';
import type { ManagerView } from './manager-view.js';
import { resolveService, resolveTask } from './resolve.js';

export async function listServices(store: Store, raft: ManagerView): Promise<{ services: Service[] }> {
  await raft.readBarrier();
  return { services: store.view((tx) => allObjects(tx, 'services')) };
}

export async function getService(store: Store, raft: ManagerView, ref: string): Promise<Service> {
  await raft.readBarrier();
  return store.view((tx) => resolveService(tx, ref));
}

export async function createService(store: Store, now: () => number, rawSpec: unknown): Promise<{ id: string; warnings: string[] }> {
  const spec = unwrap('service spec', decodeServiceSpec(rawSpec));
  const id = newObjectId() as ServiceId;
  await store.update((tx) => {
    if (serviceByName(tx, spec.Name) !== undefined) throw new ShoalError('AlreadyExists', `service ${spec.Name} already exists`);
    createObject(tx, 'services', newService(id, spec, now()));
  });
  return { id, warnings: [] };
}

export async function updateService(
  store: Store,
  now: () => number,
  req: { ref: string; version: number; spec?: unknown; rollback?: { toVersion?: number } },
): Promise<{ warnings: string[] }> {
  const spec = req.spec === undefined ? undefined : unwrap('service spec', decodeServiceSpec(req.spec));
  await store.update((tx) => {
    const svc = resolveService(tx, req.ref);
    if (svc.Version.Index !== req.version) throw new ShoalError('FailedPrecondition', 'update out of sequence');
    let next: Service;
    if (req.rollback !== undefined) {
      const to = req.rollback.toVersion;
      if (to === undefined) {
        const r = rollbackServiceSpec(svc, now());
        if (!r.ok) throw new ShoalError('FailedPrecondition', r.reason);
        next = r.service;
      } else {
        const old = specAtVersion(svc, { Index: to });
        if (old === undefined) {
          const kept = svc.SpecHistory.map((e) => e.Version.Index).join(', ');
          throw new ShoalError('NotFound', `service ${svc.Spec.Name} has no kept spec version ${to} (kept: ${kept})`);
        }
        next = { ...updateServiceSpec(svc, old, now()), UpdateStatus: { State: 'rollback_started', StartedAt: new Date(now()).toISOString(), Message: `manually requested rollback to version ${to}` } };
      }
    } else {
      if (spec === undefined) throw new ShoalError('InvalidArgument', 'service update needs a spec or a rollback');
      const problem = checkServiceSpecChange(svc.Spec, spec);
      if (problem !== undefined) throw issueError('service spec', problem);
      next = updateServiceSpec(svc, spec, now());
    }
    updateObject(tx, 'services', next);
  });
  return { warnings: [] };
}

export async function removeService(store: Store, ref: string): Promise<{ id: string }> {
  return store.update((tx) => {
    const svc = resolveService(tx, ref);
    tx.delete('services', svc.ID);
    return { id: svc.ID };
  });
}

export async function listTasks(store: Store, raft: ManagerView, req: { serviceIds?: string[]; nodeIds?: string[] }): Promise<{ tasks: Task[] }> {
  await raft.readBarrier();
  return {
    tasks: store.view((tx) => {
      if (req.serviceIds !== undefined) {
        const ids = req.serviceIds.map((r) => resolveService(tx, r).ID);
        const tasks = ids.flatMap((id) => findObjects(tx, 'tasks', 'service', id));
        return req.nodeIds === undefined ? tasks : tasks.filter((t) => t.NodeID !== undefined && req.nodeIds!.includes(t.NodeID));
      }
      if (req.nodeIds !== undefined) return req.nodeIds.flatMap((id) => findObjects(tx, 'tasks', 'node', id));
      return allObjects(tx, 'tasks');
    }),
  };
}

export async function getTask(store: Store, raft: ManagerView, ref: string): Promise<Task> {
  await raft.readBarrier();
  return store.view((tx) => resolveTask(tx, ref));
}
