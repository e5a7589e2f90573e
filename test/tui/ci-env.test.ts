// CI=true makes ink print only the last frame, at exit (is-in-ci, read at
// import time). The console loads ink with CI hidden, so it draws every
// frame as in any terminal, and puts the variable back for everyone else.
import test from 'ava';
import { ConsoleHarness } from './harness/console-harness.js';
import { demoCluster, NOW } from './harness/fixtures.js';

process.env['CI'] = 'true';
process.env['CONTINUOUS_INTEGRATION'] = 'true';

test('with CI=true the console draws while it runs, and CI is left as it was', async (t) => {
  const h = await ConsoleHarness.start({ source: demoCluster().source(), nowMs: NOW });
  t.teardown(() => h.close());
  t.is(process.env['CI'], 'true');
  t.is(process.env['CONTINUOUS_INTEGRATION'], 'true');
  await h.waitFor('worker3');
  t.true(h.term.alt);
  await h.press('2');
  await h.waitFor('Services (3)');
  t.true(h.stdout.writes > 2, 'frames are written as the screen changes, not once at exit');
  await h.quit();
});
