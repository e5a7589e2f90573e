// The `shoal` CLI entry point.
import { runCommand, type Io } from './framework/command.js';
import { handleError } from './errors.js';
import { makeGlobal, type Global } from './global.js';
import { rootCommand } from './root.js';

// A reader that went away (`shoal service logs -f | head`) ends the command quietly, as docker does.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}
const io: Io = { out: { write: (s) => void process.stdout.write(s) }, err: { write: (s) => void process.stderr.write(s) }, env: process.env };
const made: Global[] = [];
const status = await runCommand(
  rootCommand,
  process.argv.slice(2),
  io,
  (flags, env) => {
    const g = makeGlobal(flags, env);
    made.push(g);
    return g;
  },
  (err, x) => handleError(err, x, made[0]?.host ?? ''),
);
await Promise.all(made.map((g) => g.close()));
process.exitCode = status;
