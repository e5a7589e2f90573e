// The cluster object (moby api/types/swarm/swarm.go Swarm/ClusterInfo): one
// per swarm, named "default", holding the settings `docker swarm update`
// changes and what `docker swarm init` decided (address pool, join tokens).
import type { ClusterId } from './ids.js';
import type { Driver, Labels, Nanoseconds, Timestamp, Version } from './object-meta.js';
import { countSchema, driverSchema, durationSchema, HOUR, labelsSchema, newMeta, SECOND } from './object-meta.js';
import { formatGoDuration } from './format.js';
import * as s from './schema.js';
import { type Checked, type FieldIssue, decode, firstIssue, invalid, issue, valid } from './validation.js';

export const CLUSTER_NAME = 'default';

export interface RaftConfig {
  /** Log entries between snapshots. */
  readonly SnapshotInterval: number;
  readonly KeepOldSnapshots: number;
  /** Entries kept after a snapshot to catch up slow followers. */
  readonly LogEntriesForSlowFollowers: number;
  readonly ElectionTick: number;
  readonly HeartbeatTick: number;
}

export interface ClusterSpec {
  readonly Name: string;
  readonly Labels: Labels;
  readonly Orchestration: {
    /** Finished tasks kept per slot; negative = keep all. */
    readonly TaskHistoryRetentionLimit: number;
  };
  readonly Raft: RaftConfig;
  readonly Dispatcher: { readonly HeartbeatPeriod: Nanoseconds };
  readonly CAConfig: { readonly NodeCertExpiry: Nanoseconds };
  readonly TaskDefaults: { readonly LogDriver?: Driver };
  readonly EncryptionConfig: { readonly AutoLockManagers: boolean };
}

export interface JoinTokens {
  readonly Worker: string;
  readonly Manager: string;
}

export interface TLSInfo {
  /** The root CA certificate, PEM. */
  readonly TrustRoot: string;
  readonly CertIssuerSubject: string;
  readonly CertIssuerPublicKey: string;
}

export interface Cluster {
  readonly ID: ClusterId;
  readonly Version: Version;
  readonly CreatedAt: Timestamp;
  readonly UpdatedAt: Timestamp;
  readonly Spec: ClusterSpec;
  readonly TLSInfo: TLSInfo;
  readonly RootRotationInProgress: boolean;
  /** Pools overlay subnets are carved from (`--default-addr-pool`). */
  readonly DefaultAddrPool: readonly string[];
  readonly SubnetSize: number;
  /** UDP port of the VXLAN data path. */
  readonly DataPathPort: number;
  readonly JoinTokens: JoinTokens;
  /** shoal: `sha256:<hex>` of the root CA certificate, the digest join tokens carry. */
  readonly RootCADigest: string;
}

// ---- defaults: docker swarm init ----

export const DEFAULT_TASK_HISTORY_RETENTION_LIMIT = 5;
export const DEFAULT_HEARTBEAT_PERIOD: Nanoseconds = 5 * SECOND;
export const DEFAULT_NODE_CERT_EXPIRY: Nanoseconds = 90 * 24 * HOUR;
/** swarmkit ca.MinNodeCertExpiration. */
export const MIN_NODE_CERT_EXPIRY: Nanoseconds = HOUR;
export const DEFAULT_RAFT_CONFIG: RaftConfig = {
  SnapshotInterval: 10000,
  KeepOldSnapshots: 0,
  LogEntriesForSlowFollowers: 500,
  ElectionTick: 10,
  HeartbeatTick: 1,
};
export const DEFAULT_ADDR_POOL: readonly string[] = ['10.0.0.0/8'];
export const DEFAULT_SUBNET_SIZE = 24;
export const DEFAULT_DATA_PATH_PORT = 4789;

export const clusterSpecSchema = s.object({
  Name: s.optional(s.string({ max: 64 })),
  Labels: s.optional(labelsSchema),
  Orchestration: s.optional(s.object({ TaskHistoryRetentionLimit: s.optional(s.number({ int: true })) })),
  Raft: s.optional(
    s.object({
      SnapshotInterval: s.optional(countSchema),
      KeepOldSnapshots: s.optional(countSchema),
      LogEntriesForSlowFollowers: s.optional(countSchema),
      ElectionTick: s.optional(s.number({ int: true, min: 1 })),
      HeartbeatTick: s.optional(s.number({ int: true, min: 1 })),
    }),
  ),
  Dispatcher: s.optional(s.object({ HeartbeatPeriod: s.optional(durationSchema) })),
  CAConfig: s.optional(s.object({ NodeCertExpiry: s.optional(durationSchema) })),
  TaskDefaults: s.optional(s.object({ LogDriver: s.optional(driverSchema) })),
  EncryptionConfig: s.optional(s.object({ AutoLockManagers: s.optional(s.boolean()) })),
});
export type ClusterSpecInput = s.Infer<typeof clusterSpecSchema>;

