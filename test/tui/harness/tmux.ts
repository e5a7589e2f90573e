// A real terminal for end-to-end console tests: a tmux server of its own
// (its own socket, no config), one window per program, keys sent with
// send-keys and the screen read with capture-pane. Waits poll the screen
// with a bound; nothing sleeps for a fixed time.
import { execFileSync } from 'node:child_process';

export class Tmux {
  private readonly socket = `shoal-tui-test-${process.pid}`;

  constructor(
    readonly columns = 120,
    readonly rows = 36,
  ) {}

  private run(args: readonly string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }

  /** Start `command` (a shell command line) in a new window named `name`. */
  start(name: string, command: string): void {
    const args = ['-x', String(this.columns), '-y', String(this.rows), command];
    try {
      this.run(['new-window', '-d', '-n', name, ...args.slice(4)]);
    } catch {
      this.run(['new-session', '-d', '-s', 'tui', '-n', name, ...args]);
    }
  }

  screen(name: string): string {
    return this.run(['capture-pane', '-p', '-t', `tui:${name}`]);
  }

  /** A tmux format value of the pane, e.g. `alternate_on`, `cursor_flag`. */
  flag(name: string, format: string): string {
    return this.run(['display-message', '-p', '-t', `tui:${name}`, `#{${format}}`]).trim();
  }

  /** Type text literally (one send per key, as a person would). */
  type(name: string, text: string): void {
    for (const ch of text) this.run(['send-keys', '-t', `tui:${name}`, '-l', ch]);
  }

  /** Named keys: Enter, Escape, BSpace, Up, Down, C-c. */
  keys(name: string, ...keys: readonly string[]): void {
    for (const k of keys) this.run(['send-keys', '-t', `tui:${name}`, k]);
  }

  async waitFor(name: string, check: string | RegExp | ((s: string) => boolean), what: string, limitMs = 20_000): Promise<string> {
    const ok = (s: string) => (typeof check === 'string' ? s.includes(check) : check instanceof RegExp ? check.test(s) : check(s));
    const end = Date.now() + limitMs;
    let last = '';
    for (;;) {
      try {
        last = this.screen(name);
        if (ok(last)) return last;
      } catch (err) {
        last = String(err);
      }
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; the screen shows:\n${last}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  kill(): void {
    try {
      this.run(['kill-server']);
    } catch {
      // already gone
    }
  }
}
