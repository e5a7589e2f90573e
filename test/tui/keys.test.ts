// The key handler as a pure function: (state, key) -> (state, effects).
// Navigation, drill-down and back, the palette and its aliases, filters,
// prompts, confirmations with the safe answer first, read-only refusals,
// and Ctrl+C, which cancels a prompt and never quits from one.
import test from 'ava';
import type { Action } from '../../src/tui/state/actions.js';
import { Aggregates } from '../../src/tui/state/aggregates.js';
import { ClusterIndex } from '../../src/tui/state/cluster-index.js';
import type { Key } from '../../src/tui/state/key.js';
import { named, text } from '../../src/tui/state/key.js';
import { handleKey, type Effect, type KeyContext } from '../../src/tui/state/keys.js';
import { resolvePos } from '../../src/tui/state/list-pos.js';
import { TableRows } from '../../src/tui/state/table-rows.js';
import { bodyHeight, current, initialState, isTable, type UiState } from '../../src/tui/state/ui-state.js';
import { TextViews } from '../../src/tui/screen/text-views.js';
import { NO_RAFT } from '../../src/tui/state/feeds.js';
import { Ring } from '../../src/tui/state/ring.js';
import { demoCluster, NOW } from './harness/fixtures.js';

function world(readOnly = false) {
  const index = new ClusterIndex();
  for (const e of demoCluster().snapshot()) index.apply(e);
  const tables = new TableRows(index, new Aggregates(index));
  const texts = new TextViews({ index, events: new Ring(10), logs: undefined, raft: NO_RAFT });
  const ctx: KeyContext = { index, tableRows: (f) => tables.rows(f, NOW), textLines: (f) => texts.lines(f, 80, { ellipsis: '…', up: '^', down: 'v', sep: '|', bullet: '*' }).length, logCount: () => 0 };
  return { index, ctx, state: initialState({ columns: 80, rows: 24 }, readOnly) };
}

/** Press keys in order; returns the last state and every effect. */
function press(s0: UiState, ctx: KeyContext, ...keys: readonly (Key | string)[]): { s: UiState; effects: Effect[] } {
  let s = s0;
  const effects: Effect[] = [];
  for (const k of keys) {
    const r = handleKey(s, typeof k === 'string' ? text(k) : k, ctx);
    s = r.state;
    effects.push(...r.effects);
  }
  return { s, effects };
}

function selectedName(s: UiState, ctx: KeyContext): string {
  const f = current(s);
  if (!isTable(f)) return '';
  const id = resolvePos(f.pos, ctx.tableRows(f), bodyHeight(s.size)).selected ?? '';
  return ctx.index.nodes.get(id)?.Description.Hostname ?? ctx.index.services.get(id)?.Spec.Name ?? id;
}

const actions = (effects: readonly Effect[]): Action[] => effects.flatMap((e) => (e.kind === 'action' ? [e.action] : []));

test('j/k, arrows, g/G and paging move the cursor within the rows', (t) => {
  const { ctx, state } = world();
  t.is(selectedName(press(state, ctx, 'j', 'j').s, ctx), 'manager3');
  t.is(selectedName(press(state, ctx, named('down'), named('up'), 'j').s, ctx), 'manager2');
  t.is(selectedName(press(state, ctx, 'G').s, ctx), 'worker3');
  t.is(selectedName(press(state, ctx, 'G', 'g').s, ctx), 'manager1');
  t.is(selectedName(press(state, ctx, named('pageDown')).s, ctx), 'worker3', 'a page down stops at the last row');
  t.is(selectedName(press(state, ctx, 'k', 'k').s, ctx), 'manager1', 'never above the first row');
});

test('Enter on a node or service opens its tasks; Esc comes back to the same row', (t) => {
  const { ctx, state } = world();
  const onNode = press(state, ctx, 'j', 'j', 'j', named('enter')).s;
  t.like(current(onNode), { kind: 'tasks', scope: { kind: 'node', name: 'worker1' } });
  t.is(ctx.tableRows(current(onNode) as never).length, 3);
  const back = press(onNode, ctx, named('escape')).s;
  t.is(current(back).kind, 'nodes');
  t.is(selectedName(back, ctx), 'worker1');
  const onService = press(state, ctx, '2', 'G', named('enter')).s;
  t.like(current(onService), { kind: 'tasks', scope: { kind: 'service', name: 'web' } });
  t.is(current(press(onService, ctx, named('enter')).s).kind, 'inspect', 'Enter on a task inspects it');
});

