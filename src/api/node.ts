// A node, as `docker node inspect` prints it (moby api/types/swarm/node.go).
// Spec is what the operator asks for (role, availability, labels);
// Description is what the node's agent reports; Status and ManagerStatus are
// what the managers observe.
import type { NodeRole } from './contract.js';
import type { NodeFacts } from './constraint.js';
import type { NodeId } from './ids.js';
import type { Labels, Platform, Resources, Timestamp, Version } from './object-meta.js';
import { labelsSchema } from './object-meta.js';
import * as s from './schema.js';
import { type Checked, decode, invalid, valid } from './validation.js';

export type { NodeRole } from './contract.js';

export const NODE_AVAILABILITIES = ['active', 'pause', 'drain'] as const;
export type NodeAvailability = (typeof NODE_AVAILABILITIES)[number];

export const NODE_STATES = ['unknown', 'down', 'ready', 'disconnected'] as const;
export type NodeState = (typeof NODE_STATES)[number];

export const REACHABILITIES = ['unknown', 'unreachable', 'reachable'] as const;
export type Reachability = (typeof REACHABILITIES)[number];

export interface NodeSpec {
  readonly Name?: string;
  readonly Labels: Labels;
  readonly Role: NodeRole;
  readonly Availability: NodeAvailability;
}

export interface EngineDescription {
  readonly EngineVersion: string;
  readonly Labels: Labels;
  readonly Plugins?: ReadonlyArray<{ readonly Type: string; readonly Name: string }>;
}

export interface NodeDescription {
  readonly Hostname: string;
  readonly Platform: Platform;
  readonly Resources: Resources;
  readonly Engine: EngineDescription;
}

export interface NodeStatus {
  readonly State: NodeState;
  readonly Message?: string;
  /** The address other nodes and `node.ip` constraints see. */
  readonly Addr: string;
}

export interface ManagerStatus {
  readonly Leader?: boolean;
  readonly Reachability: Reachability;
  /** The manager's cluster address (host:2377). */
  readonly Addr: string;
}

export interface Node {
  readonly ID: NodeId;
  readonly Version: Version;
  readonly CreatedAt: Timestamp;
  readonly UpdatedAt: Timestamp;
  readonly Spec: NodeSpec;
  readonly Description: NodeDescription;
  readonly Status: NodeStatus;
  readonly ManagerStatus?: ManagerStatus;
}

// ---- the spec a client sends (`docker node update`, promote, demote) ----

export const nodeSpecSchema = s.object({
  Name: s.optional(s.string({ max: 255 })),
  Labels: s.optional(labelsSchema),
  Role: s.literal('manager', 'worker'),
  Availability: s.literal(...NODE_AVAILABILITIES),
});
export type NodeSpecInput = s.Infer<typeof nodeSpecSchema>;

/** Shape check, then the label rule; the returned spec has Labels filled in. */
export function checkNodeSpec(value: unknown): Checked<NodeSpec> {
  const d = decode(nodeSpecSchema, value);
  if (!d.ok) return d;
  const spec = d.value;
  for (const key of Object.keys(spec.Labels ?? {})) {
    // docker/cli opts.ValidateLabel: a label key may not be empty.
    if (key.trim() === '') return invalid('Labels', `invalid label '${key}': empty name`);
  }
  const out: NodeSpec = {
    ...(spec.Name !== undefined && spec.Name !== '' ? { Name: spec.Name } : {}),
    Labels: spec.Labels ?? {},
    Role: spec.Role,
    Availability: spec.Availability,
  };
  return valid(out);
}

// ---- what the tables show ----

/** `docker node ls` MANAGER STATUS: Leader, Reachable, Unreachable, or blank for workers. */
export function managerStatusText(node: Node): string {
  const ms = node.ManagerStatus;
  if (ms === undefined) return '';
  if (ms.Leader === true) return 'Leader';
  return ms.Reachability.charAt(0).toUpperCase() + ms.Reachability.slice(1);
}

/** What constraints look at on this node. */
export function nodeFacts(node: Node): NodeFacts {
  return {
    id: node.ID,
    hostname: node.Description.Hostname,
    addr: node.Status.Addr,
    role: node.Spec.Role,
    os: node.Description.Platform.OS,
    arch: node.Description.Platform.Architecture,
    nodeLabels: node.Spec.Labels,
    engineLabels: node.Description.Engine.Labels,
  };
}
