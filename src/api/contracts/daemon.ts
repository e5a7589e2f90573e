// The local control socket of a shoald: what only the host's operator may
// do to this node itself (join or leave a swarm), and what it is.
import { defineContract, unary } from '../contract.js';
import * as s from '../schema.js';

export const LOCAL_NODE_STATES = ['inactive', 'pending', 'active', 'error', 'locked'] as const;

const remoteManager = s.object({ NodeID: s.string(), Addr: s.string() });

/** `docker info`'s Swarm section, plus this node's names. */
export const infoSchema = s.object({
  ID: s.string(),
  Name: s.string(),
  ServerVersion: s.string(),
  Runtime: s.string(),
  Swarm: s.object({
    LocalNodeState: s.literal(...LOCAL_NODE_STATES),
    NodeID: s.string(),
    NodeAddr: s.string(),
    ControlAvailable: s.boolean(),
    Error: s.string(),
    RemoteManagers: s.array(remoteManager),
    ClusterID: s.string(),
  }),
});
export type DaemonInfo = s.Infer<typeof infoSchema>;

export const swarmInitRequest = s.object({
  advertiseAddr: s.optional(s.string({ max: 300 })),
  listenAddr: s.optional(s.string({ max: 300 })),
  forceNewCluster: s.optional(s.boolean()),
  defaultAddrPool: s.optional(s.array(s.string({ max: 64 }), { max: 64 })),
  subnetSize: s.optional(s.number({ int: true, min: 1, max: 32 })),
  /** Nanoseconds, as Docker's API. */
  dispatcherHeartbeat: s.optional(s.number({ int: true, min: 0 })),
  taskHistoryLimit: s.optional(s.number({ int: true, min: 0, max: 1000 })),
});
export type SwarmInitRequest = s.Infer<typeof swarmInitRequest>;

export const swarmJoinRequest = s.object({
  token: s.string({ min: 1, max: 500 }),
  remoteAddr: s.string({ min: 1, max: 300 }),
  advertiseAddr: s.optional(s.string({ max: 300 })),
  listenAddr: s.optional(s.string({ max: 300 })),
  availability: s.optional(s.literal('active', 'pause', 'drain')),
});
export type SwarmJoinRequest = s.Infer<typeof swarmJoinRequest>;

export const DaemonContract = defineContract('Daemon', {
  info: unary(s.object({}), infoSchema, ['local']),
  /** Returns the new node id and the worker join command's parts. */
  swarmInit: unary(swarmInitRequest, s.object({ nodeId: s.string(), workerToken: s.string(), advertiseAddr: s.string() }), ['local']),
  swarmJoin: unary(swarmJoinRequest, s.object({ nodeId: s.string(), role: s.literal('manager', 'worker') }), ['local']),
  swarmLeave: unary(s.object({ force: s.optional(s.boolean()) }), s.object({}), ['local']),
});