test('the palette: aliases, arguments, Tab completion, errors, :q', (t) => {
  const { ctx, state } = world();
  const run = (cmd: string) => press(state, ctx, ':', ...[...cmd], named('enter'));
  t.is(current(run('svc').s).kind, 'services');
  t.is(current(run('services').s).kind, 'services');
  t.is(current(run('no').s).kind, 'nodes');
  t.like(current(run('tasks web').s), { kind: 'tasks', scope: { kind: 'service', name: 'web' } });
  t.like(current(run('ps worker1').s), { kind: 'tasks', scope: { kind: 'node', name: 'worker1' } });
  t.is(current(run('cluster').s).kind, 'cluster');
  t.like(current(run('events').s), { kind: 'events', follow: true });
  t.deepEqual(run('q').effects, [{ kind: 'quit' }]);
  t.deepEqual(run('dash').effects, [{ kind: 'dashboard' }]);
  t.like(run('nope').s.status, { tone: 'error', text: 'unknown command ":nope" (:help lists the commands)' });
  t.like(run('tasks nothing').s.status, { tone: 'error' });
  t.like(press(state, ctx, ':', 's', 'e', named('tab')).s.mode, { kind: 'palette', text: 'services ' });
  t.is(press(state, ctx, ':', 's', named('escape')).s.mode.kind, 'normal');
});

test('/ filters as you type, ! inverts, Esc in the prompt restores, Esc after clears', (t) => {
  const { ctx, state } = world();
  const typed = press(state, ctx, '/', 'w', 'o', 'r').s;
  t.is(typed.mode.kind, 'filter');
  t.is(ctx.tableRows(current(typed) as never).length, 3);
  const kept = press(typed, ctx, named('enter')).s;
  t.deepEqual(current(kept).filter, { text: 'wor', invert: false });
  const inverted = press(kept, ctx, '/', named('backspace'), named('backspace'), named('backspace'), '!', 'm', 'a', 'n', named('enter')).s;
  t.deepEqual(ctx.tableRows(current(inverted) as never).map((id) => ctx.index.nodes.get(id)?.Description.Hostname), ['worker1', 'worker2', 'worker3']);
  const undone = press(kept, ctx, '/', 'x', named('escape')).s;
  t.deepEqual(current(undone).filter, { text: 'wor', invert: false }, 'Esc in the prompt goes back to the filter before it');
  t.deepEqual(current(press(kept, ctx, named('escape')).s).filter, { text: '', invert: false }, 'Esc clears the filter first');
  t.is(press(kept, ctx, '/', 'z', 'z', 'z').s.mode.kind, 'filter', 'no row matches; still filtering');
});

test('drain asks first with No selected: n, Esc, Enter cancel; y drains', (t) => {
  const { ctx, state } = world();
  const asked = press(state, ctx, 'j', 'j', 'j', 'd').s;
  t.like(asked.mode, { kind: 'confirm', choice: 'no', question: 'Drain node worker1? Its tasks will be moved to other nodes.' });
  for (const k of [text('n'), named('escape'), named('enter'), named('ctrl-c')]) {
    const r = press(asked, ctx, k);
    t.is(r.s.mode.kind, 'normal');
    t.deepEqual(r.effects, []);
    t.like(r.s.status, { text: 'cancelled' });
  }
  const yes = press(asked, ctx, 'y');
  t.like(actions(yes.effects)[0], { kind: 'node-availability', name: 'worker1', availability: 'drain' });
  t.like(yes.s.status, { tone: 'pending' });
  t.is(actions(press(asked, ctx, named('right'), named('enter')).effects).length, 1, 'Enter runs Yes once it is chosen');
});

test('node actions: promote and activate run at once, demote asks, redundant ones say why', (t) => {
  const { ctx, state } = world();
  t.like(actions(press(state, ctx, 'j', 'j', 'j', 'p').effects)[0], { kind: 'node-role', name: 'worker1', role: 'manager' });
  t.like(press(state, ctx, 'D').s.mode, { kind: 'confirm', question: 'Demote node manager1 to a worker?' });
  t.like(actions(press(state, ctx, 'D', 'y').effects)[0], { kind: 'node-role', role: 'worker' });
  t.like(actions(press(state, ctx, 'G', 'k', 'a').effects)[0], { kind: 'node-availability', name: 'worker2', availability: 'active' });
  t.like(actions(press(state, ctx, 'P').effects)[0], { kind: 'node-availability', availability: 'pause' });
  t.like(press(state, ctx, 'p').s.status, { text: 'manager1 is already a manager' });
  t.like(press(state, ctx, 'a').s.status, { text: 'manager1 is already active' });
});

