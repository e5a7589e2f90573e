// The console's screens as golden frames on a fake terminal of fixed size
// (80x24, the smallest it supports, and 120x40), with a fixed clock. The
// frames are what ink wrote, replayed by a small terminal emulator.
import test, { type ExecutionContext } from 'ava';
import { ConsoleHarness } from './harness/console-harness.js';
import { demoCluster, NOW } from './harness/fixtures.js';
import { matchGolden } from './harness/golden.js';

process.env['TZ'] = 'UTC';

async function open(t: ExecutionContext, columns = 80, rows = 24, readOnly = false): Promise<ConsoleHarness> {
  const h = await ConsoleHarness.start({ source: demoCluster().source(), columns, rows, nowMs: NOW, readOnly });
  t.teardown(() => h.close());
  await h.waitFor((s) => s.includes('● live') && s.includes('worker3') && s.includes('Leader'));
  return h;
}

test('nodes at 80x24: columns dropped by priority, state in words, the leader', async (t) => {
  const h = await open(t);
  matchGolden(t, 'nodes-80x24', h.screen());
  t.true(h.term.alt, 'drawn on the alternate screen');
  t.regex(h.term.marked(2), /^\[> /, 'the selected row is in reverse video with a > marker');
  await h.quit();
  t.false(h.term.alt, 'the normal screen is back after :q');
  t.true(h.term.cursorVisible);
});

test('nodes at 120x40 show tasks, CPU and memory reserved of what each node reports', async (t) => {
  const h = await open(t, 120, 40);
  matchGolden(t, 'nodes-120x40', h.screen());
  await h.quit();
});

test('services: replicas running/desired, ports, update progress', async (t) => {
  const h = await open(t);
  await h.press('2');
  matchGolden(t, 'services-80x24', await h.waitFor('Services (3)'));
  await h.quit();
});

test("a service's tasks: history indented under the newest task of a slot, errors and why a task is pending", async (t) => {
  const h = await open(t, 120, 40);
  await h.press('2', 'j', 'j', 'enter');
  matchGolden(t, 'web-tasks-120x40', await h.waitFor('Tasks of service web'));
  await h.press('escape', 'k', 'k', 'enter');
  matchGolden(t, 'api-tasks-120x40', await h.waitFor('Tasks of service api'));
  await h.quit();
});

test('cluster: raft members, leader, term, indexes', async (t) => {
  const h = await open(t);
  await h.press('4');
  matchGolden(t, 'cluster-80x24', await h.waitFor('Commit index'));
  await h.quit();
});

test('help lists the keys of every view and the commands', async (t) => {
  const h = await open(t);
  await h.press('?');
  matchGolden(t, 'help-80x24', await h.waitFor('shoal console: keys'));
  await h.quit();
});

test('a read-only console lists no actions', async (t) => {
  const h = await open(t, 120, 40, true);
  await h.press('2');
  matchGolden(t, 'services-read-only-120x40', await h.waitFor('Services (3)'));
  await h.press('?');
  t.false((await h.waitFor('shoal console: keys')).includes('drain'));
  await h.press('G');
  await h.waitFor('This console is read-only');
  await h.quit();
});

test('inspect shows the object as YAML', async (t) => {
  const h = await open(t, 80, 40);
  await h.press('2', 'j', 'j', 'i');
  matchGolden(t, 'inspect-web-80x40', await h.waitFor('Inspect service web'));
  await h.quit();
});

test('logs: the error of a manager without logs shows in the view', async (t) => {
  const h = await open(t);
  await h.press('2', 'j', 'j', 'l');
  matchGolden(t, 'logs-unavailable-80x24', await h.waitFor('not available yet'));
  await h.quit();
});

test('a destructive action asks, with No selected', async (t) => {
  const h = await open(t);
  await h.press('j', 'j', 'j', 'd');
  matchGolden(t, 'confirm-drain-80x24', await h.waitFor('Drain node worker1?'));
  t.regex(h.term.marked(22), /\[\[No\]\]/, 'No is the answer in reverse video');
  await h.press('n');
  await h.quit();
});

test('without UTF-8 the console draws ASCII only', async (t) => {
  const h = await ConsoleHarness.start({ source: demoCluster().source(), nowMs: NOW, unicode: false });
  t.teardown(() => h.close());
  const s = await h.waitFor((x) => x.includes('* live') && x.includes('worker3'));
  t.false(/[^\x00-\x7f]/.test(s), s);
  matchGolden(t, 'nodes-ascii-80x24', s);
  await h.quit();
});

test('a resized terminal gets a new layout: columns come back as it widens', async (t) => {
  const h = await open(t);
  t.false(h.screen().includes('CPU'));
  h.stdout.resize(140, 30);
  const wide = await h.waitFor((s) => s.includes('CPU') && s.includes('MEMORY'));
  t.is(wide.split('\n').length, 30);
  h.stdout.resize(60, 20);
  const narrow = await h.waitFor((s) => !s.includes('CPU') && !s.includes('ID   ') && s.split('\n').length === 20);
  t.true(narrow.split('\n').every((l) => l.length <= 60));
  await h.quit();
});
