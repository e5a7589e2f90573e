import test from 'ava';
import { makeNode } from '../fake-objects.js';
import { NOT_A_MANAGER, NOT_IN_SWARM } from '../fake-daemon.js';
import { runCli } from '../run-cli.js';
import { closeFakes, NODE01, NODE02, NODE03, seedSwarm } from './cluster-fixture.js';

test.after.always(closeFakes);

const SEED_TABLE =
  'ID                            HOSTNAME        STATUS    AVAILABILITY   MANAGER STATUS   ENGINE VERSION\n' +
  'ynz304mbltxx10v3i15ldkmj1 *   docker-node01   Ready     Active         Leader           19.03.11\n' +
  'tzkm0ymzjdmc1r8d54snievf1     docker-node02   Ready     Active                          19.03.11\n' +
  'aeo8j7zit9qkoeeft3j0q1h0z     docker-node03   Ready     Active         Reachable        19.03.11\n';

test('node ls prints the seed\'s table: sorted by hostname, this node marked *', async (t) => {
  const f = await seedSwarm();
  const r = await runCli(f.host, ['node', 'ls']);
  t.is(r.status, 0, r.err);
  t.is(r.out, SEED_TABLE);
  t.deepEqual(f.methods(), ['listNodes', 'info']);
  const alias = await runCli(f.host, ['node', 'list']);
  t.is(alias.out, SEED_TABLE);
});

test('node ls shows Down/Unknown, Pause/Drain and Unreachable as Docker words them, in natural order', async (t) => {
  const nodes = [
    makeNode({ id: 'n10xxxxxxxxxxxxxxxxxxxxxx', hostname: 'node10', state: 'down', availability: 'drain' }),
    makeNode({ id: 'n2xxxxxxxxxxxxxxxxxxxxxxx', hostname: 'node2', state: 'unknown', availability: 'pause', role: 'manager', reachability: 'unreachable' }),
    makeNode({ id: 'n1xxxxxxxxxxxxxxxxxxxxxxx', hostname: 'node1', role: 'manager', leader: true }),
  ];
  const f = await seedSwarm(nodes[2], nodes);
  const r = await runCli(f.host, ['node', 'ls']);
  t.is(
    r.out,
    'ID                            HOSTNAME   STATUS    AVAILABILITY   MANAGER STATUS   ENGINE VERSION\n' +
      'n1xxxxxxxxxxxxxxxxxxxxxxx *   node1      Ready     Active         Leader           0.1.0\n' +
      'n2xxxxxxxxxxxxxxxxxxxxxxx     node2      Unknown   Pause          Unreachable      0.1.0\n' +
      'n10xxxxxxxxxxxxxxxxxxxxxx     node10     Down      Drain                           0.1.0\n',
  );
});

test('node ls -q prints ids only, without asking who this node is', async (t) => {
  const f = await seedSwarm();
  const r = await runCli(f.host, ['node', 'ls', '-q']);
  t.is(r.out, `${NODE01.ID}\n${NODE02.ID}\n${NODE03.ID}\n`);
  t.deepEqual(f.methods(), ['listNodes']);
});

test('node ls --format json: one object per line with docker\'s keys', async (t) => {
  const f = await seedSwarm();
  const r = await runCli(f.host, ['node', 'ls', '--format', 'json']);
  t.is(r.status, 0, r.err);
  const lines = r.out.trimEnd().split('\n');
  t.is(lines.length, 3);
  t.is(
    lines[0],
    '{"Availability":"Active","EngineVersion":"19.03.11","Hostname":"docker-node01","ID":"ynz304mbltxx10v3i15ldkmj1","ManagerStatus":"Leader","Self":true,"Status":"Ready","TLSStatus":"Unknown"}',
  );
  t.is(lines[1], '{"Availability":"Active","EngineVersion":"19.03.11","Hostname":"docker-node02","ID":"tzkm0ymzjdmc1r8d54snievf1","ManagerStatus":"","Self":false,"Status":"Ready","TLSStatus":"Unknown"}');
});

