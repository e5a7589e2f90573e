// The console's actions end to end over a real RPC socket (a FakeCluster
// served as the manager's Control API): each key sequence changes the
// cluster the way the manager would, and the outcome (or the manager's
// error text) shows in the status line. Also: read-only refusal, filter,
// drill-down, and resubscribing after the watch stream breaks.
import test, { type ExecutionContext } from 'ava';
import { rpcSource } from '../../src/tui/rpc-source.js';
import { ConsoleHarness } from './harness/console-harness.js';
import type { FakeCluster } from './harness/fake-cluster.js';
import { serveFakeCluster } from './harness/fake-control-server.js';
import { demoCluster, NOW } from './harness/fixtures.js';

async function open(t: ExecutionContext, cluster: FakeCluster = demoCluster(), readOnly = false): Promise<{ h: ConsoleHarness; c: FakeCluster }> {
  const server = await serveFakeCluster(cluster);
  const h = await ConsoleHarness.start({ source: rpcSource(server.client(), server.address), columns: 100, rows: 30, nowMs: NOW, readOnly });
  t.teardown(async () => {
    await h.close();
    await server.close();
  });
  await h.waitFor((s) => s.includes('● live') && s.includes('worker3') && s.includes('Leader'));
  return { h, c: cluster };
}

const replicas = (c: FakeCluster, name: string) => c.service(name).Spec.Mode.Replicated?.Replicas;

test('s asks the number and scales; + and - scale by one', async (t) => {
  const { h, c } = await open(t);
  await h.press('2', 'G', 's');
  await h.waitFor('Scale web to: 3_');
  await h.press('backspace', '5', 'enter');
  await h.waitFor('OK web scaled to 5');
  t.is(replicas(c, 'web'), 5);
  await h.waitFor(/web\s+replicated 2\/5/);
  await h.press('+');
  await h.waitFor('OK web scaled to 6');
  await h.press('-', '-');
  await h.waitFor(() => replicas(c, 'web') === 4);
  t.is(replicas(c, 'web'), 4);
});

test('scale to 0 asks first; n leaves the service alone', async (t) => {
  const { h, c } = await open(t);
  await h.press('2', 'g', 's', 'backspace', '0', 'enter');
  await h.waitFor('Scale service api to 0? All of its tasks will stop. [No]');
  await h.press('n');
  await h.waitFor('cancelled');
  t.is(replicas(c, 'api'), 2);
  t.false(c.calls.some((x) => x.startsWith('updateService')));
  await h.press('s', 'backspace', '0', 'enter', 'y');
  await h.waitFor('OK api scaled to 0');
  t.is(replicas(c, 'api'), 0);
});

test('drain asks with No selected; y drains, the row says Drain', async (t) => {
  const { h, c } = await open(t);
  await h.press('j', 'j', 'j', 'd');
  await h.waitFor('Drain node worker1? Its tasks will be moved to other nodes. [No]  Yes');
  await h.press('enter');
  await h.waitFor('cancelled');
  t.is(c.node('worker1').Spec.Availability, 'active', 'Enter on the selected No cancels');
  await h.press('d', 'escape');
  await h.waitFor('cancelled');
  await h.press('d', 'y');
  await h.waitFor('OK Node worker1 drained.');
  t.is(c.node('worker1').Spec.Availability, 'drain');
  await h.waitFor(/> \S+\s+worker1\s+Ready\s+Drain/);
  await h.press('a');
  await h.waitFor('OK Node worker1 active.');
  t.is(c.node('worker1').Spec.Availability, 'active');
});

test('promote and demote; the manager refuses to demote the last manager, in its words', async (t) => {
  const { h, c } = await open(t);
  await h.press('j', 'j', 'j', 'p');
  await h.waitFor('OK Node worker1 promoted to a manager in the swarm.');
  t.is(c.node('worker1').Spec.Role, 'manager');
  await h.press('k', 'D', 'y');
  await h.waitFor('OK Manager manager3 demoted in the swarm.');
  t.is(c.node('manager3').Spec.Role, 'worker');
  // Only manager1 left as a manager after these two.
  for (const name of ['manager2', 'worker1']) await c.control.updateNode(c.node(name).ID, c.node(name).Version.Index, { ...c.node(name).Spec, Role: 'worker' });
  await h.press('g', 'D', 'y');
  await h.waitFor('ERROR attempting to demote the last manager of the swarm');
  t.is(c.node('manager1').Spec.Role, 'manager');
});

