// The filter steps (swarmkit manager/scheduler/filter.go), each a small pure
// check of one node for one task template. `filtersFor` returns only the
// filters that apply to the template, in pipeline order (swarmkit SetTask):
// a task without reservations skips the resource filter, and so on.
//
// `dynamic` filters look at what is already on the node, so their answer can
// change as tasks of the same group are placed; static ones are checked once.
// Dynamic answers only move from pass to fail while a group is placed
// (reservations grow, ports get taken, counts rise), which lets placement
// drop a node for good once it fails.
import { constraintMatches, parseConstraints, type Constraint } from '../../api/constraint.js';
import type { Platform } from '../../api/object-meta.js';
import type { Task } from '../../api/task.js';
import type { FilterName } from './explain.js';
import type { NodeInfo } from './node-info.js';

export interface Filter {
  readonly name: FilterName;
  readonly dynamic: boolean;
  check(node: NodeInfo): boolean;
}

/** swarmkit ReadyFilter: the node reports ready and the operator left it active. */
export const readyFilter: Filter = {
  name: 'ready',
  dynamic: false,
  check: (n) => n.node.Status.State === 'ready' && n.node.Spec.Availability === 'active',
};

/** swarmkit ResourceFilter: the reservations fit in what the node's tasks leave free. */
export function resourceFilter(cpu: number, memory: number): Filter {
  return { name: 'resources', dynamic: true, check: (n) => cpu <= n.availableCpu && memory <= n.availableMemory };
}

/**
 * swarmkit ConstraintFilter. Constraints were validated when the service was
 * created; should one still fail to parse, no node satisfies it (swarmkit
 * instead ignores all of them, which could place the task anywhere).
 */
export function constraintFilter(constraints: readonly Constraint[] | undefined): Filter {
  if (constraints === undefined) return { name: 'constraints', dynamic: false, check: () => false };
  return {
    name: 'constraints',
    dynamic: false,
    check: (n) => {
      for (const c of constraints) if (!constraintMatches(c, n.facts)) return false;
      return true;
    },
  };
}

function normalArch(arch: string): string {
  if (arch === 'x86_64') return 'amd64';
  if (arch === 'aarch64') return 'arm64';
  return arch;
}

/** swarmkit PlatformFilter: one of the image's platforms matches; an empty field matches any. */
export function platformFilter(platforms: readonly Platform[]): Filter {
  const wanted = platforms.map((p) => ({ os: p.OS, arch: normalArch(p.Architecture) }));
  return {
    name: 'platform',
    dynamic: false,
    check: (n) => {
      const arch = normalArch(n.facts.arch);
      return wanted.some((p) => (p.arch === '' || p.arch === arch) && (p.os === '' || p.os === n.facts.os));
    },
  };
}

/** swarmkit HostPortFilter: none of the task's host-mode published ports is taken on the node. */
export function hostPortFilter(ports: readonly string[]): Filter {
  return {
    name: 'host-ports',
    dynamic: true,
    check: (n) => {
      for (const p of ports) if (n.hostPorts.has(p)) return false;
      return true;
    },
  };
}

/** swarmkit MaxReplicasFilter: fewer active tasks of the service on the node than Placement.MaxReplicas. */
export function maxReplicasFilter(serviceId: string, max: number): Filter {
  return { name: 'max-replicas', dynamic: true, check: (n) => n.activeOf(serviceId) < max };
}

/** The filters that apply to tasks of this template, in pipeline order. */
export function filtersFor(task: Task, hostPorts: readonly string[]): Filter[] {
  const out: Filter[] = [readyFilter];
  const r = task.Spec.Resources.Reservations;
  if (r.NanoCPUs > 0 || r.MemoryBytes > 0) out.push(resourceFilter(r.NanoCPUs, r.MemoryBytes));
  const placement = task.Spec.Placement;
  if (placement.Constraints.length > 0) {
    const parsed = parseConstraints(placement.Constraints);
    out.push(constraintFilter(parsed.ok ? parsed.constraints : undefined));
  }
  if (placement.Platforms !== undefined && placement.Platforms.length > 0) out.push(platformFilter(placement.Platforms));
  if (hostPorts.length > 0) out.push(hostPortFilter(hostPorts));
  if (placement.MaxReplicas > 0) out.push(maxReplicasFilter(task.ServiceID, placement.MaxReplicas));
  return out;
}
