// Running `shoal service ...` in-process against a fake daemon, with a fake
// stdout/stderr: the real command tree, flag parsing, global options and
// top-level error handler.
import { runCommand, type Command, type Io } from '../../../src/cli/framework/command.js';
import { handleError } from '../../../src/cli/errors.js';
import { GLOBAL_FLAGS, makeGlobal, type Global } from '../../../src/cli/global.js';
import { serviceCommand } from '../../../src/cli/commands/service.js';
import type { LoopClock } from '../../../src/cli/commands/service/progress-loop.js';

const root: Command<Global> = { name: 'shoal', short: 'test root', flags: GLOBAL_FLAGS, subcommands: [serviceCommand] };

export interface RunResult {
  readonly status: number;
  readonly out: string;
  readonly err: string;
}

export interface RunOptions {
  readonly tty?: boolean;
  readonly columns?: number;
  readonly env?: Record<string, string>;
  readonly clock?: LoopClock;
}

export async function shoal(host: string, argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  let out = '';
  let err = '';
  const io: Io = {
    out: { write: (s: string) => void (out += s), isTTY: opts.tty ?? false, ...(opts.columns !== undefined ? { columns: opts.columns } : {}) } as Io['out'],
    err: { write: (s: string) => void (err += s) },
    env: opts.env ?? {},
  };
  const made: Global[] = [];
  const status = await runCommand(
    root,
    ['-H', host, ...argv],
    io,
    (flags, env) => {
      const g = makeGlobal(flags, env);
      const withClock = opts.clock === undefined ? g : Object.assign(Object.create(null) as object, g, { progressClock: opts.clock });
      made.push(g);
      return withClock as Global;
    },
    (e, x) => handleError(e, x, host),
  );
  await Promise.all(made.map((g) => g.close()));
  return { status, out, err };
}

/** Erase what changes between runs: ids of the fake are fixed, but times are not. */
export function stable(text: string): string {
  return text.replace(/(Running|Shutdown|Failed|Pending|Assigned|Complete|Starting|New) (less than a second|\d+ seconds|about a minute) ago/g, '$1 X ago');
}
