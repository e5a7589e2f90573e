// Builders for the objects a fake daemon serves: nodes, clusters, services
// and tasks in the shapes the real manager stores, with plain defaults.
// Shared by CLI (and console) tests; keep them generic.
import { newCluster, type Cluster } from '../../src/api/cluster.js';
import type { DaemonInfo } from '../../src/api/contracts/daemon.js';
import type { ClusterId, NodeId, ServiceId, TaskId } from '../../src/api/ids.js';
import type { Node, NodeAvailability, NodeRole, NodeState, Reachability } from '../../src/api/node.js';
import { timestampOf, type Labels } from '../../src/api/object-meta.js';
import { newService, type Service } from '../../src/api/service.js';
import { withServiceDefaults, type ServiceSpecInput } from '../../src/api/service-spec.js';
import { newTask, type Task, type TaskStatus } from '../../src/api/task.js';
import type { DesiredState, TaskState } from '../../src/api/task-state.js';

/** 2020-06-20T05:57:17.57684293Z, the seed tutorial's first node. */
export const SEED_TIME = '2020-06-20T05:57:17.57684293Z';

export interface NodeOptions {
  readonly id: string;
  readonly hostname: string;
  readonly role?: NodeRole;
  readonly availability?: NodeAvailability;
  readonly state?: NodeState;
  readonly message?: string;
  readonly addr?: string;
  readonly leader?: boolean;
  readonly reachability?: Reachability;
  readonly engineVersion?: string;
  readonly labels?: Labels;
  readonly engineLabels?: Labels;
  readonly plugins?: ReadonlyArray<{ readonly Type: string; readonly Name: string }>;
  readonly name?: string;
  readonly createdAt?: string;
  readonly version?: number;
  readonly nanoCpus?: number;
  readonly memoryBytes?: number;
}

/** A node; managers get a ManagerStatus at `<addr>:2377`. */
export function makeNode(o: NodeOptions): Node {
  const role = o.role ?? 'worker';
  const addr = o.addr ?? '10.0.0.1';
  const at = o.createdAt ?? SEED_TIME;
  return {
    ID: o.id as NodeId,
    Version: { Index: o.version ?? 9 },
    CreatedAt: at,
    UpdatedAt: at,
    Spec: { ...(o.name !== undefined ? { Name: o.name } : {}), Labels: o.labels ?? {}, Role: role, Availability: o.availability ?? 'active' },
    Description: {
      Hostname: o.hostname,
      Platform: { Architecture: 'x86_64', OS: 'linux' },
      Resources: { NanoCPUs: o.nanoCpus ?? 4_000_000_000, MemoryBytes: o.memoryBytes ?? 3_958_075_392 },
      Engine: { EngineVersion: o.engineVersion ?? '0.1.0', Labels: o.engineLabels ?? {}, ...(o.plugins !== undefined ? { Plugins: o.plugins } : {}) },
    },
    Status: { State: o.state ?? 'ready', ...(o.message !== undefined ? { Message: o.message } : {}), Addr: addr },
    ...(role === 'manager' ? { ManagerStatus: { ...(o.leader === true ? { Leader: true } : {}), Reachability: o.reachability ?? 'reachable', Addr: `${addr}:2377` } } : {}),
  };
}

export const WORKER_TOKEN = 'SWMTKN-1-6difxlq3wc8emlwxzuw95gp8rmvbz2oq62kux3as0e4rbyqhk3-2m9x12n102ca4qlyjpseobzik';
export const MANAGER_TOKEN = 'SWMTKN-1-6difxlq3wc8emlwxzuw95gp8rmvbz2oq62kux3as0e4rbyqhk3-dqjeh8hp6cp99bksjc03b8yu3';

export function makeCluster(o: { readonly id?: string; readonly workerToken?: string; readonly managerToken?: string } = {}): Cluster {
  return newCluster({
    id: (o.id ?? '9vs5ygs0gguyyec4iqf2314c0') as ClusterId,
    nowMs: Date.parse('2020-06-20T05:57:17.000Z'),
    tlsInfo: { TrustRoot: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', CertIssuerSubject: 'MBMxETAPBgNVBAMTCHN3YXJtLWNh', CertIssuerPublicKey: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE' },
    rootCADigest: 'sha256:0000',
    joinTokens: { Worker: o.workerToken ?? WORKER_TOKEN, Manager: o.managerToken ?? MANAGER_TOKEN },
  });
}

/** The info of a daemon not in a swarm. */
export function inactiveInfo(name = 'docker-node01'): DaemonInfo {
  return {
    ID: 'shoald-4hxp',
    Name: name,
    ServerVersion: '0.1.0',
    Runtime: 'process',
    Swarm: { LocalNodeState: 'inactive', NodeID: '', NodeAddr: '', ControlAvailable: false, Error: '', RemoteManagers: [], ClusterID: '' },
  };
}

/** The info of a daemon whose node is `node`, in cluster `clusterId`. */
export function activeInfo(node: Node, managers: readonly Node[], clusterId: string): DaemonInfo {
  return {
    ...inactiveInfo(node.Description.Hostname),
    Swarm: {
      LocalNodeState: 'active',
      NodeID: node.ID,
      NodeAddr: node.Status.Addr,
      ControlAvailable: node.Spec.Role === 'manager',
      Error: '',
      RemoteManagers: managers.filter((m) => m.ManagerStatus !== undefined).map((m) => ({ NodeID: m.ID, Addr: m.ManagerStatus?.Addr ?? '' })),
      ClusterID: clusterId,
    },
  };
}

export function makeService(id: string, spec: ServiceSpecInput, createdMs = Date.parse(SEED_TIME)): Service {
  return newService(id as ServiceId, withServiceDefaults(spec), createdMs);
}

export interface TaskOptions {
  readonly id: string;
  readonly service: Service;
  readonly slot?: number;
  readonly nodeId?: string;
  readonly desired?: DesiredState;
  readonly state?: TaskState;
  /** When the task was created and its status last changed, in ms since the epoch. */
  readonly createdMs: number;
  readonly statusMs?: number;
  readonly err?: string;
  readonly ports?: TaskStatus['PortStatus'];
}

export function makeTask(o: TaskOptions): Task {
  const base = newTask({
    id: o.id as TaskId,
    serviceId: o.service.ID,
    spec: o.service.Spec,
    serviceVersion: o.service.Version,
    nowMs: o.createdMs,
    ...(o.slot !== undefined ? { slot: o.slot } : {}),
    ...(o.nodeId !== undefined && o.slot === undefined ? { nodeId: o.nodeId as NodeId } : {}),
    desiredState: o.desired ?? 'running',
  });
  return {
    ...base,
    ...(o.nodeId !== undefined ? { NodeID: o.nodeId as NodeId } : {}),
    Status: {
      Timestamp: timestampOf(o.statusMs ?? o.createdMs),
      State: o.state ?? 'running',
      Message: 'started',
      ...(o.err !== undefined ? { Err: o.err } : {}),
      ...(o.ports !== undefined ? { PortStatus: o.ports } : {}),
    },
  };
}
