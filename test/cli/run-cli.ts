// Run the real `shoal` command tree in-process, as src/cli/shoal.ts does,
// against a daemon address, capturing stdout, stderr and the exit status.
import { handleError } from '../../src/cli/errors.js';
import { runCommand, type Io } from '../../src/cli/framework/command.js';
import { makeGlobal, type Global } from '../../src/cli/global.js';
import { rootCommand } from '../../src/cli/root.js';

export interface CliResult {
  readonly status: number;
  readonly out: string;
  readonly err: string;
}

/** `shoal <argv>` with SHOAL_HOST=`host`. */
export async function runCli(host: string, argv: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CliResult> {
  let out = '';
  let err = '';
  const io: Io = { out: { write: (s) => void (out += s) }, err: { write: (s) => void (err += s) }, env: { SHOAL_HOST: host, ...env } };
  const made: Global[] = [];
  const status = await runCommand(
    rootCommand,
    argv,
    io,
    (flags, e) => {
      const g = makeGlobal(flags, e);
      made.push(g);
      return g;
    },
    (e, x) => handleError(e, x, made[0]?.host ?? ''),
  );
  await Promise.all(made.map((g) => g.close()));
  return { status, out, err };
}
