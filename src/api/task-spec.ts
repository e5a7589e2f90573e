// The task template of a service (moby api/types/swarm/task.go TaskSpec):
// the container plus resources, restart policy, placement and networks.
// Defaults are swarmkit's api/defaults/service.go; rules are swarmkit's
// controlapi validateTaskSpec, with Docker's words.
import type { Constraint } from './constraint.js';
import { parseConstraints } from './constraint.js';
import type { ContainerSpec } from './container-spec.js';
import { checkContainerSpec, containerSpecSchema, withContainerDefaults } from './container-spec.js';
import type { Nanoseconds, Platform, Resources } from './object-meta.js';
import { countSchema, durationSchema, platformSchema, SECOND } from './object-meta.js';
import { formatGoG } from './format.js';
import * as s from './schema.js';
import { type FieldIssue, at, issue } from './validation.js';

export interface ResourceRequirements {
  readonly Limits: Resources;
  readonly Reservations: Resources;
}

export const RESTART_CONDITIONS = ['none', 'on-failure', 'any'] as const;
export type RestartCondition = (typeof RESTART_CONDITIONS)[number];

export interface RestartPolicy {
  readonly Condition: RestartCondition;
  /** Wait between a task stopping and its replacement starting; default 5s. */
  readonly Delay: Nanoseconds;
  /** Restarts allowed within Window (or ever, when Window is 0); 0 = unlimited. */
  readonly MaxAttempts: number;
  readonly Window: Nanoseconds;
}

/** `--placement-pref spread=node.labels.zone`. */
export interface PlacementPreference {
  readonly Spread: { readonly SpreadDescriptor: string };
}

export interface Placement {
  readonly Constraints: readonly string[];
  readonly Preferences: readonly PlacementPreference[];
  /** Tasks of this service allowed on one node; 0 = unlimited. */
  readonly MaxReplicas: number;
  readonly Platforms?: readonly Platform[];
}

export interface NetworkAttachmentConfig {
  /** Network id (the controlapi resolves names to ids before storing). */
  readonly Target: string;
  readonly Aliases?: readonly string[];
  readonly DriverOpts?: Readonly<Record<string, string>>;
}

export interface TaskSpec {
  readonly ContainerSpec: ContainerSpec;
  readonly Resources: ResourceRequirements;
  readonly RestartPolicy: RestartPolicy;
  readonly Placement: Placement;
  readonly Networks?: readonly NetworkAttachmentConfig[];
  /** A counter bumped by `service update --force` to replace tasks without other changes. */
  readonly ForceUpdate: number;
}

// ---- schemas ----

const resourcesSchema = s.object({
  NanoCPUs: s.optional(s.number({ int: true })),
  MemoryBytes: s.optional(s.number({ int: true })),
});

export const resourceRequirementsSchema = s.object({
  Limits: s.optional(resourcesSchema),
  Reservations: s.optional(resourcesSchema),
});

export const restartPolicySchema = s.object({
  Condition: s.optional(s.literal(...RESTART_CONDITIONS)),
  Delay: s.optional(durationSchema),
  MaxAttempts: s.optional(countSchema),
  Window: s.optional(durationSchema),
});

export const placementSchema = s.object({
  Constraints: s.optional(s.array(s.string({ max: 1024 }), { max: 256 })),
  Preferences: s.optional(s.array(s.object({ Spread: s.object({ SpreadDescriptor: s.string({ max: 1024 }) }) }), { max: 64 })),
  MaxReplicas: s.optional(countSchema),
  Platforms: s.optional(s.array(platformSchema, { max: 64 })),
});

export const networkAttachmentSchema = s.object({
  Target: s.string({ min: 1, max: 256 }),
  Aliases: s.optional(s.array(s.string({ max: 255 }), { max: 64 })),
  DriverOpts: s.optional(s.record(s.string())),
});

export const taskSpecSchema = s.object({
  ContainerSpec: containerSpecSchema,
  Resources: s.optional(resourceRequirementsSchema),
  RestartPolicy: s.optional(restartPolicySchema),
  Placement: s.optional(placementSchema),
  Networks: s.optional(s.array(networkAttachmentSchema, { max: 64 })),
  ForceUpdate: s.optional(countSchema),
});
export type TaskSpecInput = s.Infer<typeof taskSpecSchema>;

// ---- defaults ----

export const DEFAULT_RESTART_DELAY: Nanoseconds = 5 * SECOND;

