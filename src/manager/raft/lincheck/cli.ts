// Check history files and print each one's verdict:
//   npx tsx src/manager/raft/lincheck/cli.ts [--timeout=SECONDS] FILE...
// Exit status: 0 all linearizable, 1 some not linearizable, 2 some unknown or unreadable.
import { readFile } from 'node:fs/promises';
import { toShoalError } from '../../../api/errors.js';
import { checkText } from './check-text.js';

const USAGE = 'usage: cli.ts [--timeout=SECONDS] FILE...';
const DEFAULT_TIMEOUT_S = 60;

interface Args {
  readonly timeoutMs: number;
  readonly files: readonly string[];
}

function parseArgs(argv: readonly string[]): Args | string {
  let timeoutS = DEFAULT_TIMEOUT_S;
  const files: string[] = [];
  for (const arg of argv) {
    const m = /^--timeout=(\d+(?:\.\d+)?)$/.exec(arg);
    if (m?.[1] !== undefined) timeoutS = Number(m[1]);
    else if (arg.startsWith('-')) return `unknown option ${arg}\n${USAGE}`;
    else files.push(arg);
  }
  return files.length === 0 ? USAGE : { timeoutMs: timeoutS * 1000, files };
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n`);
    return 2;
  }
  let status = 0;
  for (const file of args.files) {
    const started = performance.now();
    const checked = checkText(await readFile(file, 'utf8'), { timeoutMs: args.timeoutMs });
    const ms = Math.round(performance.now() - started);
    if (!checked.ok) {
      process.stdout.write(`${file}: cannot check: ${checked.message}\n`);
      status = Math.max(status, 2);
      continue;
    }
    process.stdout.write(`${file}: [${checked.format}, ${ms} ms] ${checked.report}\n`);
    if (checked.verdict === 'not-linearizable') status = Math.max(status, 1);
    if (checked.verdict === 'unknown') status = 2;
  }
  return status;
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (err: unknown) => {
    process.stderr.write(`lincheck: ${toShoalError(err).message}\n`);
    process.exitCode = 2;
  },
);
