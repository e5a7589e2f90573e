// A service object (moby api/types/swarm/service.go Service) plus shoal's
// spec history. Spec changes go through `updateServiceSpec` and
// `rollbackServiceSpec`, which keep the invariants below; both are pure.
//
// Invariants:
// - SpecHistory holds at most SPEC_HISTORY_LIMIT entries, oldest first, at
//   most one per SpecVersion, and its last entry is {SpecVersion, Spec}.
// - PreviousSpec is set iff PreviousSpecVersion is set.
// - SpecVersion is the service Version an update was based on (swarmkit:
//   `service.SpecVersion = service.Meta.Version`), so each spec change gets
//   a distinct one; tasks record it as ServiceVersion to say which spec they run.
import type { NetworkId, ServiceId } from './ids.js';
import type { Timestamp, Version } from './object-meta.js';
import { newMeta, timestampOf } from './object-meta.js';
import type { EndpointSpec, PortConfig, ServiceSpec } from './service-spec.js';
import { isJobMode } from './service-spec.js';

export const UPDATE_STATES = ['updating', 'paused', 'completed', 'rollback_started', 'rollback_paused', 'rollback_completed'] as const;
export type UpdateState = (typeof UPDATE_STATES)[number];

export interface UpdateStatus {
  readonly State: UpdateState;
  readonly StartedAt: Timestamp;
  readonly CompletedAt?: Timestamp;
  readonly Message: string;
}

export interface EndpointVirtualIP {
  readonly NetworkID: NetworkId;
  /** CIDR form, as Docker prints it: `10.0.0.5/24`. */
  readonly Addr: string;
}

/** What the allocator assigned: published ports (with the picked numbers) and one VIP per network. */
export interface Endpoint {
  readonly Spec: EndpointSpec;
  readonly Ports?: readonly PortConfig[];
  readonly VirtualIPs?: readonly EndpointVirtualIP[];
}

export interface JobStatus {
  /** Bumped each time the job is run again (a spec update); tasks of older iterations are history. */
  readonly JobIteration: Version;
  readonly LastExecution: Timestamp;
}

export interface SpecHistoryEntry {
  readonly Version: Version;
  readonly Spec: ServiceSpec;
  /** When this spec became current. */
  readonly At: Timestamp;
}

export interface Service {
  readonly ID: ServiceId;
  readonly Version: Version;
  readonly CreatedAt: Timestamp;
  readonly UpdatedAt: Timestamp;
  readonly Spec: ServiceSpec;
  readonly PreviousSpec?: ServiceSpec;
  readonly Endpoint?: Endpoint;
  readonly UpdateStatus?: UpdateStatus;
  readonly JobStatus?: JobStatus;
  // shoal's own fields
  readonly SpecVersion: Version;
  readonly PreviousSpecVersion?: Version;
  readonly SpecHistory: readonly SpecHistoryEntry[];
}

export const SPEC_HISTORY_LIMIT = 10;

/** Append `entry`, dropping an older entry of the same version and the oldest beyond `limit`. */
export function pushSpecHistory(
  history: readonly SpecHistoryEntry[],
  entry: SpecHistoryEntry,
  limit = SPEC_HISTORY_LIMIT,
): readonly SpecHistoryEntry[] {
  const kept = history.filter((e) => e.Version.Index !== entry.Version.Index);
  const next = [...kept, entry];
  return next.length > limit ? next.slice(next.length - limit) : next;
}

/** A new service; the store assigns Version.Index when it commits. */
export function newService(id: ServiceId, spec: ServiceSpec, nowMs: number): Service {
  const meta = newMeta(nowMs);
  const specVersion: Version = { Index: 0 };
  return {
    ID: id,
    ...meta,
    Spec: spec,
    ...(isJobMode(spec.Mode) ? { JobStatus: { JobIteration: { Index: 0 }, LastExecution: meta.CreatedAt } } : {}),
    SpecVersion: specVersion,
    SpecHistory: [{ Version: specVersion, Spec: spec, At: meta.CreatedAt }],
  };
}

/** Fields to drop from a copy (`exactOptionalPropertyTypes` is off, so omit rather than set undefined). */
function without<T extends object, K extends keyof T>(obj: T, ...keys: K[]): Omit<T, K> {
  const copy: Partial<T> = { ...obj };
  for (const k of keys) delete copy[k];
  return copy as Omit<T, K>;
}

/**
 * `service update`: the new spec becomes current, the old one previous
 * (what `--rollback` returns to), the update status is reset so the updater
 * starts afresh, and a job runs again.
 */
export function updateServiceSpec(service: Service, spec: ServiceSpec, nowMs: number): Service {
  const at = timestampOf(nowMs);
  const specVersion: Version = { Index: service.Version.Index };
  const base = without(service, 'UpdateStatus');
  return {
    ...base,
    UpdatedAt: at,
    Spec: spec,
    PreviousSpec: service.Spec,
    ...(service.JobStatus !== undefined
      ? { JobStatus: { JobIteration: { Index: service.JobStatus.JobIteration.Index + 1 }, LastExecution: at } }
      : {}),
    SpecVersion: specVersion,
    PreviousSpecVersion: service.SpecVersion,
    SpecHistory: pushSpecHistory(service.SpecHistory, { Version: specVersion, Spec: spec, At: at }),
  };
}

export type Rollback = { readonly ok: true; readonly service: Service } | { readonly ok: false; readonly reason: string };

/**
 * `service update --rollback` (swarmkit UpdateService with Rollback=PREVIOUS):
 * current and previous specs swap, so a second rollback goes forward again,
 * and the update status says a manual rollback started. Refused when there
 * is no previous spec (a FailedPrecondition for the caller).
 */
export function rollbackServiceSpec(service: Service, nowMs: number): Rollback {
  const previous = service.PreviousSpec;
  const previousVersion = service.PreviousSpecVersion;
  if (previous === undefined || previousVersion === undefined) {
    return { ok: false, reason: `service ${service.ID} does not have a previous spec` };
  }
  const at = timestampOf(nowMs);
  return {
    ok: true,
    service: {
      ...service,
      UpdatedAt: at,
      Spec: previous,
      PreviousSpec: service.Spec,
      UpdateStatus: { State: 'rollback_started', StartedAt: at, Message: 'manually requested rollback' },
      SpecVersion: previousVersion,
      PreviousSpecVersion: service.SpecVersion,
      SpecHistory: pushSpecHistory(service.SpecHistory, { Version: previousVersion, Spec: previous, At: at }),
    },
  };
}

/** The spec a task of the given ServiceVersion ran, while it is still in the history. */
export function specAtVersion(service: Service, version: Version): ServiceSpec | undefined {
  return service.SpecHistory.find((e) => e.Version.Index === version.Index)?.Spec;
}

/** What `docker service inspect` prints: Docker's fields in Docker's order, without shoal's history. */
export function serviceInspectView(service: Service): Record<string, unknown> {
  return {
    ID: service.ID,
    Version: service.Version,
    CreatedAt: service.CreatedAt,
    UpdatedAt: service.UpdatedAt,
    Spec: service.Spec,
    ...(service.PreviousSpec !== undefined ? { PreviousSpec: service.PreviousSpec } : {}),
    Endpoint: service.Endpoint ?? { Spec: service.Spec.EndpointSpec },
    ...(service.UpdateStatus !== undefined ? { UpdateStatus: service.UpdateStatus } : {}),
    ...(service.JobStatus !== undefined ? { JobStatus: service.JobStatus } : {}),
  };
}
