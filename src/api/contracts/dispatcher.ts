// Agents (on every node) to the leader's dispatcher: a session that
// registers the node and streams what it must run, heartbeats, and batched
// task status reports. A follower manager refuses with the leader's address.
import { defineContract, stream, unary } from '../contract.js';
import * as s from '../schema.js';
import type { Task } from '../task.js';
import type { Node } from '../node.js';

const NODES = ['worker', 'manager'] as const;

export const nodeDescriptionSchema = s.object({
  Hostname: s.string({ min: 1, max: 253 }),
  Platform: s.object({ Architecture: s.string({ max: 64 }), OS: s.string({ max: 64 }) }),
  Resources: s.object({ NanoCPUs: s.number({ int: true, min: 0 }), MemoryBytes: s.number({ int: true, min: 0 }) }),
  Engine: s.object({ EngineVersion: s.string({ max: 64 }), Labels: s.record(s.string({ max: 1024 }), { max: 256 }) }),
});

export const sessionMessageSchema = s.tagged('kind', {
  /** The node as the store has it (role, availability, labels) and the managers to fall back to. */
  node: s.object({ node: s.storedObject<Node>('a node'), managers: s.array(s.object({ NodeID: s.string(), Addr: s.string() })), heartbeatMs: s.number({ int: true, min: 1 }) }),
  /** The complete set of tasks this node must run now (replaces the previous set). */
  assignments: s.object({ tasks: s.array(s.storedObject<Task>('a task')), serviceNames: s.record(s.string()) }),
});
export type SessionMessage = s.Infer<typeof sessionMessageSchema>;

export const taskStatusUpdateSchema = s.object({
  TaskID: s.string({ min: 1, max: 64 }),
  State: s.string({ min: 1, max: 32 }),
  Message: s.string({ max: 1024 }),
  Err: s.optional(s.string({ max: 4096 })),
  ExitCode: s.optional(s.number({ int: true })),
  ContainerID: s.optional(s.string({ max: 128 })),
  PID: s.optional(s.number({ int: true })),
  Timestamp: s.string({ max: 64 }),
});
export type TaskStatusUpdate = s.Infer<typeof taskStatusUpdateSchema>;

export const DispatcherContract = defineContract('Dispatcher', {
  session: stream(s.object({ description: nodeDescriptionSchema, addr: s.string({ max: 300 }) }), sessionMessageSchema, NODES),
  heartbeat: unary(s.object({}), s.object({ periodMs: s.number({ int: true, min: 1 }) }), NODES),
  updateTaskStatus: unary(s.object({ updates: s.array(taskStatusUpdateSchema, { max: 10_000 }) }), s.object({}), NODES),
});

export const RaftMembershipContract = defineContract('RaftMembership', {
  /**
   * A node the store says is a manager asks the leader to take it into
   * Raft (as a learner first, a voter once caught up). Returns the members.
   */
  join: unary(s.object({ addr: s.string({ min: 1, max: 300 }) }), s.object({ members: s.array(s.object({ NodeID: s.string(), Addr: s.string() })) }), ['manager']),
  /** A manager leaving (demoted, or `swarm leave --force`) asks to be removed. */
  leave: unary(s.object({}), s.object({}), ['manager']),
});
