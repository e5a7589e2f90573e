// `shoal console` in a real terminal (tmux) against a real local cluster
// (shoald processes on 127.0.86.x): keys go in with send-keys, the screen
// comes back with capture-pane, and every action is checked on the
// cluster itself, through its control API. Also: the dashboard and back,
// :q, and SIGTERM leaving the terminal as it was.
import test from 'ava';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ControlContract } from '../../src/api/contracts/control.js';
import type { Node } from '../../src/api/node.js';
import type { Service } from '../../src/api/service.js';
import { LocalCluster } from '../../src/cli/local-cluster.js';
import { Tmux } from './harness/tmux.js';

const MS = 1_000_000;
const SHOAL = fileURLToPath(new URL('../../bin/shoal.js', import.meta.url));
const NAMES = ['manager1', 'worker1', 'worker2'];
const dir = mkdtempSync(join(tmpdir(), 'shoal-tui-e2e-'));
const cluster = new LocalCluster({ dir, names: NAMES, subnet: 86, port: 24386 });
const tmux = new Tmux(120, 36);
const control = () => cluster.client('manager1');
const nodes = async (): Promise<Node[]> => (await control().call(ControlContract, 'listNodes', {}, { deadlineMs: 5000 })).nodes;
const service = (ref: string): Promise<Service> => control().call(ControlContract, 'getService', { ref }, { deadlineMs: 5000 });

