// `shoal console` at the IO edge: the controller on a source, ink drawing
// it on the alternate screen, and the terminal handed to the dashboard and
// back when asked. Load through `loadInk` (ink-env.ts), never directly.
import { render } from 'ink';
import { ConsoleScreen } from './components/console-screen.js';
import { ConsoleController, type ControllerOptions, type Request } from './controller.js';
import type { ConsoleSource } from './source.js';
import { TerminalGuard } from './terminal.js';
import type { Theme } from './theme.js';

export interface ConsoleIo {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

/** Runs the dashboard on the terminal until the operator leaves it. */
export type DashboardRunner = (controller: ConsoleController, io: ConsoleIo) => Promise<void>;

export interface ConsoleOptions {
  readonly source: ConsoleSource;
  readonly io: ConsoleIo;
  readonly readOnly: boolean;
  readonly theme: Theme;
  readonly dashboard?: DashboardRunner;
  /** Restore the terminal on signals and crashes (the CLI does; tests do not). */
  readonly process?: NodeJS.Process;
  /** For tests and benchmarks: the clock, frame pacing and retry timings. */
  readonly tuning?: Partial<Pick<ControllerOptions, 'now' | 'frameMs' | 'snapshotIdleMs' | 'raftEveryMs' | 'tickMs' | 'watchRetry'>>;
  /** Called once the controller exists (tests and benchmarks watch it). */
  readonly onController?: (c: ConsoleController) => void;
}

/** A queue of the controller's requests (quit, dashboard) that the loop below waits on. */
class Requests {
  private readonly queue: Request[] = [];
  private wake: (() => void) | undefined;

  push(r: Request): void {
    this.queue.push(r);
    this.wake?.();
  }

  async next(): Promise<Request> {
    while (this.queue.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
    return this.queue.shift() as Request;
  }
}

export async function runConsole(o: ConsoleOptions): Promise<void> {
  const { stdin, stdout, stderr } = o.io;
  const requests = new Requests();
  const size = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const controller = new ConsoleController({ source: o.source, size: size(), readOnly: o.readOnly, glyphs: o.theme.glyphs, onRequest: (r) => requests.push(r), ...o.tuning });
  o.onController?.(controller);
  const guard = new TerminalGuard(stdin, stdout, o.process);
  controller.start();
  try {
    for (;;) {
      guard.enter();
      controller.resize(size());
      const ink = render(<ConsoleScreen controller={controller} theme={o.theme} />, {
        stdin,
        stdout,
        stderr,
        exitOnCtrlC: false,
        patchConsole: false,
        maxFps: 60,
        onRender: ({ renderTime }) => controller.noteRender(renderTime),
      });
      const request = await requests.next();
      ink.unmount();
      await ink.waitUntilExit();
      if (request === 'quit') return;
      if (o.dashboard === undefined) continue;
      controller.setDashboard(true);
      try {
        await o.dashboard(controller, o.io);
      } finally {
        controller.setDashboard(false);
      }
    }
  } finally {
    controller.stop();
    guard.dispose();
  }
}
