// The real `shoal` CLI (bin/shoal.js) against a real cluster of shoald
// processes (3 managers + 2 workers on 127.0.87.x): the swarm and node
// commands of the seeds, with Docker's outputs and guard rails.
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalCluster } from '../../src/cli/local-cluster.js';

const SHOAL = fileURLToPath(new URL('../../bin/shoal.js', import.meta.url));
const NAMES = ['manager1', 'manager2', 'manager3', 'worker1', 'worker2'];
const cluster = new LocalCluster({ dir: mkdtempSync(join(tmpdir(), 'shoal-cli-e2e-')), names: NAMES, subnet: 87, port: 24377 });

interface Run {
  code: number;
  out: string;
  err: string;
}

function shoal(node: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SHOAL, '-H', `unix://${cluster.node(node).socket}`, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, out: stdout, err: stderr });
    });
  });
}

async function until(what: string, fn: () => Promise<Run>, check: (r: Run) => boolean, limitMs = 30_000): Promise<Run> {
  const end = Date.now() + limitMs;
  for (;;) {
    const r = await fn();
    if (check(r)) return r;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last output:\n${r.out}${r.err}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

const rows = (out: string) => out.trim().split('\n').slice(1);

test.before(async () => {
  await Promise.all(NAMES.map((n) => cluster.start(n)));
});

test.afterEach.always((t) => {
  if (!t.passed) for (const n of cluster.nodes) t.log(`${n.name}:\n  ${n.log.slice(-15).join('\n  ')}`);
});

test.after.always(async () => {
  await cluster.stop();
});

test.serial('swarm init, join-token and join print what docker prints', async (t) => {
  const init = await shoal('manager1', 'swarm', 'init', '--advertise-addr', cluster.addr('manager1'), '--listen-addr', cluster.addr('manager1'));
  t.is(init.code, 0, init.err);
  t.regex(init.out, /^Swarm initialized: current node \([0-9a-z]{25}\) is now a manager\.\n\nTo add a worker to this swarm, run the following command:\n\n {4}shoal swarm join --token SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25} 127\.0\.87\.1:24377\n\nTo add a manager to this swarm, run 'shoal swarm join-token manager' and follow the instructions\.\n/);
  const managerToken = (await shoal('manager1', 'swarm', 'join-token', '-q', 'manager')).out.trim();
  const workerToken = (await shoal('manager1', 'swarm', 'join-token', '-q', 'worker')).out.trim();
  t.regex(managerToken, /^SWMTKN-1-/);
  const text = await shoal('manager1', 'swarm', 'join-token', 'manager');
  t.regex(text.out, /^To add a manager to this swarm, run the following command:\n\n {4}shoal swarm join --token SWMTKN-1-\S+ 127\.0\.87\.1:24377\n/);
  for (const [name, token, role] of [['manager2', managerToken, 'manager'], ['manager3', managerToken, 'manager'], ['worker1', workerToken, 'worker'], ['worker2', workerToken, 'worker']] as const) {
    const r = await shoal(name, 'swarm', 'join', '--token', token, cluster.addr('manager1'), '--advertise-addr', cluster.addr(name), '--listen-addr', cluster.addr(name));
    t.is(r.out, `This node joined a swarm as a ${role}.\n`, r.err);
  }
});

test.serial('node ls shows the five nodes with Docker\'s columns, -q and --format json', async (t) => {
  const ls = await until('five ready nodes', () => shoal('manager1', 'node', 'ls'), (r) => rows(r.out).length === 5 && rows(r.out).every((l) => l.includes('Ready')) && (r.out.match(/Reachable/g) ?? []).length === 2);
  t.regex(ls.out.split('\n')[0]!, /^ID\s+HOSTNAME\s+STATUS\s+AVAILABILITY\s+MANAGER STATUS\s+ENGINE VERSION$/);
  t.regex(ls.out, /[0-9a-z]{25} \*\s+manager1\s+Ready\s+Active\s+Leader\s+0\.1\.0/);
  const q = await shoal('manager1', 'node', 'ls', '-q');
  t.is(q.out.trim().split('\n').length, 5);
  const json = (await shoal('manager1', 'node', 'ls', '--format', 'json')).out.trim().split('\n').map((l) => JSON.parse(l) as { Hostname: string; Status: string });
  t.deepEqual(json.map((j) => j.Hostname).sort(), NAMES);
});

test.serial('node update, inspect and ps', async (t) => {
  t.is((await shoal('manager1', 'node', 'update', '--label-add', 'mem=max', 'worker1')).out, 'worker1\n');
  const inspect = JSON.parse((await shoal('manager1', 'node', 'inspect', 'worker1')).out) as Array<{ Spec: { Labels: Record<string, string> } }>;
  t.is(inspect[0]?.Spec.Labels['mem'], 'max');
  const pretty = await shoal('manager1', 'node', 'inspect', '--pretty', 'worker1');
  t.regex(pretty.out, /Hostname:\s+worker1/);
  t.is((await shoal('manager1', 'node', 'update', '--availability', 'drain', 'worker2')).code, 0);
  t.regex((await shoal('manager1', 'node', 'ls')).out, /worker2\s+Ready\s+Drain/);
  const ps = await shoal('manager1', 'node', 'ps', 'manager1');
  t.regex(ps.out, /^ID\s+NAME\s+IMAGE\s+NODE\s+DESIRED STATE\s+CURRENT STATE\s+ERROR\s+PORTS/);
  t.is((await shoal('manager1', 'swarm', 'update', '--task-history-limit', '10')).out, 'Swarm updated.\n');
});

test.serial('guard rails come back in Docker\'s words', async (t) => {
  const rmReady = await shoal('manager1', 'node', 'rm', 'worker1');
  t.is(rmReady.code, 1);
  t.regex(rmReady.err, /^Error response from daemon: node [0-9a-z]{25} is not down and can't be removed\n/);
  const rmManager = await shoal('manager1', 'node', 'rm', 'manager2');
  t.regex(rmManager.err, /is a cluster manager and is a member of the raft cluster\. It must be demoted to worker before removal/);
  const leave = await shoal('manager3', 'swarm', 'leave');
  t.is(leave.code, 1);
  t.regex(leave.err, /You are attempting to leave the swarm on a node that is participating as a manager\./);
  const onWorker = await shoal('worker1', 'node', 'ls');
  t.is(onWorker.err, "Error response from daemon: This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.\n");
});

test.serial('node promote and demote', async (t) => {
  t.is((await shoal('manager1', 'node', 'promote', 'worker1')).out, 'Node worker1 promoted to a manager in the swarm.\n');
  await until('worker1 reachable', () => shoal('manager1', 'node', 'ls'), (r) => /worker1\s+Ready\s+Active\s+Reachable/.test(r.out));
  t.is((await shoal('manager1', 'node', 'demote', 'worker1')).out, 'Manager worker1 demoted in the swarm.\n');
  await until('worker1 a worker again', () => shoal('manager1', 'node', 'ls'), (r) => /worker1\s+Ready\s+Active\s+0\.1\.0/.test(r.out));
  t.pass();
});

test.serial('-H wss://HOST:PORT with a client certificate reaches a manager remotely', async (t) => {
  const dir = cluster.node('manager2').dataDir;
  const r = await new Promise<Run>((resolve) => {
    execFile(
      process.execPath,
      [SHOAL, '-H', `wss://${cluster.addr('manager2')}`, '--tlscacert', join(dir, 'ca.pem'), '--tlscert', join(dir, 'node.crt'), '--tlskey', join(dir, 'node.key'), 'node', 'ls', '-q'],
      { timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : 1, out: stdout, err: stderr }),
    );
  });
  t.is(r.code, 0, r.err);
  t.is(r.out.trim().split('\n').length, 5);
});

test.serial('demoting the leader hands leadership over first', async (t) => {
  t.is((await shoal('manager1', 'node', 'demote', 'manager1')).out, 'Manager manager1 demoted in the swarm.\n');
  const ls = await until('manager1 out of raft, another leader', () => shoal('manager2', 'node', 'ls'), (r) => /manager1\s+Ready\s+Active\s+0\.1\.0/.test(r.out) && /(manager2|manager3)\s+Ready\s+Active\s+Leader/.test(r.out));
  t.regex(ls.out, /Leader/);
});

test.serial('a worker leaves; once down it can be removed', async (t) => {
  t.is((await shoal('worker2', 'swarm', 'leave')).out, 'Node left the swarm.\n');
  await until('worker2 down', () => shoal('manager2', 'node', 'ls'), (r) => /worker2\s+Down/.test(r.out));
  const rm = await shoal('manager2', 'node', 'rm', 'worker2');
  t.is(rm.out, 'worker2\n', rm.err);
  t.is(rows((await shoal('manager2', 'node', 'ls')).out).length, 4);
});
