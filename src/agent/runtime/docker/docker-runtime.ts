// The docker runtime: one container per task, named <service>.<slot>.<taskId>
// and labelled with the task's identity, so list() finds this node's tasks
// after an agent restart and they are adopted, not restarted.
//
// Secrets are files on a tmpfs (`secretsDir`, refused unless it is one),
// bind-mounted read-only at /run/secrets: never in the container's env, never
// on disk, never logged. Configs are files under `stateDir`, bind-mounted
// read-only at their targets.
import { mkdir, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { ShoalError } from '../../../api/errors.js';
import { AsyncQueue } from '../async-queue.js';
import { isSafeTaskId, LABEL_NODE_ID, LABEL_TASK_ID } from '../labels.js';
import { planContainerFiles, writeFilePlan } from '../task-files.js';
import type { LogEntry, LogOptions, ObservedTask, RuntimeEventStream, RuntimeTaskSpec, TaskRuntime } from '../types.js';
import { containerCreateOptions } from './container-config.js';
import { observedTask } from './container-state.js';
import { EngineError, type EngineClient } from './engine-client.js';
import { DockerodeClient } from './dockerode-client.js';
import { dockerEvents } from './event-stream.js';
import { DockerLogDecoder } from './log-demux.js';

const TMPFS_MAGIC = 0x01021994;
const RAMFS_MAGIC = 0x858458f6;

export interface DockerRuntimeOptions {
  /** Only this node's containers are listed, adopted and reported. */
  readonly nodeId: string;
  /** The agent's state dir; configs go under `<stateDir>/docker/<taskId>/`. */
  readonly stateDir: string;
  /** A directory on a tmpfs for secret files; default /dev/shm/shoal-secrets/<nodeId>. */
  readonly secretsDir?: string;
  readonly client?: EngineClient;
  /** Give up a pull after this long (default 120 s). */
  readonly pullTimeoutMs?: number;
  /** Event stream reconnect backoff (default 100 ms doubling to 5 s). */
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Told when the event stream is lost (and about to be re-established). */
  readonly onEventStreamLost?: (reason: string) => void;
}

function engineFailure(context: string, error: unknown): ShoalError {
  if (error instanceof ShoalError) return error;
  if (!(error instanceof EngineError)) return new ShoalError('Internal', `${context}: ${String(error)}`);
  const message = `${context}: ${error.message}`;
  switch (error.statusCode) {
    case undefined:
      return new ShoalError('Unavailable', `${context}: the Docker engine does not answer: ${error.message}`);
    case 400:
      return new ShoalError('InvalidArgument', message);
    case 404:
      return new ShoalError('NotFound', message);
    case 409:
      return new ShoalError('FailedPrecondition', message);
    default:
      return new ShoalError('Internal', message);
  }
}

export class DockerRuntime implements TaskRuntime {
  readonly kind = 'docker' as const;
  private readonly client: EngineClient;
  private readonly secretsRoot: string;
  private readonly configsRoot: string;
  /** taskId -> container id, filled by prepare/list/lookups; a cache, not the truth. */
  private readonly containers = new Map<string, string>();
  private readonly closing = new AbortController();

  constructor(private readonly options: DockerRuntimeOptions) {
    this.client = options.client ?? new DockerodeClient();
    this.secretsRoot = options.secretsDir ?? join('/dev/shm/shoal-secrets', options.nodeId);
    this.configsRoot = join(options.stateDir, 'docker');
  }

  async prepare(spec: RuntimeTaskSpec, signal?: AbortSignal): Promise<ObservedTask> {
    if (!isSafeTaskId(spec.taskId)) throw new ShoalError('InvalidArgument', `invalid task id ${JSON.stringify(spec.taskId)}`, 'taskId');
    if (spec.nodeId !== this.options.nodeId) {
      throw new ShoalError('InvalidArgument', `task ${spec.taskId} is for node ${spec.nodeId}, this is ${this.options.nodeId}`, 'nodeId');
    }
    const existing = await this.findContainer(spec.taskId);
    if (existing !== undefined) return this.inspect(spec.taskId);
    await this.ensureImage(spec.image, signal);
    const secretsDir = join(this.secretsRoot, spec.taskId);
    const configsDir = join(this.configsRoot, spec.taskId, 'configs');
    const plan = planContainerFiles(spec, secretsDir, configsDir);
    try {
      if (spec.secrets.length > 0) await this.checkTmpfs();
      await writeFilePlan(plan, 0o755);
      const { name, body } = containerCreateOptions(spec, plan.mounts);
      const id = await this.client.createContainer(name, body);
      this.containers.set(spec.taskId, id);
    } catch (error) {
      await this.removeFiles(spec.taskId);
      throw engineFailure(`cannot create the container for task ${spec.taskId}`, error);
    }
    return this.inspect(spec.taskId);
  }

  async start(taskId: string): Promise<void> {
    const id = await this.containerId(taskId);
    try {
      await this.client.startContainer(id);
    } catch (error) {
      // 304: already started.
      if (error instanceof EngineError && error.statusCode === 304) return;
      throw engineFailure(`cannot start task ${taskId}`, error);
    }
  }

  async stop(taskId: string, graceMs: number): Promise<void> {
    const id = await this.containerId(taskId);
    const container = await this.client.inspectContainer(id);
    if (container === undefined || !isUp(container.state.status)) return;
    if (!(await this.kill(id, container.stopSignal ?? 'SIGTERM'))) return;
    const graceOver = AbortSignal.timeout(Math.max(0, graceMs));
    try {
      await this.client.waitContainer(id, graceOver);
      return;
    } catch (error) {
      if (!graceOver.aborted) throw engineFailure(`cannot stop task ${taskId}`, error);
    }
    await this.kill(id, 'SIGKILL');
    await this.client.waitContainer(id).catch((error: unknown) => {
      throw engineFailure(`cannot stop task ${taskId}`, error);
    });
  }

  async remove(taskId: string): Promise<void> {
    const id = await this.findContainer(taskId);
    if (id !== undefined) {
      try {
        await this.client.removeContainer(id, true);
      } catch (error) {
        if (!(error instanceof EngineError && error.statusCode === 404)) {
          throw engineFailure(`cannot remove task ${taskId}`, error);
        }
      }
    }
    this.containers.delete(taskId);
    await this.removeFiles(taskId);
  }

  async inspect(taskId: string): Promise<ObservedTask> {
    const id = await this.containerId(taskId);
    const container = await this.client.inspectContainer(id).catch((error: unknown) => {
      throw engineFailure(`cannot inspect task ${taskId}`, error);
    });
    const task = container === undefined ? undefined : observedTask(container);
    if (task === undefined) {
      this.containers.delete(taskId);
      throw new ShoalError('NotFound', `no such task: ${taskId}`);
    }
    return task;
  }

  async list(): Promise<ObservedTask[]> {
    try {
      const summaries = await this.client.listContainers([`${LABEL_NODE_ID}=${this.options.nodeId}`]);
      const tasks: ObservedTask[] = [];
      for (const summary of summaries) {
        const container = await this.client.inspectContainer(summary.id);
        const task = container === undefined ? undefined : observedTask(container);
        if (task === undefined) continue;
        this.containers.set(task.taskId, task.runtimeId);
        tasks.push(task);
      }
      return tasks;
    } catch (error) {
      throw engineFailure('cannot list tasks', error);
    }
  }

  events(signal: AbortSignal): RuntimeEventStream {
    return dockerEvents(
      {
        client: this.client,
        nodeId: this.options.nodeId,
        list: () => this.list(),
        minBackoffMs: this.options.minBackoffMs ?? 100,
        maxBackoffMs: this.options.maxBackoffMs ?? 5000,
        onEvent: (event) => {
          if (event.kind === 'removed') this.containers.delete(event.taskId);
        },
        ...(this.options.onEventStreamLost === undefined ? {} : { onDisconnect: this.options.onEventStreamLost }),
      },
      AbortSignal.any([signal, this.closing.signal]),
    );
  }

  logs(taskId: string, options: LogOptions = {}): AsyncIterable<LogEntry> {
    const signal = AbortSignal.any([options.signal ?? new AbortController().signal, this.closing.signal]);
    const queue = new AsyncQueue<LogEntry>(signal);
    const pump = async (): Promise<void> => {
      const id = await this.containerId(taskId);
      const chunks = await this.client
        .logs(id, { follow: options.follow === true, tail: options.tail, signal })
        .catch((error: unknown) => {
          throw engineFailure(`cannot read the logs of task ${taskId}`, error);
        });
      const decoder = new DockerLogDecoder();
      for await (const chunk of chunks) {
        for (const entry of decoder.push(chunk)) queue.push(entry);
        if (!queue.isOpen) return;
      }
      for (const entry of decoder.flush()) queue.push(entry);
      queue.end();
    };
    pump().catch((error: unknown) => queue.fail(error));
    return queue;
  }

  async close(): Promise<void> {
    this.closing.abort();
  }

  /** Whether the signal was delivered (false: the container was not running). */
  private async kill(id: string, signal: string): Promise<boolean> {
    try {
      await this.client.killContainer(id, signal);
      return true;
    } catch (error) {
      if (error instanceof EngineError && (error.statusCode === 409 || error.statusCode === 404)) return false;
      throw engineFailure(`cannot signal container ${id.slice(0, 12)}`, error);
    }
  }

  private async containerId(taskId: string): Promise<string> {
    const id = await this.findContainer(taskId);
    if (id === undefined) throw new ShoalError('NotFound', `no such task: ${taskId}`);
    return id;
  }

  private async findContainer(taskId: string): Promise<string | undefined> {
    const cached = this.containers.get(taskId);
    if (cached !== undefined) return cached;
    const found = await this.client
      .listContainers([`${LABEL_TASK_ID}=${taskId}`, `${LABEL_NODE_ID}=${this.options.nodeId}`])
      .catch((error: unknown) => {
        throw engineFailure(`cannot look up task ${taskId}`, error);
      });
    const id = found[0]?.id;
    if (id !== undefined) this.containers.set(taskId, id);
    return id;
  }

  /** Never pull an image that is present; a failed pull says which image and why. */
  private async ensureImage(image: string, signal: AbortSignal | undefined): Promise<void> {
    try {
      if (await this.client.imageExists(image)) return;
    } catch (error) {
      throw engineFailure(`cannot inspect image ${image}`, error);
    }
    const timeout = AbortSignal.timeout(this.options.pullTimeoutMs ?? 120_000);
    try {
      await this.client.pullImage(image, signal === undefined ? timeout : AbortSignal.any([signal, timeout]));
    } catch (error) {
      // The engine answered the inspect above, so this is the pull's own failure.
      const why = timeout.aborted ? 'the pull timed out' : error instanceof Error ? error.message : String(error);
      throw new ShoalError('NotFound', `No such image: ${image} (pull failed: ${why})`, 'image');
    }
  }

  private async checkTmpfs(): Promise<void> {
    await mkdir(this.secretsRoot, { recursive: true, mode: 0o700 });
    const stats = await statfs(this.secretsRoot);
    if (stats.type !== TMPFS_MAGIC && stats.type !== RAMFS_MAGIC) {
      throw new ShoalError(
        'FailedPrecondition',
        `secrets directory ${this.secretsRoot} is not on a tmpfs: secrets are never written to disk`,
      );
    }
  }

  private async removeFiles(taskId: string): Promise<void> {
    await rm(join(this.secretsRoot, taskId), { recursive: true, force: true });
    await rm(join(this.configsRoot, taskId), { recursive: true, force: true });
  }
}

function isUp(status: string): boolean {
  return status === 'running' || status === 'paused' || status === 'restarting';
}
