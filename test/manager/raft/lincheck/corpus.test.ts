// The reference histories in ../shared/lincheck (Jepsen's etcd runs and
// Porcupine's kv tests, with Porcupine's verdicts in expected.json), read in
// place: they are not part of this repository.
import test from 'ava';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkText } from '../../../../src/manager/raft/lincheck/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const corpus = path.resolve(repoRoot, '../shared/lincheck');
const DIRS = ['jepsen-etcd', 'kv'] as const;
/** Generous: the slowest history takes well under a second. */
const TIMEOUT_MS = 30_000;

function expectedVerdicts(): Record<string, boolean> {
  const parsed: unknown = JSON.parse(readFileSync(path.join(corpus, 'expected.json'), 'utf8'));
  const table = typeof parsed === 'object' && parsed !== null ? (parsed as { linearizable?: unknown }).linearizable : undefined;
  if (typeof table !== 'object' || table === null) throw new Error('expected.json has no "linearizable" table');
  return table as Record<string, boolean>;
}

if (!existsSync(corpus)) {
  test('reference histories', (t) => {
    t.log('../shared/lincheck not found: skipping the Jepsen histories');
    t.pass();
  });
} else {
  const expected = expectedVerdicts();
  const files = DIRS.flatMap((dir) => readdirSync(path.join(corpus, dir)).sort().map((f) => `${dir}/${f}`));
  let totalMs = 0;

  test('every history has a verdict in expected.json, and every verdict a history', (t) => {
    const listed = Object.keys(expected);
    t.deepEqual(
      listed.filter((f) => !files.includes(f)),
      [],
      'listed in expected.json but missing',
    );
    // A history with no verdict must be empty (etcd_095.log is): it is then trivially linearizable.
    for (const f of files.filter((f) => !(f in expected))) {
      t.is(readFileSync(path.join(corpus, f), 'utf8').trim(), '', `${f} has no verdict in expected.json`);
      t.log(`${f} is empty and has no verdict: checked as linearizable`);
    }
  });

  for (const file of files) {
    const want = expected[file] ?? true;
    test(`${file} is ${want ? '' : 'not '}linearizable`, (t) => {
      const started = performance.now();
      const checked = checkText(readFileSync(path.join(corpus, file), 'utf8'), { timeoutMs: TIMEOUT_MS });
      totalMs += performance.now() - started;
      if (!checked.ok) return t.fail(`cannot check ${file}: ${checked.message}`);
      t.is(checked.format, file.startsWith('kv/') ? 'kv-edn' : 'jepsen-etcd');
      t.is(checked.verdict, want ? 'linearizable' : 'not-linearizable', checked.report);
    });
  }

  test.after('time for the whole corpus', (t) => {
    t.log(`${files.length} histories checked in ${Math.round(totalMs)} ms`);
  });
}
