// A service's spec in Docker's JSON shape (moby api/types/swarm/service.go):
// what `docker service inspect` prints under "Spec". The input schema takes
// the partial spec a client sends; `withServiceDefaults` fills Docker's
// defaults (swarmkit api/defaults/service.go, docker/cli service/opts.go).
import type { ContainerSpec } from './container-spec.js';
import type { Labels, Nanoseconds } from './object-meta.js';
import { countSchema, durationSchema, labelsSchema, SECOND } from './object-meta.js';
import * as s from './schema.js';
import type { TaskSpec } from './task-spec.js';
import { taskSpecSchema, withTaskDefaults } from './task-spec.js';

// ---- mode: exactly one key, as Docker writes it ----

export interface ReplicatedJob {
  /** Tasks running at once; default 1 (or the replica count the CLI was given). */
  readonly MaxConcurrent: number;
  /** Successful completions wanted; default MaxConcurrent. */
  readonly TotalCompletions: number;
}

type Empty = Readonly<Record<string, never>>;

export type ServiceMode =
  | { readonly Replicated: { readonly Replicas: number }; readonly Global?: never; readonly ReplicatedJob?: never; readonly GlobalJob?: never }
  | { readonly Global: Empty; readonly Replicated?: never; readonly ReplicatedJob?: never; readonly GlobalJob?: never }
  | { readonly ReplicatedJob: ReplicatedJob; readonly Replicated?: never; readonly Global?: never; readonly GlobalJob?: never }
  | { readonly GlobalJob: Empty; readonly Replicated?: never; readonly Global?: never; readonly ReplicatedJob?: never };

/** The `docker service ls` MODE column words. */
export type ServiceModeKind = 'replicated' | 'global' | 'replicated-job' | 'global-job';

export function serviceModeKind(mode: ServiceMode): ServiceModeKind {
  if (mode.Replicated !== undefined) return 'replicated';
  if (mode.Global !== undefined) return 'global';
  if (mode.ReplicatedJob !== undefined) return 'replicated-job';
  return 'global-job';
}

export function isJobMode(mode: ServiceMode): boolean {
  const kind = serviceModeKind(mode);
  return kind === 'replicated-job' || kind === 'global-job';
}

/** Replicas, or job concurrency, for replicated kinds; undefined for global kinds (one per node). */
export function replicaCount(mode: ServiceMode): number | undefined {
  if (mode.Replicated !== undefined) return mode.Replicated.Replicas;
  if (mode.ReplicatedJob !== undefined) return mode.ReplicatedJob.MaxConcurrent;
  return undefined;
}

// ---- update / rollback ----

export const FAILURE_ACTIONS = ['pause', 'continue', 'rollback'] as const;
export type FailureAction = (typeof FAILURE_ACTIONS)[number];
export const UPDATE_ORDERS = ['stop-first', 'start-first'] as const;
export type UpdateOrder = (typeof UPDATE_ORDERS)[number];

export interface UpdateConfig {
  /** Tasks replaced at once; 0 = all at once. */
  readonly Parallelism: number;
  readonly Delay: Nanoseconds;
  readonly FailureAction: FailureAction;
  /** How long each new task is watched for failure. */
  readonly Monitor: Nanoseconds;
  /** Failed fraction of updated tasks tolerated before FailureAction, in [0, 1]. */
  readonly MaxFailureRatio: number;
  readonly Order: UpdateOrder;
}

// ---- endpoint ----

export const RESOLUTION_MODES = ['vip', 'dnsrr'] as const;
export type ResolutionMode = (typeof RESOLUTION_MODES)[number];
export const PORT_PROTOCOLS = ['tcp', 'udp'] as const;
export type PortProtocol = (typeof PORT_PROTOCOLS)[number];
export const PUBLISH_MODES = ['ingress', 'host'] as const;
export type PublishMode = (typeof PUBLISH_MODES)[number];

export interface PortConfig {
  readonly Name?: string;
  readonly Protocol: PortProtocol;
  readonly TargetPort: number;
  /** 0 or absent: the allocator picks one (ingress) or none is published (host). */
  readonly PublishedPort?: number;
  readonly PublishMode: PublishMode;
}

export interface EndpointSpec {
  readonly Mode: ResolutionMode;
  readonly Ports: readonly PortConfig[];
}

// ---- the spec ----

export interface ServiceSpec {
  readonly Name: string;
  readonly Labels: Labels;
  readonly TaskTemplate: TaskSpec;
  readonly Mode: ServiceMode;
  /** Absent for jobs: "Jobs may not have an update config". */
  readonly UpdateConfig?: UpdateConfig;
  readonly RollbackConfig?: UpdateConfig;
  readonly EndpointSpec: EndpointSpec;
}

export type { ContainerSpec, TaskSpec };

// ---- input schema ----

const emptySchema = s.object({});

export const serviceModeSchema = s.oneKey({
  Replicated: s.object({ Replicas: s.optional(s.number({ int: true })) }),
  Global: emptySchema,
  ReplicatedJob: s.object({ MaxConcurrent: s.optional(s.number({ int: true })), TotalCompletions: s.optional(s.number({ int: true })) }),
  GlobalJob: emptySchema,
});

