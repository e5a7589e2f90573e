// The process runtime, the embedded default where no Docker engine answers:
// each task is a command run by its own supervisor (supervisor.mjs), detached
// into its own session and process group, with its files, log and exit record
// in <stateDir>/tasks/<taskId>/ (see task-record.ts). The supervisor outlives
// the agent; a restarted agent adopts running tasks from their records (same
// pid, same /proc start time) instead of restarting them.
//
// A process has no image, no mount namespace and no cgroup here: the image
// is recorded only; bind sources are checked but mounts are not applied;
// resources and published ports are not enforced (the task binds its port).
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ShoalError } from '../../../api/errors.js';
import { AsyncQueue } from '../async-queue.js';
import { isSafeTaskId } from '../labels.js';
import { planProcessFiles, writeFilePlan } from '../task-files.js';
import type {
  LogEntry,
  LogOptions,
  ObservedState,
  ObservedTask,
  RuntimeEvent,
  RuntimeEventStream,
  RuntimeTaskSpec,
  TaskRuntime,
} from '../types.js';
import { envObject, processArgv } from './command-line.js';
import { readLogFile } from './log-file.js';
import { isSameProcessAlive, readProcStatNow } from './proc-stat.js';
import { RunningTask, type ChildExit, type RunningTaskOptions } from './running-task.js';
import { readSupervisorHandshake } from './supervisor-handshake.js';
import * as files from './task-record.js';

const SUPERVISOR = fileURLToPath(new URL('./supervisor.mjs', import.meta.url));
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface ProcessRuntimeOptions {
  readonly nodeId: string;
  /** Task dirs live in `<stateDir>/tasks/`. */
  readonly stateDir: string;
  /** The node executable that runs supervisors (default: this one). */
  readonly nodePath?: string;
  /** How often an adopted task's supervisor is checked for life (default 1 s). */
  readonly livenessPollMs?: number;
  /** How long start() waits for the supervisor to launch the command (default 10 s). */
  readonly startTimeoutMs?: number;
}

type Started = files.TaskRecord & { readonly supervisor: NonNullable<files.TaskRecord['supervisor']> };

export class ProcessRuntime implements TaskRuntime {
  readonly kind = 'process' as const;
  private readonly running = new Map<string, RunningTask>();
  private readonly subscribers = new Set<AsyncQueue<RuntimeEvent>>();
  private readonly closing = new AbortController();

  constructor(private readonly options: ProcessRuntimeOptions) {}

