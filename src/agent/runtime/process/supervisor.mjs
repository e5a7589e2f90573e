// @ts-check
// The supervisor of one process task: `node supervisor.mjs <taskDir>`.
//
// Started detached by the process runtime (so it leads its own process group
// and session), it outlives the agent: it starts the task's command from
// <taskDir>/task.json ({argv, env, cwd}), writes its stdout/stderr to
// <taskDir>/output.log as "<ISO time> <o|e> <line>" lines, and records the exit
// in <taskDir>/exit.json ({exitCode, signal, error, finishedAt}) whether or
// not the agent is still there to wait for it.
//
// Plain JavaScript on purpose: it must start fast, without a TypeScript
// loader. The format above is read by log-file.ts and process-runtime.ts.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';

const MAX_LINE = 16 * 1024;
const taskDir = process.argv[2];
if (taskDir === undefined) {
  process.stderr.write('usage: supervisor.mjs <taskDir>\n');
  process.exit(2);
}

// The stop signal is sent to the whole group: the task handles it, the
// supervisor stays to record how the task ended.
for (const name of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGPIPE']) {
  process.on(name, () => {});
}
// Only the handshake goes to the agent; it may be gone by the time we write.
process.stdout.on('error', () => {});

const record = JSON.parse(readFileSync(join(taskDir, 'task.json'), 'utf8'));
const argv = record.argv;
const log = openSync(join(taskDir, 'output.log'), 'a', 0o600);

/** @param {'o' | 'e'} stream @param {string} line */
function writeLine(stream, line) {
  writeSync(log, `${new Date().toISOString()} ${stream} ${line}\n`);
}

/** @param {'o' | 'e'} stream */
function lineWriter(stream) {
  let pending = Buffer.alloc(0);
  return {
    /** @param {Buffer} chunk */
    push(chunk) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (true) {
        const nl = pending.indexOf(0x0a);
        if (nl === -1 || nl > MAX_LINE) {
          if (pending.length <= MAX_LINE) break;
          writeLine(stream, pending.subarray(0, MAX_LINE).toString('utf8'));
          pending = pending.subarray(MAX_LINE);
          continue;
        }
        const end = nl > 0 && pending[nl - 1] === 0x0d ? nl - 1 : nl;
        writeLine(stream, pending.subarray(0, end).toString('utf8'));
        pending = pending.subarray(nl + 1);
      }
    },
    flush() {
      if (pending.length > 0) writeLine(stream, pending.toString('utf8'));
      pending = Buffer.alloc(0);
    },
  };
}

/** @param {{exitCode: number, signal?: string, error?: string}} exit */
function recordExit(exit) {
  const tmp = join(taskDir, 'exit.json.tmp');
  writeFileSync(tmp, JSON.stringify({ ...exit, finishedAt: new Date().toISOString() }), { mode: 0o600 });
  renameSync(tmp, join(taskDir, 'exit.json'));
}

const out = lineWriter('o');
const err = lineWriter('e');
const child = spawn(argv[0], argv.slice(1), {
  cwd: record.cwd,
  env: record.env,
  stdio: ['ignore', 'pipe', 'pipe'],
});

child.on('spawn', () => {
  writeFileSync(join(taskDir, 'main.pid'), String(child.pid), { mode: 0o600 });
  process.stdout.write(`ok ${child.pid}\n`);
});

child.on('error', (error) => {
  // Only a failed spawn reaches here (ENOENT, EACCES): nothing ran.
  /** @type {string | undefined} */
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  const message = code === 'ENOENT' ? `exec: "${argv[0]}": executable file not found` : `exec: "${argv[0]}": ${error.message}`;
  recordExit({ exitCode: code === 'ENOENT' ? 127 : 126, error: message });
  process.stdout.write(`err ${message}\n`, () => process.exit(0));
});

child.stdout?.on('data', (chunk) => out.push(chunk));
child.stderr?.on('data', (chunk) => err.push(chunk));

let finished = false;
/** @param {number | null} code @param {NodeJS.Signals | null} signal */
function finish(code, signal) {
  if (finished) return;
  finished = true;
  out.flush();
  err.flush();
  closeSync(log);
  const exitCode = code ?? 128 + (signal === null ? 0 : (constants.signals[signal] ?? 0));
  recordExit(signal === null ? { exitCode } : { exitCode, signal });
  process.exit(0);
}

child.on('exit', (code, signal) => {
  // Let the pipes drain, but do not wait on a grandchild that holds them open.
  const timer = setTimeout(() => finish(code, signal), 200);
  child.on('close', () => {
    clearTimeout(timer);
    finish(code, signal);
  });
});
