// Watching one running process task, whether this agent started it (its
// supervisor is our child) or adopted it after a restart (it is not): the
// exit is noticed from the supervisor's exit.json (a directory watch), the
// child's exit event, or, as a fallback, a liveness poll of the supervisor's
// pid. Also runs the task's health monitor. dispose() releases all of it.
import { watch, type FSWatcher } from 'node:fs';
import { constants } from 'node:os';
import type { HealthStatus } from '../types.js';
import { HealthMonitor } from './health-monitor.js';
import { INITIAL_HEALTH } from './health-state.js';
import { isSameProcessAlive } from './proc-stat.js';
import { readExitRecord, writeExitRecord, writeHealth, type ExitRecord, type TaskRecord } from './task-record.js';

export interface RunningTaskOptions {
  readonly dir: string;
  readonly record: TaskRecord & { readonly supervisor: NonNullable<TaskRecord['supervisor']> };
  /** The supervisor's exit, when this agent started it (listened to from spawn on, so it is not missed). */
  readonly childExit: Promise<ChildExit> | undefined;
  /** Exit is reported only after this settles (start() opens it once it reported 'started'). */
  readonly gate: Promise<void>;
  readonly initialHealth: HealthStatus | undefined;
  readonly livenessPollMs: number;
  readonly onExit: (exit: ExitRecord) => void;
  readonly onHealth: (status: HealthStatus) => void;
}

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export class RunningTask {
  /** Resolves once, with how the task ended. */
  readonly exited: Promise<ExitRecord>;
  private resolveExit!: (exit: ExitRecord) => void;
  private done = false;
  private killedByRuntime = false;
  private childExit: ChildExit | undefined;
  private readonly watcher: FSWatcher | undefined;
  private poll: NodeJS.Timeout;
  private readonly health: HealthMonitor | undefined;

  constructor(private readonly options: RunningTaskOptions) {
    this.exited = new Promise((resolve) => {
      this.resolveExit = resolve;
    });
    const { record, dir } = options;
    this.watcher = watchDir(dir, (file) => {
      if (file === 'exit.json') void this.check();
    });
    void options.childExit?.then((exit) => {
      this.childExit = exit;
      void this.check();
    });
    this.poll = setInterval(() => void this.check(), options.livenessPollMs);
    this.poll.unref();
    const check = record.healthcheck;
    if (check !== undefined && check.test[0] !== 'NONE') {
      this.health = new HealthMonitor({
        check,
        env: record.env,
        cwd: record.cwd,
        startedAtMs: Date.parse(record.supervisor.startedAt),
        initial: { ...INITIAL_HEALTH, status: options.initialHealth ?? 'starting' },
        onChange: (status) => {
          void writeHealth(dir, status).catch(() => {});
          if (!this.done) options.onHealth(status);
        },
      });
    }
    void this.check();
  }

  get healthStatus(): HealthStatus | undefined {
    return this.health?.status;
  }

  /** The runtime is about to SIGKILL the group: an exit without a record is then 137. Poll fast. */
  markKilled(): void {
    this.killedByRuntime = true;
    clearInterval(this.poll);
    this.poll = setInterval(() => void this.check(), 20);
    this.poll.unref();
  }

  dispose(): void {
    this.done = true;
    this.watcher?.close();
    clearInterval(this.poll);
    this.health?.stop();
  }

  private async check(): Promise<void> {
    if (this.done) return;
    const { dir, record } = this.options;
    let exit = await readExitRecord(dir);
    if (exit === undefined) {
      // Our own child: its exit event says when it is gone (it may be a zombie until then).
      if (this.options.childExit !== undefined && this.childExit === undefined) return;
      const alive =
        this.childExit === undefined && (await isSameProcessAlive(record.supervisor.pid, record.supervisor.startTime));
      if (alive) return;
      // The supervisor writes exit.json before it exits: look once more.
      exit = (await readExitRecord(dir)) ?? this.unrecordedExit();
      if (this.done) return;
      await writeExitRecord(dir, exit).catch(() => {});
    }
    await this.options.gate;
    if (this.done) return;
    this.dispose();
    this.options.onExit(exit);
    this.resolveExit(exit);
  }

  /** The supervisor died without recording the task's exit (it was SIGKILLed with its group). */
  private unrecordedExit(): ExitRecord {
    const finishedAt = new Date().toISOString();
    const signal = this.childExit?.signal ?? (this.killedByRuntime ? 'SIGKILL' : null);
    if (signal !== null) {
      return {
        exitCode: 128 + (constants.signals[signal] ?? 0),
        signal,
        ...(this.killedByRuntime ? {} : { error: `the task's supervisor was killed by ${signal}` }),
        finishedAt,
      };
    }
    return { exitCode: -1, error: "the task's supervisor ended without recording the task's exit status", finishedAt };
  }
}

function watchDir(dir: string, onFile: (file: string | null) => void): FSWatcher | undefined {
  try {
    const watcher = watch(dir, { persistent: false }, (_event, file) => onFile(file));
    watcher.on('error', () => {});
    return watcher;
  } catch {
    return undefined;
  }
}
