// The manager's control API (swarmkit's controlapi): what the CLI and the
// console call on any manager. Writes go through Raft; reads are
// linearizable. Over the local socket only a manager node serves it.
import type { Cluster } from '../cluster.js';
import { defineContract, stream, unary } from '../contract.js';
import type { Node } from '../node.js';
import * as s from '../schema.js';
import type { Service } from '../service.js';
import type { Task } from '../task.js';

const CALLERS = ['manager', 'local'] as const;
const ref = s.string({ min: 1, max: 256 });
const version = s.number({ int: true, min: 0 });
const node = s.storedObject<Node>('a node');
const service = s.storedObject<Service>('a service');
const task = s.storedObject<Task>('a task');
const cluster = s.storedObject<Cluster>('a cluster');

export const raftMemberSchema = s.object({
  NodeID: s.string(),
  Addr: s.string(),
  Role: s.literal('voter', 'learner'),
  Leader: s.boolean(),
  Reachability: s.literal('reachable', 'unreachable', 'unknown'),
  MatchIndex: s.number({ int: true }),
  Lag: s.number({ int: true }),
});

export const raftStatusSchema = s.object({
  Term: s.number({ int: true }),
  LeaderID: s.nullable(s.string()),
  CommitIndex: s.number({ int: true }),
  AppliedIndex: s.number({ int: true }),
  Members: s.array(raftMemberSchema),
});
export type RaftStatusView = s.Infer<typeof raftStatusSchema>;

export const watchEventSchema = s.object({
  Action: s.literal('create', 'update', 'remove'),
  Table: s.literal('nodes', 'services', 'tasks', 'networks', 'secrets', 'configs', 'clusters'),
  /** The object after the change (before it, for remove). */
  Object: s.storedObject<{ ID: string }>('an object'),
  /** Raft index of the change. */
  Index: s.number({ int: true }),
});
export type WatchEvent = s.Infer<typeof watchEventSchema>;

/** One line a task's container wrote (`service logs`). */
export const logLineSchema = s.object({
  TaskID: s.string(),
  NodeID: s.string(),
  Stream: s.literal('stdout', 'stderr'),
  /** The line without its newline. */
  Line: s.string(),
  /** When the container wrote it, RFC 3339 with nanoseconds as Docker prints it. */
  Time: s.string(),
});
export type LogLine = s.Infer<typeof logLineSchema>;

export const ControlContract = defineContract('Control', {
  listNodes: unary(s.object({}), s.object({ nodes: s.array(node) }), CALLERS),
  /** `ref` is an id, a unique id prefix, or a hostname. */
  getNode: unary(s.object({ ref }), node, CALLERS),
  /** `spec` is a NodeSpec (checked by the manager); `version` the one read. */
  updateNode: unary(s.object({ ref, version, spec: s.unknownValue() }), node, CALLERS),
  removeNode: unary(s.object({ ref, force: s.optional(s.boolean()) }), s.object({ id: s.string() }), CALLERS),

  getCluster: unary(s.object({}), cluster, CALLERS),
  updateCluster: unary(
    s.object({ version, spec: s.optional(s.unknownValue()), rotateWorkerToken: s.optional(s.boolean()), rotateManagerToken: s.optional(s.boolean()) }),
    cluster,
    CALLERS,
  ),
  raftStatus: unary(s.object({}), raftStatusSchema, CALLERS),

  listServices: unary(s.object({}), s.object({ services: s.array(service) }), CALLERS),
  /** `ref` is an id, a unique id prefix, or a name. */
  getService: unary(s.object({ ref }), service, CALLERS),
  createService: unary(s.object({ spec: s.unknownValue() }), s.object({ id: s.string(), warnings: s.array(s.string()) }), CALLERS),
  updateService: unary(
    s.object({
      ref,
      version,
      spec: s.optional(s.unknownValue()),
      /** Return to the previous spec (`service rollback`), or to a kept version (`--to-version`). */
      rollback: s.optional(s.object({ toVersion: s.optional(s.number({ int: true, min: 0 })) })),
    }),
    s.object({ warnings: s.array(s.string()) }),
    CALLERS,
  ),
  removeService: unary(s.object({ ref }), s.object({ id: s.string() }), CALLERS),

  listTasks: unary(
    s.object({ serviceIds: s.optional(s.array(s.string(), { max: 1000 })), nodeIds: s.optional(s.array(s.string(), { max: 1000 })) }),
    s.object({ tasks: s.array(task) }),
    CALLERS,
  ),
  getTask: unary(s.object({ ref }), task, CALLERS),

  /** Every committed change, starting with a snapshot of what exists (as create events), no gap. */
  watch: stream(s.object({ tables: s.optional(s.array(s.string(), { max: 10 })) }), watchEventSchema, CALLERS),

  /**
   * The logs of a service's tasks, or of one task: `ref` is a service (id,
   * prefix or name) or a task id. The last `tail` lines of each task (all
   * when absent), then, with `follow`, new lines as they are written.
   */
  serviceLogs: stream(
    s.object({ ref, follow: s.boolean(), tail: s.optional(s.number({ int: true, min: 0 })), timestamps: s.boolean() }),
    logLineSchema,
    CALLERS,
  ),
});
