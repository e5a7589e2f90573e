// The command-line checker, run for real on files it must read.
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatKvJsonLines } from '../../../../src/manager/raft/lincheck/index.js';
import { done, kv } from './build.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const cli = path.join(repoRoot, 'src/manager/raft/lincheck/cli.ts');

function run(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import=tsx', cli, ...args], { cwd: repoRoot }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

test('prints each file verdict and exits 1 when one is not linearizable', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lincheck-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const good = path.join(dir, 'good.jsonl');
  const bad = path.join(dir, 'bad.jsonl');
  const junk = path.join(dir, 'junk.txt');
  const put = done('c1', 0, 1, kv.put('a', '1'), kv.put_);
  writeFileSync(good, formatKvJsonLines([put, done('c2', 2, 3, kv.get('a'), kv.got('1'))]));
  writeFileSync(bad, formatKvJsonLines([put, done('c2', 2, 3, kv.get('a'), kv.got(null))]));
  writeFileSync(junk, 'hello\n');

  const ok = await run([good]);
  t.is(ok.code, 0);
  t.regex(ok.stdout, /good\.jsonl: \[kv-jsonl, \d+ ms\] linearizable \(kv model, 2 operations, 1 partition, \d+ steps\)\n$/);

  const mixed = await run([good, bad, junk]);
  t.is(mixed.code, 2);
  t.regex(mixed.stdout, /bad\.jsonl: \[kv-jsonl, \d+ ms\] not linearizable/);
  t.regex(mixed.stdout, /#1 client c2 \[2, 3\] get\("a"\) -> null: impossible in this state/);
  t.regex(mixed.stdout, /junk\.txt: cannot check: unrecognised history format/);

  const onlyBad = await run([bad]);
  t.is(onlyBad.code, 1);
});

test('usage on no files', async (t) => {
  const r = await run([]);
  t.is(r.code, 2);
  t.regex(r.stderr, /^usage: cli\.ts \[--timeout=SECONDS\] FILE\.\.\./);
});