function updateConfigSchema<A extends string>(actions: readonly A[]) {
  return s.object({
    Parallelism: s.optional(countSchema),
    Delay: s.optional(durationSchema),
    FailureAction: s.optional(s.literal(...actions)),
    Monitor: s.optional(durationSchema),
    MaxFailureRatio: s.optional(s.number()),
    Order: s.optional(s.literal(...UPDATE_ORDERS)),
  });
}

export const portConfigSchema = s.object({
  Name: s.optional(s.string({ max: 255 })),
  Protocol: s.optional(s.literal(...PORT_PROTOCOLS)),
  TargetPort: s.number({ int: true, min: 1, max: 65535 }),
  PublishedPort: s.optional(s.number({ int: true, min: 0, max: 65535 })),
  PublishMode: s.optional(s.literal(...PUBLISH_MODES)),
});

export const endpointSpecSchema = s.object({
  Mode: s.optional(s.literal(...RESOLUTION_MODES)),
  Ports: s.optional(s.array(portConfigSchema, { max: 1024 })),
});

export const serviceSpecSchema = s.object({
  Name: s.optional(s.string({ max: 1024 })),
  Labels: s.optional(labelsSchema),
  TaskTemplate: taskSpecSchema,
  Mode: s.optional(serviceModeSchema),
  UpdateConfig: s.optional(updateConfigSchema(FAILURE_ACTIONS)),
  // docker/cli: rollback failure action is "pause" or "continue".
  RollbackConfig: s.optional(updateConfigSchema(['pause', 'continue'] as const)),
  EndpointSpec: s.optional(endpointSpecSchema),
});
export type ServiceSpecInput = s.Infer<typeof serviceSpecSchema>;
export type UpdateConfigInput = NonNullable<ServiceSpecInput['UpdateConfig']>;

// ---- defaults ----

/** swarmkit defaults.Service.Update (and .Rollback): parallelism 1, delay 0, pause, monitor 5s, ratio 0, stop-first. */
export const DEFAULT_UPDATE_CONFIG: UpdateConfig = {
  Parallelism: 1,
  Delay: 0,
  FailureAction: 'pause',
  Monitor: 5 * SECOND,
  MaxFailureRatio: 0,
  Order: 'stop-first',
};

export function withUpdateDefaults(u: UpdateConfigInput | undefined): UpdateConfig {
  return {
    Parallelism: u?.Parallelism ?? DEFAULT_UPDATE_CONFIG.Parallelism,
    Delay: u?.Delay ?? DEFAULT_UPDATE_CONFIG.Delay,
    FailureAction: u?.FailureAction ?? DEFAULT_UPDATE_CONFIG.FailureAction,
    Monitor: u?.Monitor ?? DEFAULT_UPDATE_CONFIG.Monitor,
    MaxFailureRatio: u?.MaxFailureRatio ?? DEFAULT_UPDATE_CONFIG.MaxFailureRatio,
    Order: u?.Order ?? DEFAULT_UPDATE_CONFIG.Order,
  };
}

function withModeDefaults(mode: ServiceSpecInput['Mode']): ServiceMode {
  if (mode === undefined) return { Replicated: { Replicas: 1 } };
  if ('Replicated' in mode) return { Replicated: { Replicas: mode.Replicated.Replicas ?? 1 } };
  if ('Global' in mode) return { Global: {} };
  if ('ReplicatedJob' in mode) {
    const max = mode.ReplicatedJob.MaxConcurrent ?? 1;
    return { ReplicatedJob: { MaxConcurrent: max, TotalCompletions: mode.ReplicatedJob.TotalCompletions ?? max } };
  }
  return { GlobalJob: {} };
}

/**
 * The full spec with Docker's defaults: one replica; restart `any` after 5s
 * (`on-failure` for jobs); StopGracePeriod 10s; update and rollback configs
 * parallelism 1, delay 0, failure action pause, monitor 5s, max failure
 * ratio 0, order stop-first (none for jobs); endpoint mode vip, ports tcp
 * published through the ingress. A missing name stays empty, for the
 * validator to refuse ("name must be provided").
 */
export function withServiceDefaults(spec: ServiceSpecInput): ServiceSpec {
  const mode = withModeDefaults(spec.Mode);
  const job = isJobMode(mode);
  // Jobs get none, but keep one that was sent, for the validator to refuse.
  const update = job && spec.UpdateConfig === undefined ? undefined : withUpdateDefaults(spec.UpdateConfig);
  const rollback = job && spec.RollbackConfig === undefined ? undefined : withUpdateDefaults(spec.RollbackConfig);
  return {
    Name: spec.Name ?? '',
    Labels: spec.Labels ?? {},
    TaskTemplate: withTaskDefaults(spec.TaskTemplate, job),
    Mode: mode,
    ...(update !== undefined ? { UpdateConfig: update } : {}),
    ...(rollback !== undefined ? { RollbackConfig: rollback } : {}),
    EndpointSpec: {
      Mode: spec.EndpointSpec?.Mode ?? 'vip',
      Ports: (spec.EndpointSpec?.Ports ?? []).map((p) => ({
        ...(p.Name !== undefined ? { Name: p.Name } : {}),
        Protocol: p.Protocol ?? 'tcp',
        TargetPort: p.TargetPort,
        ...(p.PublishedPort !== undefined ? { PublishedPort: p.PublishedPort } : {}),
        PublishMode: p.PublishMode ?? 'ingress',
      })),
    },
  };
}
