import test from 'ava';
import { makeNode } from '../fake-objects.js';
import { runCli } from '../run-cli.js';
import { closeFakes, NODE01, NODE02, NODE03, seedSwarm } from './cluster-fixture.js';

test.after.always(closeFakes);

const NODE01_JSON = `[
    {
        "ID": "ynz304mbltxx10v3i15ldkmj1",
        "Version": {
            "Index": 9
        },
        "CreatedAt": "2020-06-20T05:57:17.57684293Z",
        "UpdatedAt": "2020-06-20T05:57:17.57684293Z",
        "Spec": {
            "Labels": {},
            "Role": "manager",
            "Availability": "active"
        },
        "Description": {
            "Hostname": "docker-node01",
            "Platform": {
                "Architecture": "x86_64",
                "OS": "linux"
            },
            "Resources": {
                "NanoCPUs": 4000000000,
                "MemoryBytes": 3958075392
            },
            "Engine": {
                "EngineVersion": "19.03.11"
            },
            "TLSInfo": {}
        },
        "Status": {
            "State": "ready",
            "Addr": "192.168.0.41"
        },
        "ManagerStatus": {
            "Leader": true,
            "Reachability": "reachable",
            "Addr": "192.168.0.41:2377"
        }
    }
]
`;

test('node inspect prints the JSON array as docker node inspect does (seed 002)', async (t) => {
  const f = await seedSwarm();
  const r = await runCli(f.host, ['node', 'inspect', 'docker-node01']);
  t.is(r.status, 0, r.err);
  t.is(r.out, NODE01_JSON);
  const self = await runCli(f.host, ['node', 'inspect', 'self']);
  t.is(self.out, NODE01_JSON);
  const prefix = await runCli(f.host, ['node', 'inspect', 'ynz3']);
  t.is(prefix.out, NODE01_JSON);
});

test('node inspect --format json is compact; a template reads fields; Go escapes <>&', async (t) => {
  const odd = makeNode({ id: 'oddxxxxxxxxxxxxxxxxxxxxxx', hostname: 'odd', labels: { note: '<a&b>' } });
  const f = await seedSwarm(NODE01, [NODE01, NODE02, odd]);
  const json = await runCli(f.host, ['node', 'inspect', '--format', 'json', 'docker-node02', 'odd']);
  t.is(json.out.split('\n').length, 2);
  t.true(json.out.startsWith('[{"ID":"tzkm0ymzjdmc1r8d54snievf1","Version":{"Index":9},'));
  t.true(json.out.includes('"Spec":{"Labels":{"note":"\\u003ca\\u0026b\\u003e"},"Role":"worker","Availability":"active"}'));
  const tpl = await runCli(f.host, ['node', 'inspect', '-f', '{{.Spec.Role}} {{.Status.Addr}} {{json .Spec.Labels}} {{.Spec.Labels}}', 'docker-node01', 'odd']);
  t.is(tpl.out, 'manager 192.168.0.41 {} map[]\nworker 10.0.0.1 {"note":"\\u003ca\\u0026b\\u003e"} map[note:<a&b>]\n');
  const bad = await runCli(f.host, ['node', 'inspect', '-f', '{{if .ID}}x{{end}}', 'odd']);
  t.is(bad.status, 64);
  t.true(bad.err.startsWith('template parsing error: '));
});

test('node inspect reports each node it cannot find after the others, exit 1', async (t) => {
  // The seed's swarm after --force-new-cluster: docker-node03 twice.
  const again = makeNode({ id: 'rm3j7cjvmoa35yy8ckuzoay46', hostname: 'docker-node03', state: 'unknown' });
  const f = await seedSwarm(NODE01, [NODE01, NODE02, NODE03, again]);
  const r = await runCli(f.host, ['node', 'inspect', 'nosuch', 'docker-node01', 'docker-node03']);
  t.is(r.status, 1);
  t.is(r.out, NODE01_JSON);
  t.is(r.err, 'Error response from daemon: node nosuch not found\nError response from daemon: node docker-node03 is ambiguous (2 matches found)\n');
  const none = await runCli(f.host, ['node', 'inspect', 'nosuch']);
  t.is(none.out, '[]\n');
  const usage = await runCli(f.host, ['node', 'inspect']);
  t.is(usage.status, 1);
  t.true(usage.err.startsWith('"shoal node inspect" requires at least 1 argument.\n'));
});