test('service actions: scale asks the number, +/- by one, 0 asks first, image asks, rollback and remove ask', (t) => {
  const { ctx, state } = world();
  const web = press(state, ctx, '2', 'G').s;
  const prompt = press(web, ctx, 's').s;
  t.like(prompt.mode, { kind: 'prompt', text: '3' });
  t.like(actions(press(prompt, ctx, named('backspace'), '5', named('enter')).effects)[0], { kind: 'service-scale', name: 'web', replicas: 5 });
  t.like(press(prompt, ctx, 'x').s.status, { tone: 'error', text: 'replicas: digits only' });
  t.like(press(prompt, ctx, named('backspace'), named('enter')).s.status, { tone: 'error' });
  t.like(press(prompt, ctx, named('backspace'), '0', named('enter')).s.mode, { kind: 'confirm', question: 'Scale service web to 0? All of its tasks will stop.' });
  t.like(actions(press(web, ctx, '+').effects)[0], { kind: 'service-scale-by', delta: 1, expected: 4 });
  t.like(actions(press(web, ctx, '-').effects)[0], { kind: 'service-scale-by', delta: -1, expected: 2 });
  const image = press(web, ctx, 'u').s;
  t.like(image.mode, { kind: 'prompt', text: 'nginx:1.27' });
  const typed = press(image, ctx, ...Array.from({ length: 4 }, () => named('backspace')), '1', '.', '2', '8', named('enter'));
  t.like(actions(typed.effects)[0], { kind: 'service-image', image: 'nginx:1.28' });
  t.like(press(web, ctx, 'r').s.status, { tone: 'error', text: 'service web does not have a previous spec to roll back to' });
  t.like(actions(press(web, ctx, 'R').effects)[0], { kind: 'service-restart', name: 'web' });
  t.like(press(web, ctx, 'x').s.mode, { kind: 'confirm', question: 'Remove service web? Its tasks will stop.' });
});

test('Ctrl+C cancels a prompt and never quits from one; in the normal mode it quits', (t) => {
  const { ctx, state } = world();
  for (const opened of [press(state, ctx, ':').s, press(state, ctx, '/').s, press(state, ctx, '2', 's').s, press(state, ctx, 'd').s, press(state, ctx, '?').s]) {
    const r = press(opened, ctx, named('ctrl-c'));
    t.deepEqual(r.effects, [], `${opened.mode.kind}: no quit`);
    t.is(r.s.mode.kind, 'normal');
  }
  t.deepEqual(press(state, ctx, named('ctrl-c')).effects, [{ kind: 'quit' }]);
});

test('--read-only refuses every action with a status line and still opens views', (t) => {
  const { ctx, state } = world(true);
  for (const [view, keys] of [['1', ['d', 'a', 'P', 'p', 'D']], ['2', ['s', '+', '-', 'u', 'r', 'R', 'x']]] as const) {
    for (const k of keys) {
      const r = press(state, ctx, view, k);
      t.deepEqual(r.effects, []);
      t.is(r.s.mode.kind, 'normal');
      t.like(r.s.status, { tone: 'error', text: 'read-only console: actions are disabled (started with --read-only)' });
    }
  }
  t.is(current(press(state, ctx, '2', 'i').s).kind, 'inspect');
  t.is(current(press(state, ctx, '2', 'l').s).kind, 'logs');
});

test('o cycles the sort column, O reverses; :sort names a column', (t) => {
  const { ctx, state } = world();
  const byStatus = press(state, ctx, 'o').s;
  t.like(current(byStatus), { sort: { column: 'status', desc: false } });
  t.like(byStatus.status, { text: 'sorted by STATUS (ascending)' });
  t.is(selectedName(byStatus, ctx), 'worker3', 'Down sorts before Ready');
  t.like(current(press(byStatus, ctx, 'O').s), { sort: { column: 'status', desc: true } });
  t.like(current(press(state, ctx, ':', ...'sort tasks desc', named('enter')).s), { sort: { column: 'tasks', desc: true } });
});

test('logs keys: follow, pause, wrap', (t) => {
  const { ctx, state } = world();
  const logs = press(state, ctx, '2', 'l').s;
  t.like(current(logs), { kind: 'logs', follow: true, wrap: false, pausedAt: undefined });
  t.like(current(press(logs, ctx, 'w').s), { wrap: true });
  t.like(current(press(logs, ctx, 'f').s), { follow: false });
  t.like(current(press(logs, ctx, 'p').s), { pausedAt: 0 });
  t.like(current(press(logs, ctx, 'p', 'p').s), { pausedAt: undefined });
});