/**
 * swarmkit's defaults: restart on any exit after 5s, unlimited attempts, no
 * window; no resource limits; no placement rules. Jobs restart only on
 * failure (a completed job task must stay completed).
 */
export function withTaskDefaults(t: TaskSpecInput, isJob: boolean): TaskSpec {
  const rp = t.RestartPolicy;
  const pl = t.Placement;
  return {
    ContainerSpec: withContainerDefaults(t.ContainerSpec),
    Resources: {
      Limits: { NanoCPUs: t.Resources?.Limits?.NanoCPUs ?? 0, MemoryBytes: t.Resources?.Limits?.MemoryBytes ?? 0 },
      Reservations: { NanoCPUs: t.Resources?.Reservations?.NanoCPUs ?? 0, MemoryBytes: t.Resources?.Reservations?.MemoryBytes ?? 0 },
    },
    RestartPolicy: {
      Condition: rp?.Condition ?? (isJob ? 'on-failure' : 'any'),
      Delay: rp?.Delay ?? DEFAULT_RESTART_DELAY,
      MaxAttempts: rp?.MaxAttempts ?? 0,
      Window: rp?.Window ?? 0,
    },
    Placement: {
      Constraints: pl?.Constraints ?? [],
      Preferences: pl?.Preferences ?? [],
      MaxReplicas: pl?.MaxReplicas ?? 0,
      ...(pl?.Platforms !== undefined ? { Platforms: pl.Platforms } : {}),
    },
    ...(t.Networks !== undefined ? { Networks: t.Networks } : {}),
    ForceUpdate: t.ForceUpdate ?? 0,
  };
}

// ---- rules ----

const MIN_NANO_CPUS = 1_000_000; // 0.001 CPU
const MIN_MEMORY_BYTES = 4 * 1024 * 1024;

function checkResources(r: Resources, path: string): FieldIssue | undefined {
  if (r.NanoCPUs !== 0 && r.NanoCPUs < MIN_NANO_CPUS) {
    return issue(at(path, 'NanoCPUs'), `invalid cpu value ${formatGoG(r.NanoCPUs / 1e9)}: Must be at least 0.001`);
  }
  if (r.MemoryBytes !== 0 && r.MemoryBytes < MIN_MEMORY_BYTES) {
    return issue(at(path, 'MemoryBytes'), `invalid memory value ${r.MemoryBytes}: Must be at least 4MiB`);
  }
  return undefined;
}

/** The constraints of a placement, parsed; an issue names the bad expression. */
export function placementConstraints(p: Placement, path = 'Placement'): { readonly ok: true; readonly constraints: readonly Constraint[] } | { readonly ok: false; readonly issue: FieldIssue } {
  const r = parseConstraints(p.Constraints);
  if (r.ok) return r;
  return { ok: false, issue: issue(at(at(path, 'Constraints'), r.index), r.error) };
}

/** swarmkit validateTaskSpec; `path` is where the task spec sits (`TaskTemplate`). */
export function checkTaskSpec(t: TaskSpec, path: string): FieldIssue | undefined {
  const resources = at(path, 'Resources');
  const limits = checkResources(t.Resources.Limits, at(resources, 'Limits'));
  if (limits !== undefined) return limits;
  const reservations = checkResources(t.Resources.Reservations, at(resources, 'Reservations'));
  if (reservations !== undefined) return reservations;
  const rp = at(path, 'RestartPolicy');
  if (t.RestartPolicy.Delay < 0) return issue(at(rp, 'Delay'), 'restart-delay cannot be negative');
  if (t.RestartPolicy.Window < 0) return issue(at(rp, 'Window'), 'restart-window cannot be negative');
  const placement = placementConstraints(t.Placement, at(path, 'Placement'));
  if (!placement.ok) return placement.issue;
  for (const [i, pref] of t.Placement.Preferences.entries()) {
    if (pref.Spread.SpreadDescriptor.trim() === '') {
      return issue(at(at(at(path, 'Placement.Preferences'), i), 'Spread.SpreadDescriptor'), 'placement preference must be of the format "<strategy>=<arg>"');
    }
  }
  const seen = new Set<string>();
  for (const [i, n] of (t.Networks ?? []).entries()) {
    if (seen.has(n.Target)) return issue(at(at(path, 'Networks'), i), `network ${n.Target} is attached more than once`);
    seen.add(n.Target);
  }
  return checkContainerSpec(t.ContainerSpec, at(path, 'ContainerSpec'));
}