test('node inspect --pretty prints docker\'s text, tabs and all', async (t) => {
  const f = await seedSwarm();
  const r = await runCli(f.host, ['node', 'inspect', '--pretty', 'self', 'docker-node02']);
  t.is(r.status, 0, r.err);
  t.is(
    r.out,
    'ID:\t\t\tynz304mbltxx10v3i15ldkmj1\n' +
      'Hostname:              \tdocker-node01\n' +
      'Joined at:             \t2020-06-20 05:57:17.57684293 +0000 utc\n' +
      'Status:\n' +
      ' State:\t\t\tReady\n' +
      ' Availability:         \tActive\n' +
      ' Address:\t\t192.168.0.41\n' +
      'Manager Status:\n' +
      ' Address:\t\t192.168.0.41:2377\n' +
      ' Raft Status:\t\tReachable\n' +
      ' Leader:\t\tYes\n' +
      'Platform:\n' +
      ' Operating System:\tlinux\n' +
      ' Architecture:\t\tx86_64\n' +
      'Resources:\n' +
      ' CPUs:\t\t\t4\n' +
      ' Memory:\t\t3.686GiB\n' +
      'Engine Version:\t\t19.03.11\n' +
      'ID:\t\t\ttzkm0ymzjdmc1r8d54snievf1\n' +
      'Hostname:              \tdocker-node02\n' +
      'Joined at:             \t2020-06-20 05:57:17.57684293 +0000 utc\n' +
      'Status:\n' +
      ' State:\t\t\tReady\n' +
      ' Availability:         \tActive\n' +
      ' Address:\t\t192.168.0.42\n' +
      'Platform:\n' +
      ' Operating System:\tlinux\n' +
      ' Architecture:\t\tx86_64\n' +
      'Resources:\n' +
      ' CPUs:\t\t\t4\n' +
      ' Memory:\t\t3.686GiB\n' +
      'Engine Version:\t\t19.03.11\n',
  );
});

test('node inspect --pretty with name, labels, message, plugins and engine labels', async (t) => {
  const rich = makeNode({
    id: 'richxxxxxxxxxxxxxxxxxxxxx',
    hostname: 'docker02',
    name: 'db-host',
    labels: { mem: 'max', ssd: '' },
    state: 'down',
    message: 'Heartbeat failure',
    availability: 'drain',
    nanoCpus: 1_500_000_000,
    memoryBytes: 20 * 1024 * 1024,
    plugins: [
      { Type: 'Volume', Name: 'local' },
      { Type: 'Network', Name: 'bridge' },
      { Type: 'Network', Name: 'overlay' },
    ],
    engineLabels: { provider: 'generic' },
    createdAt: '2021-01-02T03:04:05Z',
  });
  const f = await seedSwarm(NODE01, [NODE01, rich]);
  const r = await runCli(f.host, ['node', 'inspect', '--pretty', 'db-host']);
  t.is(
    r.out,
    'ID:\t\t\trichxxxxxxxxxxxxxxxxxxxxx\n' +
      'Name:\t\t\tdb-host\n' +
      'Labels:\n - mem=max\n - ssd\n' +
      'Hostname:              \tdocker02\n' +
      'Joined at:             \t2021-01-02 03:04:05 +0000 utc\n' +
      'Status:\n State:\t\t\tDown\n Message:              \tHeartbeat failure\n Availability:         \tDrain\n Address:\t\t10.0.0.1\n' +
      'Platform:\n Operating System:\tlinux\n Architecture:\t\tx86_64\n' +
      'Resources:\n CPUs:\t\t\t1\n Memory:\t\t20MiB\n' +
      'Plugins:\n Network:\t\tbridge, overlay\n Volume:\t\tlocal\n' +
      'Engine Version:\t\t0.1.0\n' +
      'Engine Labels:\n - provider=generic\n',
  );
});

test('node inspect --pretty stops at the first failure and prints none of it', async (t) => {
  const f = await seedSwarm();
  const r = await runCli(f.host, ['node', 'inspect', '--pretty', 'docker-node01', 'nosuch', 'docker-node02']);
  t.is(r.status, 1);
  t.is(r.out, '');
  t.is(r.err, 'Error response from daemon: node nosuch not found\n');
  const extra = await runCli(f.host, ['node', 'inspect', '--format', 'pretty {{.ID}}', 'self']);
  t.is(extra.status, 1);
  t.is(extra.err, 'cannot supply extra formatting options to the pretty template\n');
});

test('node inspect self on a daemon outside a swarm: the manager\'s refusal', async (t) => {
  const f = await seedSwarm(NODE03);
  await runCli(f.host, ['swarm', 'leave', '--force']);
  const r = await runCli(f.host, ['node', 'inspect', 'self']);
  t.is(r.status, 1);
  t.is(r.out, '[]\n');
  t.regex(r.err, /^Error response from daemon: This node is not a swarm manager\. Use "shoal swarm init"/);
});