/** `docker swarm init` defaults: history 5, heartbeat 5s, certificates 90 days, raft 10000/0/500/10/1. */
export function withClusterDefaults(c: ClusterSpecInput): ClusterSpec {
  const raft = c.Raft;
  return {
    Name: c.Name ?? CLUSTER_NAME,
    Labels: c.Labels ?? {},
    Orchestration: { TaskHistoryRetentionLimit: c.Orchestration?.TaskHistoryRetentionLimit ?? DEFAULT_TASK_HISTORY_RETENTION_LIMIT },
    Raft: {
      SnapshotInterval: raft?.SnapshotInterval ?? DEFAULT_RAFT_CONFIG.SnapshotInterval,
      KeepOldSnapshots: raft?.KeepOldSnapshots ?? DEFAULT_RAFT_CONFIG.KeepOldSnapshots,
      LogEntriesForSlowFollowers: raft?.LogEntriesForSlowFollowers ?? DEFAULT_RAFT_CONFIG.LogEntriesForSlowFollowers,
      ElectionTick: raft?.ElectionTick ?? DEFAULT_RAFT_CONFIG.ElectionTick,
      HeartbeatTick: raft?.HeartbeatTick ?? DEFAULT_RAFT_CONFIG.HeartbeatTick,
    },
    Dispatcher: { HeartbeatPeriod: c.Dispatcher?.HeartbeatPeriod ?? DEFAULT_HEARTBEAT_PERIOD },
    CAConfig: { NodeCertExpiry: c.CAConfig?.NodeCertExpiry ?? DEFAULT_NODE_CERT_EXPIRY },
    TaskDefaults: c.TaskDefaults?.LogDriver !== undefined ? { LogDriver: c.TaskDefaults.LogDriver } : {},
    EncryptionConfig: { AutoLockManagers: c.EncryptionConfig?.AutoLockManagers ?? false },
  };
}

/** swarmkit validateClusterSpec, with Docker's words. */
export function checkClusterSpec(c: ClusterSpec): FieldIssue | undefined {
  return firstIssue(
    () => (c.Name === CLUSTER_NAME ? undefined : issue('Name', `the cluster is named "${CLUSTER_NAME}", not ${JSON.stringify(c.Name)}`)),
    () =>
      c.CAConfig.NodeCertExpiry < MIN_NODE_CERT_EXPIRY
        ? issue('CAConfig.NodeCertExpiry', `minimum certificate expiry time is: ${formatGoDuration(MIN_NODE_CERT_EXPIRY)}`)
        : undefined,
    () => (c.Dispatcher.HeartbeatPeriod < 0 ? issue('Dispatcher.HeartbeatPeriod', 'heartbeat time period cannot be a negative duration') : undefined),
    () =>
      c.Raft.ElectionTick <= c.Raft.HeartbeatTick ? issue('Raft.ElectionTick', 'ElectionTick must be greater than HeartbeatTick') : undefined,
  );
}

export function decodeClusterSpec(value: unknown): Checked<ClusterSpec> {
  const d = decode(clusterSpecSchema, value);
  if (!d.ok) return d;
  const spec = withClusterDefaults(d.value);
  const problem = checkClusterSpec(spec);
  return problem === undefined ? valid(spec) : invalid(problem.path, problem.message);
}

export interface NewClusterOptions {
  readonly id: ClusterId;
  readonly nowMs: number;
  readonly spec?: ClusterSpec;
  readonly tlsInfo: TLSInfo;
  readonly rootCADigest: string;
  readonly joinTokens: JoinTokens;
  readonly defaultAddrPool?: readonly string[];
  readonly subnetSize?: number;
  readonly dataPathPort?: number;
}

/** The cluster object `swarm init` writes first. */
export function newCluster(o: NewClusterOptions): Cluster {
  return {
    ID: o.id,
    ...newMeta(o.nowMs),
    Spec: o.spec ?? withClusterDefaults({}),
    TLSInfo: o.tlsInfo,
    RootRotationInProgress: false,
    DefaultAddrPool: o.defaultAddrPool ?? DEFAULT_ADDR_POOL,
    SubnetSize: o.subnetSize ?? DEFAULT_SUBNET_SIZE,
    DataPathPort: o.dataPathPort ?? DEFAULT_DATA_PATH_PORT,
    JoinTokens: o.joinTokens,
    RootCADigest: o.rootCADigest,
  };
}

/** `docker info`'s ClusterInfo: the cluster without its join tokens. */
export function clusterInfoView(cluster: Cluster): Omit<Cluster, 'JoinTokens' | 'RootCADigest'> {
  const { JoinTokens: _tokens, RootCADigest: _digest, ...info } = cluster;
  return info;
}
