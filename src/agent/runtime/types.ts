// The contract between the agent and a task runtime (docker or process).
//
// A runtime knows nothing of the manager's object model: the agent turns a
// task assignment into a RuntimeTaskSpec, and drives the runtime by task id.
// Every runtime marks what it creates with the task's identity (container
// labels, or a record file), so a restarted agent finds its tasks again with
// list() and adopts them instead of restarting them.

/** A file delivered to the task: a secret (under /run/secrets) or a config. */
export interface RuntimeFile {
  /** The secret's or config's name (for messages; never its data). */
  readonly name: string;
  /**
   * Where the task sees the file. Secrets: a file name under /run/secrets, or
   * an absolute path. Configs: an absolute path (a relative one is taken from /).
   */
  readonly target: string;
  readonly data: Uint8Array;
  /** Permission bits, e.g. 0o444. */
  readonly mode: number;
}

export type MountType = 'bind' | 'volume' | 'tmpfs';

export interface RuntimeMount {
  readonly type: MountType;
  /** Host path for bind, volume name for volume (anonymous when absent), unused for tmpfs. */
  readonly source?: string;
  readonly target: string;
  readonly readOnly?: boolean;
}

export interface RuntimePort {
  readonly protocol: 'tcp' | 'udp';
  readonly targetPort: number;
  /** Host-mode publishing: the port bound on this node. */
  readonly publishedPort: number;
}

export interface RuntimeHealthcheck {
  /** ["CMD", exe, ...args] | ["CMD-SHELL", "script"] | ["NONE"] */
  readonly test: readonly string[];
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Consecutive failures (after the start period) that make the task unhealthy. */
  readonly retries: number;
  /** Failures in this window after start do not count. */
  readonly startPeriodMs: number;
}

export interface RuntimeTaskSpec {
  readonly taskId: string;
  readonly serviceId: string;
  readonly serviceName: string;
  /** Replicated services: the slot number. Global services have none (keyed by node). */
  readonly slot?: number;
  readonly nodeId: string;
  readonly image: string;
  /** Replaces the image's entrypoint (and then args follow it). */
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  /** KEY=VALUE entries. */
  readonly env: readonly string[];
  readonly dir?: string;
  readonly user?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly mounts: readonly RuntimeMount[];
  readonly resources: { readonly nanoCPUs?: number; readonly memoryBytes?: number };
  readonly ports: readonly RuntimePort[];
  /** e.g. "SIGTERM" (the default), "SIGINT", "SIGQUIT". */
  readonly stopSignal?: string;
  readonly stopGracePeriodMs: number;
  readonly healthcheck?: RuntimeHealthcheck;
  readonly secrets: readonly RuntimeFile[];
  readonly configs: readonly RuntimeFile[];
}

/** The health of a task whose spec has a health check. */
export type HealthStatus = 'starting' | 'healthy' | 'unhealthy';

/**
 * What the runtime observes of one task. `starting` means the task's process
 * runs but its health check has not yet passed; `running` means it runs and
 * is healthy, unhealthy (reported, the agent decides) or has no health check.
 */
export type ObservedState =
  | { readonly state: 'created' }
  | { readonly state: 'starting'; readonly pid: number; readonly health: 'starting' }
  | { readonly state: 'running'; readonly pid: number; readonly health?: 'healthy' | 'unhealthy' }
  | {
      readonly state: 'exited';
      /** -1 when the exit status could not be known (see `error`). */
      readonly exitCode: number;
      readonly oomKilled?: boolean;
      readonly error?: string;
    };

/** The identity a runtime stores with each task (labels or a record). */
export interface TaskIdentity {
  readonly taskId: string;
  readonly serviceId: string;
  readonly serviceName: string;
  readonly nodeId: string;
}

export interface ObservedTask extends TaskIdentity {
  /** The container id (docker) or `pid:<supervisor pid>` (process); stable across adoption. */
  readonly runtimeId: string;
  readonly image: string;
  readonly observed: ObservedState;
}

export type RuntimeEvent =
  | { readonly taskId: string; readonly kind: 'started' }
  | { readonly taskId: string; readonly kind: 'exited'; readonly exitCode: number }
  | { readonly taskId: string; readonly kind: 'health'; readonly status: HealthStatus }
  | { readonly taskId: string; readonly kind: 'oom' }
  | { readonly taskId: string; readonly kind: 'removed' };

/**
 * A subscription to a runtime's events. `ready` resolves once it is live (the
 * docker runtime has connected to the engine's stream): nothing that happens
 * after that is missed. Subscribe, await ready, then list() for the state.
 */
export interface RuntimeEventStream extends AsyncIterable<RuntimeEvent> {
  readonly ready: Promise<void>;
}

export interface LogEntry {
  readonly stream: 'stdout' | 'stderr';
  /** One line, without its newline. */
  readonly line: string;
  /** When the line was written (as recorded by the engine or the supervisor). */
  readonly time: Date;
}

export interface LogOptions {
  /** Keep the iterable open for new lines until the task exits or `signal` aborts. */
  readonly follow?: boolean;
  /** Only the last `tail` lines of what is already there (all when absent). */
  readonly tail?: number;
  readonly signal?: AbortSignal;
}

/**
 * One runtime drives tasks on this node. All methods take the task id; errors
 * are ShoalErrors: NotFound (no such task, no such image), InvalidArgument
 * (a spec the runtime cannot run: bad mount source, no command),
 * Unavailable (the engine does not answer), FailedPrecondition.
 */
export interface TaskRuntime {
  readonly kind: 'docker' | 'process';
  /** Pull the image if absent, write secrets/configs, create (not start) the task. */
  prepare(spec: RuntimeTaskSpec, signal?: AbortSignal): Promise<ObservedTask>;
  start(taskId: string): Promise<void>;
  /** The stop signal, then SIGKILL after `graceMs`. Resolves once the task has exited. */
  stop(taskId: string, graceMs: number): Promise<void>;
  /** Kill if running, delete the task and its files. Removing an unknown task is not an error. */
  remove(taskId: string): Promise<void>;
  inspect(taskId: string): Promise<ObservedTask>;
  /** The tasks this runtime holds for this node, running or not; adopts them. */
  list(): Promise<ObservedTask[]>;
  /**
   * Lifecycle events for this node's tasks until `signal` aborts. Survives the
   * engine going away: reconnects and reports what changed meanwhile.
   */
  events(signal: AbortSignal): RuntimeEventStream;
  logs(taskId: string, options?: LogOptions): AsyncIterable<LogEntry>;
  /** Release timers, watchers and connections. Tasks keep running. */
  close(): Promise<void>;
}