  async prepare(spec: RuntimeTaskSpec): Promise<ObservedTask> {
    if (!isSafeTaskId(spec.taskId)) throw new ShoalError('InvalidArgument', `invalid task id ${JSON.stringify(spec.taskId)}`, 'taskId');
    if (spec.nodeId !== this.options.nodeId) {
      throw new ShoalError('InvalidArgument', `task ${spec.taskId} is for node ${spec.nodeId}, this is ${this.options.nodeId}`, 'nodeId');
    }
    const dir = this.dir(spec.taskId);
    if ((await files.readTaskRecord(dir)) !== undefined) return this.inspect(spec.taskId);
    const argv = processArgv(spec);
    if (spec.user !== undefined && spec.user !== '') {
      throw new ShoalError('InvalidArgument', `task ${spec.taskId}: the process runtime runs tasks as the agent's user; no user can be set`, 'user');
    }
    for (const mount of spec.mounts) {
      if (mount.type === 'bind' && !(await exists(mount.source ?? ''))) {
        throw new ShoalError('InvalidArgument', `invalid mount config for type "bind": bind source path does not exist: ${mount.source ?? ''}`, 'mounts');
      }
    }
    let cwd = dir;
    if (spec.dir !== undefined && spec.dir !== '') {
      cwd = isAbsolute(spec.dir) ? spec.dir : join(dir, spec.dir);
      if (isAbsolute(spec.dir) && !(await exists(spec.dir))) {
        throw new ShoalError('InvalidArgument', `task ${spec.taskId}: working directory ${spec.dir} does not exist`, 'dir');
      }
    }
    const plan = planProcessFiles(spec, dir);
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      if (cwd !== dir) await mkdir(cwd, { recursive: true });
      await writeFilePlan(plan, 0o700);
      await files.writeTaskRecord(dir, {
        version: 1,
        taskId: spec.taskId,
        serviceId: spec.serviceId,
        serviceName: spec.serviceName,
        nodeId: spec.nodeId,
        slot: spec.slot,
        image: spec.image,
        labels: { ...spec.labels },
        argv,
        env: envObject(spec.env, { PATH: process.env['PATH'] ?? DEFAULT_PATH, HOME: dir }),
        cwd,
        stopSignal: spec.stopSignal !== undefined && spec.stopSignal !== '' ? spec.stopSignal : 'SIGTERM',
        stopGracePeriodMs: spec.stopGracePeriodMs,
        healthcheck: spec.healthcheck,
        createdAt: new Date().toISOString(),
        supervisor: undefined,
      });
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error instanceof ShoalError ? error : new ShoalError('Internal', `cannot prepare task ${spec.taskId}: ${String(error)}`);
    }
    return this.inspect(spec.taskId);
  }

  async start(taskId: string): Promise<void> {
    const dir = this.dir(taskId);
    const record = await this.record(taskId);
    if ((await files.readExitRecord(dir)) !== undefined) {
      throw new ShoalError('FailedPrecondition', `task ${taskId} has already run; a task runs once`);
    }
    if (record.supervisor !== undefined && (await alive(record.supervisor))) return;
    const supervisorLog = openSync(join(dir, 'supervisor.log'), 'a', 0o600);
    const child = spawn(this.options.nodePath ?? process.execPath, [SUPERVISOR, dir], {
      detached: true,
      stdio: ['ignore', 'pipe', supervisorLog],
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? DEFAULT_PATH },
    });
    // Listen at once: Node discards unread stdio of a child that exits (it
    // may, before the next await, when the command is short).
    const handshaking = readSupervisorHandshake(child, this.options.startTimeoutMs ?? 10_000);
    const childExit = new Promise<ChildExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const pid = child.pid;
    const procStat = pid === undefined ? undefined : readProcStatNow(pid);
    closeSync(supervisorLog);
    if (pid === undefined || procStat === undefined) {
      throw new ShoalError('Internal', `task ${taskId}: cannot start its supervisor (${process.execPath})`);
    }
    const started: Started = {
      ...record,
      supervisor: { pid, startTime: procStat.startTime, startedAt: new Date().toISOString() },
    };
    await files.writeTaskRecord(dir, started);
    // Watch at once (synchronously after the record is written), so a
    // concurrent list() finds it; it reports an exit only after 'started'.
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    this.running.get(taskId)?.dispose();
    this.watch(dir, started, { childExit, gate }, undefined);
    const handshake = await handshaking;
    child.unref();
    if (handshake.kind === 'ok') this.emit({ taskId, kind: 'started' });
    openGate();
    if (handshake.kind === 'failed') {
      const detail = await readFile(join(dir, 'supervisor.log'), 'utf8').catch(() => '');
      const why = detail.trim() === '' ? '' : ` (supervisor: ${detail.trim().split('\n').slice(-3).join(' | ')})`;
      throw new ShoalError('InvalidArgument', `cannot start task ${taskId}: ${handshake.message}${why}`);
    }
  }

  async stop(taskId: string, graceMs: number): Promise<void> {
    const record = await this.record(taskId);
    const task = await this.adopt(record);
    if (task === undefined || record.supervisor === undefined) return;
    const pgid = record.supervisor.pid;
    signalGroup(pgid, record.stopSignal);
    const graceOver = new AbortController();
    const timer = setTimeout(() => graceOver.abort(), Math.max(0, graceMs));
    const exitedInTime = await Promise.race([
      task.exited.then(() => true),
      new Promise<boolean>((resolve) => graceOver.signal.addEventListener('abort', () => resolve(false))),
    ]);
    clearTimeout(timer);
    if (!exitedInTime) task.markKilled();
    // Also ends what the task left behind in its group.
    signalGroup(pgid, 'SIGKILL');
    await this.untilExit(task);
  }

  async remove(taskId: string): Promise<void> {
    const dir = this.dir(taskId);
    const record = await files.readTaskRecord(dir);
    if (record === undefined) {
      await rm(dir, { recursive: true, force: true });
      return;
    }
    const task = await this.adopt(record);
    if (task !== undefined && record.supervisor !== undefined) {
      task.markKilled();
      signalGroup(record.supervisor.pid, 'SIGKILL');
      await this.untilExit(task);
    }
    this.running.get(taskId)?.dispose();
    this.running.delete(taskId);
    await rm(dir, { recursive: true, force: true });
    this.emit({ taskId, kind: 'removed' });
  }

  async inspect(taskId: string): Promise<ObservedTask> {
    return this.observe(await this.record(taskId));
  }

  async list(): Promise<ObservedTask[]> {
    let names: string[];
    try {
      names = await readdir(join(this.options.stateDir, 'tasks'));
    } catch {
      return [];
    }
    const tasks: ObservedTask[] = [];
    for (const name of names.sort()) {
      const record = await files.readTaskRecord(join(this.options.stateDir, 'tasks', name));
      if (record === undefined || record.nodeId !== this.options.nodeId || record.taskId !== name) continue;
      tasks.push(await this.observe(record));
    }
    return tasks;
  }

  events(signal: AbortSignal): RuntimeEventStream {
    const queue = new AsyncQueue<RuntimeEvent>(AbortSignal.any([signal, this.closing.signal]));
    this.subscribers.add(queue);
    queue.onClose(() => this.subscribers.delete(queue));
    return Object.assign(queue, { ready: Promise.resolve() });
  }

  logs(taskId: string, options: LogOptions = {}): AsyncIterable<LogEntry> {
    const dir = this.dir(taskId);
    const signal = AbortSignal.any([options.signal ?? new AbortController().signal, this.closing.signal]);
    const record = (): Promise<files.TaskRecord> => this.record(taskId);
    return (async function* () {
      const first = await record();
      yield* readLogFile(files.logPath(dir), {
        ...(options.tail === undefined ? {} : { tail: options.tail }),
        follow: options.follow === true,
        signal,
        writerDone: async () => {
          if ((await files.readExitRecord(dir)) !== undefined) return true;
          const current = (await files.readTaskRecord(dir)) ?? first;
          return current.supervisor !== undefined && !(await alive(current.supervisor));
        },
      });
    })();
  }

  async close(): Promise<void> {
    this.closing.abort();
    for (const task of this.running.values()) task.dispose();
    this.running.clear();
  }

  private dir(taskId: string): string {
    if (!isSafeTaskId(taskId)) throw new ShoalError('InvalidArgument', `invalid task id ${JSON.stringify(taskId)}`, 'taskId');
    return files.taskDir(this.options.stateDir, taskId);
  }

  private async record(taskId: string): Promise<files.TaskRecord> {
    const record = await files.readTaskRecord(this.dir(taskId));
    if (record === undefined || record.nodeId !== this.options.nodeId) throw new ShoalError('NotFound', `no such task: ${taskId}`);
    return record;
  }

  /** The watch of a task whose supervisor is alive (adopting it if need be); undefined if it is not running. */
  private async adopt(record: files.TaskRecord): Promise<RunningTask | undefined> {
    const existing = this.running.get(record.taskId);
    if (existing !== undefined) return existing;
    const dir = this.dir(record.taskId);
    if (record.supervisor === undefined || !(await alive(record.supervisor))) return undefined;
    if ((await files.readExitRecord(dir)) !== undefined) return undefined;
    const health = await files.readHealth(dir);
    // Checked again after the awaits: one watch per task.
    const adopted = { childExit: undefined, gate: Promise.resolve() };
    return this.running.get(record.taskId) ?? this.watch(dir, { ...record, supervisor: record.supervisor }, adopted, health);
  }

  private watch(
    dir: string,
    record: Started,
    own: Pick<RunningTaskOptions, 'childExit' | 'gate'>,
    health: ObservedHealth,
  ): RunningTask {
    const { taskId } = record;
    const task = new RunningTask({
      dir,
      record,
      ...own,
      initialHealth: health,
      livenessPollMs: this.options.livenessPollMs ?? 1000,
      onExit: (exit) => {
        if (this.running.get(taskId) === task) this.running.delete(taskId);
        this.emit({ taskId, kind: 'exited', exitCode: exit.exitCode });
      },
      onHealth: (status) => this.emit({ taskId, kind: 'health', status }),
    });
    this.running.set(taskId, task);
    return task;
  }

  private async observe(record: files.TaskRecord): Promise<ObservedTask> {
    const dir = this.dir(record.taskId);
    const identity = {
      taskId: record.taskId,
      serviceId: record.serviceId,
      serviceName: record.serviceName,
      nodeId: record.nodeId,
      image: record.image,
      runtimeId: record.supervisor === undefined ? 'created' : `pid:${record.supervisor.pid}`,
    };
    const task = await this.adopt(record);
    const exit = task === undefined ? await files.readExitRecord(dir) : undefined;
    return { ...identity, observed: await observedState(dir, record, task, exit) };
  }

  /**
   * The task's exit, or nothing if this runtime closes first or 10 s pass
   * (after a SIGKILL of its group). The timer is ref'd: it keeps the process
   * alive while a caller waits (the watch's own timers are not).
   */
  private untilExit(task: RunningTask): Promise<unknown> {
    const closing = this.closing.signal;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    return Promise.race([
      task.exited,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, 10_000);
        onAbort = () => resolve();
        if (closing.aborted) resolve();
        else closing.addEventListener('abort', onAbort, { once: true });
      }),
    ]).finally(() => {
      clearTimeout(timer);
      if (onAbort !== undefined) closing.removeEventListener('abort', onAbort);
    });
  }

  private emit(event: RuntimeEvent): void {
    for (const queue of this.subscribers) queue.push(event);
  }
}