test('update the image, then roll back to the previous spec; remove asks first', async (t) => {
  const { h, c } = await open(t);
  await h.press('2', 'g', 'u');
  await h.waitFor('New image for api: registry.local/api:2.1_');
  await h.press('backspace', '2', 'enter');
  await h.waitFor('OK api updated to image registry.local/api:2.2');
  t.is(c.service('api').Spec.TaskTemplate.ContainerSpec.Image, 'registry.local/api:2.2');
  await h.press('r');
  await h.waitFor('Roll back service api to its previous spec? [No]');
  await h.press('y');
  await h.waitFor('OK api: rollback requested');
  t.is(c.service('api').Spec.TaskTemplate.ContainerSpec.Image, 'registry.local/api:2.1');
  t.is(c.service('api').UpdateStatus?.State, 'rollback_started');
  await h.waitFor(/api\s+replicated\s+1\/2\s+registry\.local\/api.*rolling back 1\/2/);
  await h.press('R');
  await h.waitFor('OK api: forced update requested');
  t.is(c.service('api').Spec.TaskTemplate.ForceUpdate, 1);
  await h.press('x', 'y');
  await h.waitFor('OK api removed');
  await h.waitFor('Services (2)');
  t.throws(() => c.service('api'));
});

test('a read-only console changes nothing and says why', async (t) => {
  const { h, c } = await open(t, demoCluster(), true);
  await h.press('j', 'd');
  await h.waitFor('ERROR read-only console: actions are disabled (started with --read-only)');
  await h.press('2', 's', 'x', '+', 'r');
  await h.waitFor('ERROR read-only console');
  t.deepEqual(c.calls, []);
  t.false(h.screen().includes('Drain node'));
});

test('filter narrows the rows; Enter on a node lists its tasks; Esc goes back', async (t) => {
  const { h } = await open(t);
  await h.press('/', 'w', 'o', 'r', 'k');
  await h.waitFor('Nodes (3 of 6)');
  await h.press('enter', 'j', 'enter');
  const tasks = await h.waitFor('Tasks on node worker2 (1)');
  t.regex(tasks, /web\.3\s+worker2\s+Shutdown\s+Shutdown 30 minutes ago/);
  await h.press('escape');
  await h.waitFor('Nodes (3 of 6)');
  await h.press('escape');
  await h.waitFor('Nodes (6)');
});

test('a broken watch stream is resubscribed; what went away meanwhile is dropped, changes keep coming', async (t) => {
  const { h, c } = await open(t);
  c.breakWatches();
  // Removed while the console was not subscribed: no event says so.
  c.nodes.delete(c.node('worker3').ID);
  await h.waitFor((s) => s.includes('Nodes (5)') && s.includes('● live'));
  c.addNode('worker4');
  await h.waitFor('worker4');
  await h.press('5');
  await h.waitFor(/worker4: ready, availability active/);
  t.pass();
});

test('events and a leader change show in the events view', async (t) => {
  const { h, c } = await open(t);
  await h.press('5');
  await h.waitFor('Events (0)');
  const task = [...c.tasks.values()].find((x) => x.Status.State === 'pending');
  if (task === undefined) return t.fail();
  c.setTaskState(task, 'failed', 'no such image');
  await h.waitFor(/update\s+task\s+api\.2: pending -> failed \(no such image\)/);
  const m2 = c.node('manager2');
  c.raft = { ...c.raftStatus(), Term: 4, LeaderID: m2.ID, Members: c.raftStatus().Members.map((m) => ({ ...m, Leader: m.NodeID === m2.ID })) };
  await h.waitFor('raft leader changed: manager2 (term 4)');
  await h.press('1');
  await h.waitFor(/manager2\s+Ready\s+Active\s+Leader/);
  t.pass();
});

test('logs: replicas merged with task prefixes; search, pause and wrap', async (t) => {
  const c = demoCluster();
  const web = c.service('web');
  const [t1, t2] = [...c.tasks.values()].filter((x) => x.ServiceID === web.ID && x.Status.State === 'running');
  if (t1 === undefined || t2 === undefined) return t.fail();
  const line = (task: typeof t1, text: string) => ({ TaskID: task.ID, NodeID: task.NodeID ?? '', Stream: 'stdout' as const, Line: text, Time: '2024-06-01T12:00:00.000000000Z' });
  c.logs = [line(t1, 'GET / 200'), line(t2, 'GET /health 200'), line(t1, `POST /login 401 ${'x'.repeat(120)}`)];
  const { h } = await open(t, c);
  await h.press('2', 'G', 'l');
  const s = await h.waitFor('lines 1-3 of 3');
  t.regex(s, new RegExp(`web\\.1\\.${t1.ID.slice(0, 12)}@worker1\\s+\\| GET / 200`));
  t.regex(s, new RegExp(`web\\.2\\.${t2.ID.slice(0, 12)}@manager1 \\| GET /health 200`));
  t.is(c.calls.at(-1), `serviceLogs ${web.ID}`);
  await h.press('/', 'l', 'o', 'g', 'i', 'n', 'enter');
  await h.waitFor('lines 1-1 of 1');
  await h.press('w');
  await h.waitFor('lines 1-2 of 2');
  await h.press('p');
  await h.waitFor('PAUSED (+0 new, p resumes)');
  await h.press('p');
  await h.waitFor(/following\s+│ wrap on/);
  t.pass();
});
