// The loops that only the leader runs: orchestrators, scheduler, updater.
// Started when this manager gains leadership and stopped when it loses it;
// a loop that fails stops the whole set, which restarts after a backoff
// (STYLE.md rule 8), so a crash never leaves half of the deciders running.
import { createOrchestrators, systemClock, type Orchestrators } from './orchestrator/index.js';
import { Scheduler } from './scheduler/index.js';
import type { Store } from './store/store.js';
import { Updater } from './update/index.js';

interface Running {
  readonly abort: AbortController;
  readonly orchestrators: Orchestrators;
  readonly scheduler: Scheduler;
  readonly updater: Updater;
}

export class LeaderServices {
  private running: Running | null = null;
  private wanted = false;
  private failures = 0;
  private restartTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Store,
    private readonly log: (line: string) => void,
  ) {}

  start(): void {
    this.wanted = true;
    if (this.running === null) this.launch();
  }

  async stop(): Promise<void> {
    this.wanted = false;
    if (this.restartTimer !== null) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    await this.halt();
  }

  private launch(): void {
    const abort = new AbortController();
    const orchestrators = createOrchestrators({ store: this.store, clock: systemClock, onError: (e) => this.log(`orchestrator: ${String(e)}`) });
    const scheduler = new Scheduler({ store: this.store });
    const updater = new Updater({ store: this.store, onError: (e) => this.log(`updater: ${String(e)}`) });
    const run: Running = { abort, orchestrators, scheduler, updater };
    this.running = run;
    orchestrators.start(abort.signal);
    updater.start(abort.signal);
    const failed = (what: string) => (err: unknown) => {
      if (this.running !== run || abort.signal.aborted) return;
      this.failures++;
      this.log(`${what} failed: ${err instanceof Error ? err.message : String(err)}; restarting the leader loops`);
      void this.halt().then(() => {
        if (!this.wanted) return;
        const delay = Math.min(10_000, 100 * 2 ** Math.min(this.failures, 7));
        this.restartTimer = setTimeout(() => {
          this.restartTimer = null;
          if (this.wanted && this.running === null) this.launch();
        }, delay);
      });
    };
    scheduler.start(abort.signal).catch(failed('scheduler'));
    for (const loop of orchestrators.all) loop.done.catch(failed(loop.name));
  }

  private async halt(): Promise<void> {
    const run = this.running;
    this.running = null;
    if (run === null) return;
    run.abort.abort();
    await Promise.allSettled([run.orchestrators.stop(), run.scheduler.stop(), run.updater.stop()]);
  }
}
