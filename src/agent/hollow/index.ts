// Hollow nodes (after Kubernetes' kubemark): in-process agents that join
// with real tokens and certificates and speak the real dispatcher protocol
// over mutual TLS, but run no containers. For scale tests and benchmarks.
//
//   const fleet = new HollowFleet({ count: 1000, managers: ['127.0.90.1:2377'], token: workerToken });
//   const joined = await fleet.start();   // { joined, failed, errors, ms }
//   fleet.stats();                          // { connected, tasks, runningCommitted, ... }
//   await fleet.stop();
export { HollowFleet, hollowAddr, type FleetJoinResult, type FleetStats, type HollowFleetOptions } from './hollow-fleet.js';
export { HollowNode, hollowDescription, type HollowNodeEvents, type HollowNodeOptions, type HollowNodeState } from './hollow-node.js';
export { fetchPinnedCa, joinWithToken, nodeDialer, parseHostPort, type HollowCredentials, type JoinRequest, type JoinResult } from './hollow-join.js';
export { HollowTasks, goalOf, messageFor, nextState, type StateChange } from './hollow-tasks.js';
