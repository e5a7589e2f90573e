// Golden frames: the screen text a test expects, kept in test/tui/golden.
// `UPDATE_GOLDEN=1 npx ava test/tui/` rewrites them; a missing one fails.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { ExecutionContext } from 'ava';

export function matchGolden(t: ExecutionContext, name: string, screen: string): void {
  const path = new URL(`../golden/${name}.txt`, import.meta.url);
  const text = `${screen}\n`;
  if (process.env['UPDATE_GOLDEN'] === '1') {
    writeFileSync(path, text);
    t.log(`wrote golden/${name}.txt`);
  }
  if (!existsSync(path)) return t.fail(`no golden/${name}.txt: run with UPDATE_GOLDEN=1 and review it`);
  t.is(text, readFileSync(path, 'utf8'), `golden/${name}.txt`);
}
