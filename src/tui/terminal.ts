// The terminal's state while the console owns it: the alternate screen,
// a hidden cursor, raw input. `TerminalGuard` puts it back however the
// process ends: a normal exit, SIGTERM/SIGHUP/SIGINT, or a crash (the
// error is printed after the screen is restored, so it stays readable).
import { writeSync } from 'node:fs';

export const ENTER_ALT = '\x1b[?1049h\x1b[H\x1b[2J';
export const LEAVE_ALT = '\x1b[?1049l';
export const SHOW_CURSOR = '\x1b[?25h';
export const HIDE_CURSOR = '\x1b[?25l';

interface Tty {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export class TerminalGuard {
  private inside = false;
  private readonly disposers: (() => void)[] = [];

  constructor(
    private readonly stdin: NodeJS.ReadStream,
    private readonly stdout: NodeJS.WriteStream,
    /** Install process-wide handlers (the CLI; tests leave the process alone). */
    process_: NodeJS.Process | undefined,
  ) {
    if (process_ === undefined) return;
    const onExit = (): void => this.restore();
    const onSignal = (signal: NodeJS.Signals): void => {
      this.restore();
      process_.exit(128 + (signal === 'SIGHUP' ? 1 : signal === 'SIGINT' ? 2 : 15));
    };
    const onCrash = (err: unknown): void => {
      this.restore();
      process_.stderr.write(`shoal console crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process_.exit(1);
    };
    process_.on('exit', onExit);
    for (const s of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process_.on(s, onSignal);
    process_.on('uncaughtException', onCrash);
    process_.on('unhandledRejection', onCrash);
    this.disposers.push(() => {
      process_.off('exit', onExit);
      for (const s of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process_.off(s, onSignal);
      process_.off('uncaughtException', onCrash);
      process_.off('unhandledRejection', onCrash);
    });
  }

  /** Switch to the alternate screen (again, after the dashboard had it). */
  enter(): void {
    this.inside = true;
    this.stdout.write(ENTER_ALT + HIDE_CURSOR);
  }

  /** Back to the normal screen with the cursor shown and the input cooked. Safe to call twice. */
  restore(): void {
    if (!this.inside) return;
    this.inside = false;
    const tty = this.stdin as Tty;
    if (tty.isTTY === true) {
      try {
        tty.setRawMode?.(false);
      } catch {
        // stdin may already be closed while the process exits.
      }
    }
    const text = LEAVE_ALT + SHOW_CURSOR;
    const fd = (this.stdout as { fd?: unknown }).fd;
    // On exit there is no later turn of the event loop: write synchronously when there is a descriptor.
    if (typeof fd === 'number') {
      try {
        writeSync(fd, text);
        return;
      } catch {
        // fall back to the stream
      }
    }
    this.stdout.write(text);
  }

  dispose(): void {
    this.restore();
    for (const d of this.disposers.splice(0)) d();
  }
}