type ObservedHealth = Parameters<typeof files.writeHealth>[1] | undefined;

async function observedState(
  dir: string,
  record: files.TaskRecord,
  task: RunningTask | undefined,
  exit: files.ExitRecord | undefined,
): Promise<ObservedState> {
  if (exit !== undefined) {
    return { state: 'exited', exitCode: exit.exitCode, ...(exit.error === undefined ? {} : { error: exit.error }) };
  }
  if (record.supervisor === undefined) return { state: 'created' };
  if (task === undefined) {
    // The supervisor died without recording the exit (killed with its group
    // while no agent watched). Reported, not written: a watch may still be
    // about to record what it saw.
    return { state: 'exited', exitCode: -1, error: "the task's supervisor ended without recording the task's exit status" };
  }
  const pid = (await files.readMainPid(dir)) ?? record.supervisor.pid;
  const health = task.healthStatus;
  if (health === 'starting') return { state: 'starting', pid, health };
  return health === undefined ? { state: 'running', pid } : { state: 'running', pid, health };
}

function alive(supervisor: NonNullable<files.TaskRecord['supervisor']>): Promise<boolean> {
  return isSameProcessAlive(supervisor.pid, supervisor.startTime);
}

async function exists(path: string): Promise<boolean> {
  if (path === '') return false;
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pgid: number, signal: string): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is gone.
  }
}
