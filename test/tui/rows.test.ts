// Derived rows: natural order through cached keys (checked against
// docker's comparator), filters, memoization, column fitting, YAML.
import test from 'ava';
import fc from 'fast-check';
import { naturalCompare } from '../../src/cli/format/natural-sort.js';
import { Aggregates } from '../../src/tui/state/aggregates.js';
import { ClusterIndex } from '../../src/tui/state/cluster-index.js';
import { columnsOf } from '../../src/tui/state/columns.js';
import { compareKeys, naturalKey } from '../../src/tui/state/natural.js';
import { TableRows } from '../../src/tui/state/table-rows.js';
import { tableFrame } from '../../src/tui/state/ui-state.js';
import { toYaml } from '../../src/tui/state/yaml.js';
import { layoutColumns } from '../../src/tui/screen/layout.js';
import { FakeCluster } from './harness/fake-cluster.js';
import { demoCluster, NOW, watchEvent } from './harness/fixtures.js';

test('naturalKey orders strings as docker/cli natural sort does (property)', (t) => {
  const name = fc.stringMatching(/^[a-c0-9._-]{0,12}$/);
  fc.assert(
    fc.property(fc.array(name, { maxLength: 30 }), (names) => {
      const byKey = [...names].sort((a, b) => compareKeys(naturalKey(a), naturalKey(b)) || (a < b ? -1 : a > b ? 1 : 0));
      const byDocker = [...names].sort((a, b) => naturalCompare(a, b) || (a < b ? -1 : a > b ? 1 : 0));
      return byKey.join('\n') === byDocker.join('\n');
    }),
    { numRuns: 500 },
  );
  t.pass();
});

test('tasks sort by name in natural order, newest first within a slot', (t) => {
  const c = new FakeCluster(() => NOW);
  const s = c.addService('web', { replicas: 12 });
  for (const slot of [10, 2, 1, 11]) c.addTask(s, { slot, atMs: NOW - slot });
  c.addTask(s, { slot: 2, atMs: NOW - 100, state: 'shutdown', desired: 'shutdown' });
  const index = new ClusterIndex();
  for (const e of c.snapshot()) index.apply(e);
  const rows = new TableRows(index, new Aggregates(index)).rows(tableFrame('tasks'), NOW);
  const label = (id: string) => {
    const task = index.tasks.get(id);
    return `${task?.Slot ?? ''}:${task?.Status.State ?? ''}`;
  };
  t.deepEqual(rows.map(label), ['1:running', '2:running', '2:shutdown', '10:running', '11:running']);
});

test('rows are memoized: the same array until the index or the filter changes', (t) => {
  const c = demoCluster();
  const index = new ClusterIndex();
  for (const e of c.snapshot()) index.apply(e);
  const rows = new TableRows(index, new Aggregates(index));
  const f = tableFrame('tasks');
  const a = rows.rows(f, NOW);
  t.is(rows.rows({ ...f, pos: { cursor: 3, top: 0, selected: undefined } }, NOW), a, 'moving the cursor does not sort again');
  const filtered = rows.rows({ ...f, filter: { text: 'pending', invert: false } }, NOW);
  t.is(filtered.length, 1);
  t.is(rows.rows({ ...f, filter: { text: 'pending', invert: false } }, NOW), filtered);
  t.is(rows.rows({ ...f, filter: { text: 'pending', invert: true } }, NOW).length, a.length - 1);
  t.is(rows.rows({ ...f, filter: { text: 'API SHUTDOWN', invert: false } }, NOW).length, 1, 'every word must match, in any case');
  const task = index.tasks.get(a[0] ?? '');
  if (task === undefined) return t.fail();
  index.apply(watchEvent('update', 'tasks', { ...task, Version: { Index: 999 }, Status: { ...task.Status, State: 'failed' } }, 999));
  t.is(rows.rows(f, NOW), a, 'a state change does not re-sort by name');
  t.is(rows.rows({ ...f, filter: { text: 'failed', invert: false } }, NOW).length, 2, 'but filters see it');
});

test('columns drop by priority as the terminal narrows', (t) => {
  const ids = (w: number) => layoutColumns(columnsOf('nodes'), w - 2).map((p) => p.column.id);
  t.deepEqual(ids(200), ['id', 'hostname', 'status', 'availability', 'manager', 'tasks', 'cpu', 'memory', 'engine']);
  t.deepEqual(ids(120), ['id', 'hostname', 'status', 'availability', 'manager', 'tasks', 'cpu', 'memory']);
  t.deepEqual(ids(80), ['id', 'hostname', 'status', 'availability', 'manager', 'tasks']);
  t.deepEqual(ids(40), ['hostname', 'status', 'availability']);
  for (const kind of ['nodes', 'services', 'tasks'] as const) {
    for (const w of [30, 60, 80, 100, 132, 200]) {
      const placed = layoutColumns(columnsOf(kind), w - 2);
      const used = placed.reduce((n, p) => n + p.width, 0) + placed.length - 1;
      t.true(used <= w - 2, `${kind} at ${w}: ${used}`);
    }
  }
});

test('YAML: nesting, lists of objects, quoting what YAML would misread', (t) => {
  t.deepEqual(toYaml({ a: 1, b: 'x', c: { d: [1, 'two'], e: [] }, f: [{ g: true, h: 'yes' }], i: '', j: '10', k: 'a: b' }), [
    'a: 1',
    'b: x',
    'c:',
    '  d:',
    '  - 1',
    '  - two',
    '  e: []',
    'f:',
    '- g: true',
    '  h: "yes"',
    'i: ""',
    'j: "10"',
    'k: "a: b"',
  ]);
});
