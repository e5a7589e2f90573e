// Nodes, services and tasks for scheduler tests, built through src/api's
// constructors so they have the shapes the store holds.
import type { NodeId, ServiceId, TaskId } from '../../../src/api/ids.js';
import type { Node, NodeAvailability, NodeRole, NodeState } from '../../../src/api/node.js';
import { timestampOf } from '../../../src/api/object-meta.js';
import type { PortConfig } from '../../../src/api/service-spec.js';
import { withServiceDefaults } from '../../../src/api/service-spec.js';
import { newService, type Service } from '../../../src/api/service.js';
import { newTask, type Task } from '../../../src/api/task.js';
import type { DesiredState, TaskState } from '../../../src/api/task-state.js';

export const NOW = Date.parse('2026-11-22T00:00:00Z');
export const GB = 1024 ** 3;
export const CPU = 1e9;

export interface NodeOptions {
  readonly hostname?: string;
  readonly state?: NodeState;
  readonly availability?: NodeAvailability;
  readonly role?: NodeRole;
  readonly labels?: Record<string, string>;
  readonly engineLabels?: Record<string, string>;
  readonly os?: string;
  readonly arch?: string;
  readonly cpus?: number;
  readonly memory?: number;
  readonly addr?: string;
}

export function node(id: string, o: NodeOptions = {}): Node {
  const at = timestampOf(NOW);
  return {
    ID: id as NodeId,
    Version: { Index: 1 },
    CreatedAt: at,
    UpdatedAt: at,
    Spec: { Labels: o.labels ?? {}, Role: o.role ?? 'worker', Availability: o.availability ?? 'active' },
    Description: {
      Hostname: o.hostname ?? id,
      Platform: { OS: o.os ?? 'linux', Architecture: o.arch ?? 'x86_64' },
      Resources: { NanoCPUs: (o.cpus ?? 4) * CPU, MemoryBytes: o.memory ?? 8 * GB },
      Engine: { EngineVersion: '27.0.0', Labels: o.engineLabels ?? {} },
    },
    Status: { State: o.state ?? 'ready', Addr: o.addr ?? '10.0.0.1' },
  };
}

export interface ServiceOptions {
  readonly constraints?: string[];
  readonly preferences?: string[];
  readonly maxReplicas?: number;
  readonly cpus?: number;
  readonly memory?: number;
  readonly platforms?: Array<{ OS: string; Architecture: string }>;
  readonly hostPorts?: number[];
  readonly ingressPorts?: number[];
  readonly global?: boolean;
}

export function service(id: string, o: ServiceOptions = {}): Service {
  const ports: PortConfig[] = [
    ...(o.hostPorts ?? []).map((p): PortConfig => ({ Protocol: 'tcp', TargetPort: 80, PublishedPort: p, PublishMode: 'host' })),
    ...(o.ingressPorts ?? []).map((p): PortConfig => ({ Protocol: 'tcp', TargetPort: 80, PublishedPort: p, PublishMode: 'ingress' })),
  ];
  const spec = withServiceDefaults({
    Name: id,
    Mode: o.global === true ? { Global: {} } : { Replicated: { Replicas: 1 } },
    TaskTemplate: {
      ContainerSpec: { Image: 'nginx' },
      Resources: { Reservations: { NanoCPUs: (o.cpus ?? 0) * CPU, MemoryBytes: o.memory ?? 0 } },
      Placement: {
        Constraints: o.constraints ?? [],
        Preferences: (o.preferences ?? []).map((d) => ({ Spread: { SpreadDescriptor: d } })),
        MaxReplicas: o.maxReplicas ?? 0,
        ...(o.platforms !== undefined ? { Platforms: o.platforms } : {}),
      },
    },
    EndpointSpec: { Ports: ports },
  });
  return newService(id as ServiceId, spec, NOW);
}

export interface TaskOptions {
  readonly state?: TaskState;
  readonly desired?: DesiredState;
  readonly node?: string;
  readonly version?: number;
  readonly at?: number;
}

export function task(svc: Service, slot: number, o: TaskOptions = {}): Task {
  const t = newTask({
    id: `${svc.ID}.${slot}${o.node !== undefined ? `.${o.node}` : ''}` as TaskId,
    serviceId: svc.ID,
    spec: svc.Spec,
    serviceVersion: { Index: o.version ?? svc.SpecVersion.Index },
    nowMs: o.at ?? NOW,
    slot,
    ...(o.desired !== undefined ? { desiredState: o.desired } : {}),
  });
  return {
    ...t,
    Version: { Index: 1 },
    ...(o.node !== undefined ? { NodeID: o.node as NodeId } : {}),
    Status: { ...t.Status, State: o.state ?? 'pending', Message: 'pending task scheduling' },
  };
}

/** `n` pending tasks of the service, slots from `from`. */
export function pending(svc: Service, n: number, from = 1): Task[] {
  return Array.from({ length: n }, (_, i) => task(svc, from + i));
}

/** A global task: created for one node, pending until the scheduler confirms it. */
export function globalTask(svc: Service, nodeId: string): Task {
  const t = newTask({ id: `${svc.ID}.${nodeId}` as TaskId, serviceId: svc.ID, spec: svc.Spec, serviceVersion: svc.SpecVersion, nowMs: NOW, nodeId: nodeId as NodeId });
  return { ...t, Version: { Index: 1 }, Status: { ...t.Status, State: 'pending', Message: 'pending task scheduling' } };
}

/** Tasks per node id, from a plan's assignments. */
export function countByNode(assignments: ReadonlyArray<{ readonly nodeId: string }>): Map<string, number> {
  const m = new Map<string, number>();
  for (const a of assignments) m.set(a.nodeId, (m.get(a.nodeId) ?? 0) + 1);
  return m;
}
