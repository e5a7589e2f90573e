// The commands around the console: `shoal console` and `shoal dashboard`
// refuse without a terminal, in words that say what to do; the help shows
// --read-only; the terminal guard restores the screen on a crash.
import test from 'ava';
import { execFile } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { NOT_A_TTY } from '../../src/cli/commands/console.js';
import { LEAVE_ALT, SHOW_CURSOR, TerminalGuard } from '../../src/tui/terminal.js';

const SHOAL = fileURLToPath(new URL('../../bin/shoal.js', import.meta.url));
const run = promisify(execFile);

async function shoal(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [SHOAL, ...args], { env: { ...process.env, SHOAL_HOST: 'unix:///nonexistent/shoald.sock' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

test('shoal console refuses when stdin is not a terminal', async (t) => {
  const r = await shoal('console');
  t.is(r.code, 1);
  t.is(r.stderr, `${NOT_A_TTY}\n`);
  t.is(r.stdout, '');
});

test('shoal dashboard refuses too', async (t) => {
  const r = await shoal('dashboard');
  t.is(r.code, 1);
  t.regex(r.stderr, /^shoal dashboard needs an interactive terminal/);
});

test('the help of shoal console lists --read-only and the global -H', async (t) => {
  const r = await shoal('console', '--help');
  t.is(r.code, 0);
  t.regex(r.stdout, /Usage:\s+shoal console \[OPTIONS\]/);
  t.regex(r.stdout, /--read-only\s+Watch only/);
  t.regex(r.stdout, /-H, --host/);
  t.regex((await shoal('--help')).stdout, /console\s+Open the full-screen operator console/);
});

class FakeProcess extends EventEmitter {
  exitCode: number | undefined;
  readonly stderr = { text: '', write: (s: string) => ((this.stderr.text += s), true) };
  exit(code: number): void {
    this.exitCode = code;
  }
}

test('a crash puts the terminal back before the error is printed', (t) => {
  const out: string[] = [];
  let raw: boolean | undefined;
  const stdin = { isTTY: true, setRawMode: (on: boolean) => (raw = on) } as unknown as NodeJS.ReadStream;
  const stdout = { write: (s: string) => out.push(s) } as unknown as NodeJS.WriteStream;
  const proc = new FakeProcess();
  const guard = new TerminalGuard(stdin, stdout, proc as unknown as NodeJS.Process);
  guard.enter();
  proc.emit('uncaughtException', new Error('boom'));
  t.is(raw, false);
  t.is(out.at(-1), LEAVE_ALT + SHOW_CURSOR);
  t.regex(proc.stderr.text, /shoal console crashed: Error: boom/);
  t.is(proc.exitCode, 1);
  proc.emit('exit');
  t.is(out.filter((s) => s.includes(LEAVE_ALT)).length, 1, 'restored once');
  guard.dispose();
  t.is(proc.listenerCount('SIGTERM'), 0, 'its handlers are removed');
});
