import test from 'ava';
import { makeNode } from '../fake-objects.js';
import { NOT_A_MANAGER } from '../fake-daemon.js';
import { runCli } from '../run-cli.js';
import { closeFakes, NODE01, NODE02, NODE03, seedSwarm } from './cluster-fixture.js';

test.after.always(closeFakes);

test('node promote and demote print Docker\'s sentences and change the role (seed 002)', async (t) => {
  const f = await seedSwarm(NODE01, [NODE01, NODE02]);
  const p = await runCli(f.host, ['node', 'promote', 'docker-node02']);
  t.is(p.status, 0, p.err);
  t.is(p.out, 'Node docker-node02 promoted to a manager in the swarm.\n');
  t.is(f.state.nodes.find((n) => n.ID === NODE02.ID)?.Spec.Role, 'manager');
  const ls = await runCli(f.host, ['node', 'ls']);
  t.regex(ls.out, /tzkm0ymzjdmc1r8d54snievf1 {5}docker-node02 {3}Ready {5}Active {9}Reachable {8}19\.03\.11\n/);
  const d = await runCli(f.host, ['node', 'demote', 'docker-node02']);
  t.is(d.out, 'Manager docker-node02 demoted in the swarm.\n');
  t.is(f.state.nodes.find((n) => n.ID === NODE02.ID)?.Spec.Role, 'worker');
  const update = f.calls.filter((c) => c.method === 'updateNode').at(-1);
  t.like(update?.request, { ref: NODE02.ID, spec: { Role: 'worker', Availability: 'active', Labels: {} } });
});

test('node promote/demote: nodes already in the role are said so and skipped; the manager\'s refusal passes', async (t) => {
  const f = await seedSwarm(NODE01, [NODE01, NODE02]);
  const p = await runCli(f.host, ['node', 'promote', 'docker-node01', 'docker-node02']);
  t.is(p.out, `Node ${NODE01.ID} is already a manager.\nNode docker-node02 promoted to a manager in the swarm.\n`);
  const d = await runCli(f.host, ['node', 'demote', 'tzkm']);
  t.is(d.out, 'Manager tzkm demoted in the swarm.\n');
  const again = await runCli(f.host, ['node', 'demote', 'tzkm']);
  t.is(again.out, `Node ${NODE02.ID} is already a worker.\n`);
  const last = await runCli(f.host, ['node', 'demote', 'self']);
  t.is(last.status, 1);
  t.is(last.err, 'Error response from daemon: node self not found\n');
  const lastById = await runCli(f.host, ['node', 'demote', 'docker-node01']);
  t.is(lastById.err, 'Error response from daemon: attempting to demote the last manager of the swarm\n');
  const usage = await runCli(f.host, ['node', 'promote']);
  t.is(usage.err, '"shoal node promote" requires at least 1 argument.\nSee \'shoal node promote --help\'.\n\nUsage:  shoal node promote NODE [NODE...]\n\nPromote one or more nodes to manager in the swarm\n');
});

test('node update --availability drain prints the node as named (seed 002)', async (t) => {
  const f = await seedSwarm(NODE01, [NODE01, NODE02]);
  const r = await runCli(f.host, ['node', 'update', 'docker-node01', '--availability', 'drain']);
  t.is(r.status, 0, r.err);
  t.is(r.out, 'docker-node01\n');
  const ls = await runCli(f.host, ['node', 'ls']);
  t.regex(ls.out, /ynz304mbltxx10v3i15ldkmj1 \* {3}docker-node01 {3}Ready {5}Drain {10}Leader/);
  const upper = await runCli(f.host, ['node', 'update', '--availability', 'ACTIVE', '--role', 'Manager', 'tzkm0ymzjdmc1r8d54snievf1']);
  t.is(upper.out, 'tzkm0ymzjdmc1r8d54snievf1\n');
  t.like(f.state.nodes.find((n) => n.ID === NODE02.ID)?.Spec, { Availability: 'active', Role: 'manager' });
});

