// Runs a process task's health check on its interval, as a command with the
// task's env and working directory, in its own process group (a probe that
// outlives its timeout is killed with its children). Reports status changes
// and keeps the last status in health.json for a later agent to adopt.
import { spawn } from 'node:child_process';
import { abortableDelay } from '../abortable-delay.js';
import type { HealthStatus, RuntimeHealthcheck } from '../types.js';
import { healthcheckArgv } from './command-line.js';
import { effectiveHealthcheck, healthAfterProbe, type HealthState } from './health-state.js';

export interface HealthMonitorOptions {
  readonly check: RuntimeHealthcheck;
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** When the task started (ms since the epoch), for the start period. */
  readonly startedAtMs: number;
  readonly initial: HealthState;
  readonly onChange: (status: HealthStatus) => void;
  readonly now?: () => number;
}

/** Whether the probe exited 0 within `timeoutMs`. */
export function runProbe(
  argv: readonly string[],
  env: Readonly<Record<string, string>>,
  cwd: string,
  timeoutMs: number,
): Promise<boolean> {
  return new Promise((resolve) => {
    const [file, ...args] = argv;
    if (file === undefined) {
      resolve(false);
      return;
    }
    const child = spawn(file, args, { cwd, env, detached: true, stdio: 'ignore' });
    const timer = setTimeout(() => {
      if (child.pid !== undefined) killGroup(child.pid);
    }, timeoutMs);
    child.on('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Starts probing at once; stop() ends it (an in-flight probe finishes on its own). */
export class HealthMonitor {
  private readonly stopping = new AbortController();
  private state: HealthState;

  constructor(private readonly options: HealthMonitorOptions) {
    this.state = options.initial;
    void this.loop();
  }

  get status(): HealthStatus {
    return this.state.status;
  }

  stop(): void {
    this.stopping.abort();
  }

  private async loop(): Promise<void> {
    const check = effectiveHealthcheck(this.options.check);
    const argv = healthcheckArgv(check.test);
    if (argv === undefined) return;
    const now = this.options.now ?? Date.now;
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      await abortableDelay(check.intervalMs, signal);
      if (signal.aborted) return;
      const passed = await runProbe(argv, this.options.env, this.options.cwd, check.timeoutMs);
      if (signal.aborted) return;
      const next = healthAfterProbe(this.state, passed, now() - this.options.startedAtMs, check);
      const changed = next.status !== this.state.status;
      this.state = next;
      if (changed) this.options.onChange(next.status);
    }
  }
}