/** Poll the cluster until `check` holds (bounded). */
async function until<T>(what: string, read: () => Promise<T>, check: (v: T) => boolean, limitMs = 20_000): Promise<T> {
  const end = Date.now() + limitMs;
  for (;;) {
    const v = await read().catch(() => undefined);
    if (v !== undefined && check(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v)?.slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A window running the console; its shell's pid (exec'd into node) is written to `pidFile`. */
function startConsole(name: string, extra = ''): string {
  const pidFile = join(dir, `${name}.pid`);
  const sock = cluster.node('manager1').socket;
  // CI=true on purpose: the console must draw every frame whatever CI says.
  tmux.start(name, `sh -c 'echo $$ > ${pidFile}; CI=true TERM=xterm-256color exec ${process.execPath} ${SHOAL} -H unix://${sock} console ${extra}'; echo CONSOLE-EXIT=$?; sleep 600`);
  return pidFile;
}

test.before(async () => {
  await Promise.all(NAMES.map((n) => cluster.start(n)));
  const tokens = await cluster.init('manager1');
  await cluster.join('worker1', 'manager1', tokens.workerToken);
  await cluster.join('worker2', 'manager1', tokens.workerToken);
  for (const [name, replicas] of [['web', 2], ['api', 1]] as const) {
    const spec = { Name: name, Mode: { Replicated: { Replicas: replicas } }, TaskTemplate: { ContainerSpec: { Image: 'busybox', Command: ['sleep', '1000'], StopGracePeriod: 1000 * MS }, RestartPolicy: { Condition: 'any', Delay: 200 * MS } } };
    await control().call(ControlContract, 'createService', { spec }, { deadlineMs: 10_000 });
  }
  await until('all nodes ready', nodes, (ns) => ns.length === 3 && ns.every((n) => n.Status.State === 'ready'));
});

test.after.always(async () => {
  tmux.kill();
  await cluster.stop();
});

test.serial('the console shows the cluster live, with the leader', async (t) => {
  startConsole('main');
  const s = await tmux.waitFor('main', (x) => x.includes('● live') && x.includes('worker2') && x.includes('Leader'), 'the nodes view');
  t.regex(s, /manager1\s+Ready\s+Active\s+Leader/);
  t.is(tmux.flag('main', 'alternate_on'), '1', 'on the alternate screen');
});

test.serial('d drains the selected node after y, and the cluster has it drained', async (t) => {
  tmux.type('main', '/worker2');
  tmux.keys('main', 'Enter');
  await tmux.waitFor('main', 'Nodes (1 of 3)', 'the filtered nodes');
  tmux.type('main', 'd');
  await tmux.waitFor('main', 'Drain node worker2? Its tasks will be moved to other nodes. [No]', 'the question');
  tmux.type('main', 'y');
  await tmux.waitFor('main', 'OK Node worker2 drained.', 'the outcome');
  const n = await until('worker2 drained', nodes, (ns) => ns.find((x) => x.Description.Hostname === 'worker2')?.Spec.Availability === 'drain');
  t.truthy(n);
  await tmux.waitFor('main', /worker2\s+Ready\s+Drain/, 'the row says Drain');
  tmux.keys('main', 'Escape');
});

test.serial('s scales the service to the number typed', async (t) => {
  tmux.type('main', ':svc');
  tmux.keys('main', 'Enter');
  await tmux.waitFor('main', 'Services (2)', 'the services view');
  tmux.type('main', 'Gs');
  await tmux.waitFor('main', 'Scale web to: 2_', 'the prompt');
  tmux.keys('main', 'BSpace');
  tmux.type('main', '4');
  tmux.keys('main', 'Enter');
  await tmux.waitFor('main', 'OK web scaled to 4', 'the outcome');
  const s = await until('web at 4 replicas', () => service('web'), (x) => x.Spec.Mode.Replicated?.Replicas === 4);
  t.is(s.Spec.Mode.Replicated?.Replicas, 4);
  await tmux.waitFor('main', /web\s+replicated\s+4\/4/, 'four running');
});

test.serial('r rolls the service back to its previous spec after y', async (t) => {
  tmux.type('main', 'r');
  await tmux.waitFor('main', 'Roll back service web to its previous spec? [No]', 'the question');
  tmux.type('main', 'y');
  await tmux.waitFor('main', 'OK web: rollback requested', 'the outcome');
  const s = await until('web rolled back', () => service('web'), (x) => x.Spec.Mode.Replicated?.Replicas === 2);
  t.is(s.UpdateStatus?.State.startsWith('rollback'), true, `update status ${s.UpdateStatus?.State ?? 'none'}`);
  await tmux.waitFor('main', /web\s+replicated\s+\d\/2/, 'two desired again');
});

test.serial('the dashboard takes the terminal and gives it back', async (t) => {
  tmux.type('main', ':dash');
  tmux.keys('main', 'Enter');
  await tmux.waitFor('main', (s) => s.includes('Tasks running') && s.includes('Recent events'), 'the dashboard');
  tmux.type('main', 'q');
  const s = await tmux.waitFor('main', (x) => x.includes('Services (2)') && x.includes('● live'), 'the console again');
  t.false(s.includes('Recent events'));
});

test.serial(':q quits and the normal screen comes back', async (t) => {
  tmux.type('main', ':q');
  tmux.keys('main', 'Enter');
  await tmux.waitFor('main', 'CONSOLE-EXIT=0', 'the exit');
  t.is(tmux.flag('main', 'alternate_on'), '0');
  t.is(tmux.flag('main', 'cursor_flag'), '1', 'the cursor is shown');
});

test.serial('shoal dashboard runs on its own; q quits', async (t) => {
  const sock = cluster.node('manager1').socket;
  tmux.start('dash', `CI=true TERM=xterm-256color ${process.execPath} ${SHOAL} -H unix://${sock} dashboard; echo DASH-EXIT=$?; sleep 600`);
  await tmux.waitFor('dash', (s) => s.includes('Tasks running') && s.includes('Nodes 3 up') && s.includes('q quits'), 'the dashboard');
  tmux.type('dash', 'q');
  await tmux.waitFor('dash', 'DASH-EXIT=0', 'the exit');
  t.is(tmux.flag('dash', 'alternate_on'), '0');
});

test.serial('SIGTERM restores the terminal', async (t) => {
  const pidFile = startConsole('term', '--read-only');
  await tmux.waitFor('term', (x) => x.includes('READ-ONLY') && x.includes('● live'), 'the console');
  process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGTERM');
  await tmux.waitFor('term', 'CONSOLE-EXIT=143', 'the exit');
  t.is(tmux.flag('term', 'alternate_on'), '0');
  t.is(tmux.flag('term', 'cursor_flag'), '1');
});