test('node update --label-add/--label-rm (seed 000)', async (t) => {
  const f = await seedSwarm(NODE01, [NODE01, makeNode({ id: 'd2xxxxxxxxxxxxxxxxxxxxxxx', hostname: 'docker02', labels: { old: '1' } })]);
  const r = await runCli(f.host, ['node', 'update', '--label-add', 'mem=max', '--label-add', 'ssd', '--label-rm', 'old', 'docker02']);
  t.is(r.status, 0, r.err);
  t.is(r.out, 'docker02\n');
  const inspect = await runCli(f.host, ['node', 'inspect', '-f', '{{json .Spec.Labels}}', 'docker02']);
  t.is(inspect.out, '{"mem":"max","ssd":""}\n');
  const missing = await runCli(f.host, ['node', 'update', '--label-rm', 'nosuch', 'docker02']);
  t.is(missing.status, 1);
  t.is(missing.err, "key nosuch doesn't exist in node's labels\n");
});

test('node update guard rails: bad values in the daemon\'s words, nothing sent', async (t) => {
  const f = await seedSwarm();
  const a = await runCli(f.host, ['node', 'update', '--availability', 'sleep', 'docker-node02']);
  t.is(a.status, 1);
  t.is(a.err, 'Error response from daemon: invalid Availability: "sleep"\n');
  const role = await runCli(f.host, ['node', 'update', '--role', 'boss', 'docker-node02']);
  t.is(role.err, 'Error response from daemon: invalid Role: "boss"\n');
  t.deepEqual(f.methods(), []);
  const two = await runCli(f.host, ['node', 'update', 'a', 'b']);
  t.is(two.status, 1);
  t.true(two.err.startsWith('"shoal node update" requires exactly 1 argument.\n'));
  const gone = await runCli(f.host, ['node', 'update', '--availability', 'drain', 'nosuch']);
  t.is(gone.err, 'Error response from daemon: node nosuch not found\n');
  const worker = await seedSwarm(NODE02);
  const w = await runCli(worker.host, ['node', 'update', '--availability', 'drain', 'docker-node02']);
  t.is(w.err, `Error response from daemon: ${NOT_A_MANAGER}\n`);
});

test('node rm: the seed\'s refusals, then down nodes removed and printed', async (t) => {
  const down03 = makeNode({ id: 'aeo8j7zit9qkoeeft3j0q1h0z', hostname: 'docker-node03', state: 'down', engineVersion: '19.03.11' });
  const down03b = makeNode({ id: 'rm3j7cjvmoa35yy8ckuzoay46', hostname: 'docker-node03', state: 'down', engineVersion: '19.03.11' });
  const f = await seedSwarm();
  const mgr = await runCli(f.host, ['node', 'rm', 'docker-node03']);
  t.is(mgr.status, 1);
  t.is(mgr.err, 'Error response from daemon: node aeo8j7zit9qkoeeft3j0q1h0z is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal\n');
  const up = await runCli(f.host, ['node', 'rm', 'docker-node02']);
  t.is(up.err, "Error response from daemon: node tzkm0ymzjdmc1r8d54snievf1 is not down and can't be removed\n");
  f.useCluster([NODE01, NODE02, down03, down03b], NODE01.ID);
  const rm = await runCli(f.host, ['node', 'rm', 'aeo8j7zit9qkoeeft3j0q1h0z', 'rm3j7cjvmoa35yy8ckuzoay46']);
  t.is(rm.status, 0, rm.err);
  t.is(rm.out, 'aeo8j7zit9qkoeeft3j0q1h0z\nrm3j7cjvmoa35yy8ckuzoay46\n');
  t.deepEqual(
    f.state.nodes.map((n) => n.ID),
    [NODE01.ID, NODE02.ID],
  );
});

test('node rm reports every failure and carries on; --force removes a ready worker', async (t) => {
  const f = await seedSwarm();
  const r = await runCli(f.host, ['node', 'remove', 'nosuch', 'docker-node02', 'docker-node03']);
  t.is(r.status, 1);
  t.is(r.out, '');
  t.is(
    r.err,
    'Error response from daemon: node nosuch not found\n' +
      "Error response from daemon: node tzkm0ymzjdmc1r8d54snievf1 is not down and can't be removed\n" +
      `Error response from daemon: node ${NODE03.ID} is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal\n`,
  );
  const forced = await runCli(f.host, ['node', 'rm', '-f', 'docker-node02']);
  t.is(forced.out, 'docker-node02\n');
  t.deepEqual(f.calls.at(-1), { method: 'removeNode', request: { ref: 'docker-node02', force: true } });
});
