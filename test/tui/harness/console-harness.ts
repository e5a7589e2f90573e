// Runs the real console (controller, ink, components) in-process on a fake
// terminal of fixed size: type keys into its stdin, wait (bounded, never
// sleeping) for the screen to show something, read the screen as text.
import type { ConsoleController } from '../../../src/tui/controller.js';
import type { DashboardRunner } from '../../../src/tui/console-app.js';
import { loadInk } from '../../../src/tui/ink-env.js';
import type { ConsoleSource } from '../../../src/tui/source.js';
import { makeTheme, type ColorMode } from '../../../src/tui/theme.js';
import { FakeStdin, FakeStdout, KEYS } from './fake-tty.js';

export interface HarnessOptions {
  readonly source: ConsoleSource;
  readonly columns?: number;
  readonly rows?: number;
  readonly readOnly?: boolean;
  /** A fixed clock, for frames with ages in them. */
  readonly nowMs?: number;
  readonly color?: ColorMode;
  readonly unicode?: boolean;
  readonly dashboard?: DashboardRunner;
}

export type ScreenCheck = string | RegExp | ((screen: string) => boolean);

export class ConsoleHarness {
  readonly stdout: FakeStdout;
  readonly stdin = new FakeStdin();
  controller: ConsoleController | undefined;
  done: Promise<void> = Promise.resolve();

  private constructor(columns: number, rows: number) {
    this.stdout = new FakeStdout(columns, rows);
  }

  static async start(o: HarnessOptions): Promise<ConsoleHarness> {
    const color = o.color ?? 'none';
    const { runConsole } = await loadInk(color, () => import('../../../src/tui/console-app.js'));
    const h = new ConsoleHarness(o.columns ?? 80, o.rows ?? 24);
    const io = { stdin: h.stdin as unknown as NodeJS.ReadStream, stdout: h.stdout as unknown as NodeJS.WriteStream, stderr: h.stdout as unknown as NodeJS.WriteStream };
    const nowMs = o.nowMs;
    h.done = runConsole({
      source: o.source,
      io,
      readOnly: o.readOnly ?? false,
      theme: makeTheme(color, o.unicode ?? true),
      ...(o.dashboard !== undefined ? { dashboard: o.dashboard } : {}),
      tuning: { frameMs: 10, snapshotIdleMs: 50, raftEveryMs: 100, watchRetry: { initialMs: 20, maxMs: 100 }, ...(nowMs !== undefined ? { now: () => nowMs } : {}) },
      onController: (c) => (h.controller = c),
    });
    return h;
  }

  get term() {
    return this.stdout.term;
  }

  screen(): string {
    return this.term.text();
  }

  /** Send keys, one at a time (a string of several characters would arrive as one paste). */
  async press(...keys: readonly (string | keyof typeof KEYS)[]): Promise<void> {
    for (const k of keys) {
      this.stdin.write(k in KEYS ? KEYS[k as keyof typeof KEYS] : k);
      // Let ink read it (and flush a lone Esc) before the next one.
      await new Promise<void>((r) => setImmediate(r));
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  /** Paste text (into a prompt). */
  async type(text: string): Promise<void> {
    await this.press(text);
  }

  /** Wait until the screen satisfies `check`; fails with the screen after `timeoutMs`. */
  waitFor(check: ScreenCheck, timeoutMs = 5000): Promise<string> {
    const ok = (s: string): boolean => (typeof check === 'string' ? s.includes(check) : check instanceof RegExp ? check.test(s) : check(s));
    return new Promise((resolve, reject) => {
      const test = (): boolean => {
        const s = this.screen();
        if (!ok(s)) return false;
        cleanup();
        resolve(s);
        return true;
      };
      const onFrame = (): void => void test();
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`the screen did not show ${String(check)} within ${timeoutMs} ms; it shows:\n${this.screen()}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.stdout.off('frame', onFrame);
      };
      this.stdout.on('frame', onFrame);
      test();
    });
  }

  async quit(): Promise<void> {
    await this.press('escape', ':', 'q', 'enter');
    await this.done;
  }

  /** For t.teardown: quit if the test did not (a failed test must not keep the process alive). */
  async close(): Promise<void> {
    let over = false;
    void this.done.then(() => (over = true));
    await new Promise<void>((r) => setImmediate(r));
    if (!over) await this.quit();
  }
}
