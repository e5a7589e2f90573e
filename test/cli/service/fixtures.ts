// Services, tasks and nodes for the pure renderers' tests, at fixed times.
import type { NodeId, ServiceId, TaskId } from '../../../src/api/ids.js';
import { timestampOf } from '../../../src/api/object-meta.js';
import { newService, type Service } from '../../../src/api/service.js';
import type { ServiceSpecInput } from '../../../src/api/service-spec.js';
import { parseServiceSpec } from '../../../src/api/service-validate.js';
import { newTask, type Task } from '../../../src/api/task.js';
import type { DesiredState, TaskState } from '../../../src/api/task-state.js';
import { fakeId } from './fake-control.js';

/** 2020-06-20T05:57:17Z, the seeds' time. */
export const T0 = Date.UTC(2020, 5, 20, 5, 57, 17);
export const SECOND_MS = 1000;

export function service(n: number, spec: ServiceSpecInput, patch: Partial<Service> = {}): Service {
  const s = newService(fakeId('svc', n) as ServiceId, parseServiceSpec(spec), T0);
  return { ...s, Version: { Index: 10 + n }, ...patch };
}

export function replicated(n: number, name: string, image: string, replicas: number, extra: Partial<ServiceSpecInput> = {}): Service {
  return service(n, { Name: name, TaskTemplate: { ContainerSpec: { Image: image } }, Mode: { Replicated: { Replicas: replicas } }, ...extra });
}

export interface TaskOptions {
  readonly slot?: number;
  readonly node?: string;
  readonly state: TaskState;
  readonly desired?: DesiredState;
  /** When the task was created and its state last changed, in seconds after T0. */
  readonly created?: number;
  readonly changed?: number;
  readonly err?: string;
  readonly spec?: Service;
}

let taskCounter = 0;

export function task(svc: Service, o: TaskOptions): Task {
  taskCounter++;
  const created = T0 + (o.created ?? 0) * SECOND_MS;
  const base = newTask({
    id: fakeId('task', taskCounter) as TaskId,
    serviceId: svc.ID,
    spec: (o.spec ?? svc).Spec,
    serviceVersion: (o.spec ?? svc).SpecVersion,
    nowMs: created,
    ...(o.slot !== undefined ? { slot: o.slot } : {}),
    ...(o.node !== undefined && o.slot === undefined ? { nodeId: o.node as NodeId } : {}),
    desiredState: o.desired ?? 'running',
  });
  return {
    ...base,
    ...(o.node !== undefined ? { NodeID: o.node as NodeId } : {}),
    Status: { Timestamp: timestampOf(T0 + (o.changed ?? o.created ?? 0) * SECOND_MS), State: o.state, Message: o.state, ...(o.err !== undefined ? { Err: o.err } : {}) },
  };
}

export function resetTaskIds(): void {
  taskCounter = 0;
}
