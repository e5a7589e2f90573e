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

// ---- logs: the leader asks agents for their tasks' logs ----

const subscriptionId = s.string({ min: 1, max: 64 });

/** What the leader's log broker asks of an agent, on the agent's `logSubscriptions` stream. */
export const logSubscriptionMessageSchema = s.tagged('kind', {
  /**
   * Send the logs of these tasks (those this node holds; others are skipped):
   * the last `tail` lines of each (all when absent), then, with `follow`, new
   * lines as they are written. A second `subscribe` with the same id adds tasks.
   */
  subscribe: s.object({
    subscriptionId,
    taskIds: s.array(s.string({ min: 1, max: 64 }), { max: 10_000 }),
    follow: s.boolean(),
    tail: s.optional(s.number({ int: true, min: 0 })),
  }),
  /** The client went away: stop reading and sending. */
  cancel: s.object({ subscriptionId }),
});
export type LogSubscriptionMessage = s.Infer<typeof logSubscriptionMessageSchema>;

export const publishedLogLineSchema = s.object({
  TaskID: s.string({ min: 1, max: 64 }),
  Stream: s.literal('stdout', 'stderr'),
  Line: s.string({ max: 1 << 16 }),
  /** RFC 3339, as the runtime recorded the line. */
  Time: s.string({ max: 64 }),
});
export type PublishedLogLine = s.Infer<typeof publishedLogLineSchema>;

export const LOG_PUBLISH_MAX_LINES = 1000;

export const LogBrokerContract = defineContract('LogBroker', {
  /** An agent's standing stream of log requests from the leader (one per node). */
  logSubscriptions: stream(s.object({}), logSubscriptionMessageSchema, NODES),
  /**
   * Lines for a subscription, in order per task; `done` once every task of the
   * subscription on this node has no more (never, while following). Waits
   * while the client is slow (backpressure); NotFound once the subscription
   * is over, so the agent stops.
   */
  publishLogs: unary(
    s.object({ subscriptionId, lines: s.array(publishedLogLineSchema, { max: LOG_PUBLISH_MAX_LINES }), done: s.boolean() }),
    s.object({}),
    NODES,
  ),
});