test('node ls --format templates: fields, json of a field, and tables with headers', async (t) => {
  const f = await seedSwarm();
  const names = await runCli(f.host, ['node', 'ls', '--format', '{{.Hostname}}']);
  t.is(names.out, 'docker-node01\ndocker-node02\ndocker-node03\n');
  const mixed = await runCli(f.host, ['node', 'ls', '--format', '{{.Hostname}}: {{json .Self}}']);
  t.is(mixed.out, 'docker-node01: true\ndocker-node02: false\ndocker-node03: false\n');
  const table = await runCli(f.host, ['node', 'ls', '--format', 'table {{.Hostname}}\\t{{.ManagerStatus}}']);
  t.is(table.out, 'HOSTNAME        MANAGER STATUS\ndocker-node01   Leader\ndocker-node02   \ndocker-node03   Reachable\n');
  const bad = await runCli(f.host, ['node', 'ls', '--format', '{{range .}}x{{end}}']);
  t.is(bad.status, 1);
  t.is(bad.err, 'template parsing error: shoal understands {{.Field}}, {{.Field.Sub}}, {{json .}} and {{json .Field}}, not {{range .}}\n');
});

test('node ls -f filters as the daemon does', async (t) => {
  const labelled = makeNode({ id: 'lab1xxxxxxxxxxxxxxxxxxxxx', hostname: 'docker-node04', labels: { mem: 'max' }, engineLabels: { provider: 'generic' } });
  const f = await seedSwarm(NODE01, [NODE01, NODE02, NODE03, labelled]);
  const q = async (...filters: string[]) => (await runCli(f.host, ['node', 'ls', '-q', ...filters.flatMap((x) => ['-f', x])])).out.trimEnd().split('\n');
  t.deepEqual(await q('role=manager'), [NODE01.ID, NODE03.ID]);
  t.deepEqual(await q('role=worker', 'name=docker-node0'), [NODE02.ID, labelled.ID]);
  t.deepEqual(await q('node.label=mem=max'), [labelled.ID]);
  t.deepEqual(await q('node.label=mem'), [labelled.ID]);
  t.deepEqual(await q('label=provider=generic'), [labelled.ID]);
  t.deepEqual(await q('id=tzkm', 'id=aeo'), [NODE02.ID, NODE03.ID]);
  t.deepEqual(await q('membership=accepted', 'NAME = docker-node01'), [NODE01.ID]);
  const key = await runCli(f.host, ['node', 'ls', '-f', 'colour=blue']);
  t.is(key.status, 1);
  t.is(key.err, "Error response from daemon: invalid filter 'colour'\n");
  const role = await runCli(f.host, ['node', 'ls', '-f', 'role=boss']);
  t.is(role.err, "Error response from daemon: Invalid role filter: 'boss'\n");
  const format = await runCli(f.host, ['node', 'ls', '-f', 'role']);
  t.is(format.status, 125);
  t.is(format.err, 'invalid argument "role" for "-f, --filter" flag: bad format of filter (expected name=value)\nSee \'shoal node ls --help\'.\n');
});

test('node ls on a worker and outside a swarm: the manager\'s words', async (t) => {
  const f = await seedSwarm(NODE02);
  const r = await runCli(f.host, ['node', 'ls']);
  t.is(r.status, 1);
  t.is(r.out, '');
  t.is(r.err, `Error response from daemon: ${NOT_A_MANAGER}\n`);
  await runCli(f.host, ['swarm', 'leave']);
  const out = await runCli(f.host, ['node', 'ls']);
  t.is(out.err, `Error response from daemon: ${NOT_IN_SWARM}\n`);
});

test('node ls: no nodes prints the header; a dead socket says the daemon is not running', async (t) => {
  const f = await seedSwarm();
  f.state.nodes = [];
  const r = await runCli(f.host, ['node', 'ls']);
  t.is(r.out, 'ID        HOSTNAME   STATUS    AVAILABILITY   MANAGER STATUS   ENGINE VERSION\n');
  const host = `unix://${f.socketPath}.gone`;
  const down = await runCli(host, ['node', 'ls']);
  t.is(down.status, 1);
  t.is(down.err, `Cannot connect to the shoal daemon at ${host}. Is the shoal daemon running?\n`);
});
