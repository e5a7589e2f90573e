import test from 'ava';
import { ShoalError } from '../../../src/api/errors.js';
import { clientVersion } from '../../../src/cli/commands/info.js';
import { FakeDaemon } from '../fake-daemon.js';
import { runCli } from '../run-cli.js';
import { closeFakes, NODE01, NODE02, seedSwarm } from './cluster-fixture.js';

test.after.always(closeFakes);

const V = clientVersion();

test('the client version comes from package.json', (t) => {
  t.regex(V, /^\d+\.\d+\.\d+/);
});

test('info outside a swarm: Swarm: inactive (seed 002)', async (t) => {
  const f = await FakeDaemon.start();
  t.teardown(() => f.close());
  const r = await runCli(f.host, ['info']);
  t.is(r.status, 0, r.err);
  t.is(r.out, `Client:\n Version:    ${V}\n\nServer:\n Server Version: 0.1.0\n Swarm: inactive\n Default Runtime: process\n Name: docker-node01\n ID: shoald-4hxp\n\n`);
});

test('info on a manager: the cluster section as docker info prints it', async (t) => {
  const f = await seedSwarm();
  const r = await runCli(f.host, ['info']);
  t.is(r.status, 0, r.err);
  t.is(
    r.out,
    `Client:\n Version:    ${V}\n\nServer:\n Server Version: 0.1.0\n` +
      ' Swarm: active\n' +
      '  NodeID: ynz304mbltxx10v3i15ldkmj1\n' +
      '  Is Manager: true\n' +
      '  ClusterID: 9vs5ygs0gguyyec4iqf2314c0\n' +
      '  Managers: 2\n' +
      '  Nodes: 3\n' +
      '  Default Address Pool: 10.0.0.0/8  \n' +
      '  SubnetSize: 24\n' +
      '  Data Path Port: 4789\n' +
      '  Orchestration:\n' +
      '   Task History Retention Limit: 5\n' +
      '  Raft:\n' +
      '   Snapshot Interval: 10000\n' +
      '   Number of Old Snapshots to Retain: 0\n' +
      '   Heartbeat Tick: 1\n' +
      '   Election Tick: 10\n' +
      '  Dispatcher:\n' +
      '   Heartbeat Period: 5 seconds\n' +
      '  CA Configuration:\n' +
      '   Expiry Duration: 3 months\n' +
      '   Force Rotate: 0\n' +
      '  Autolock Managers: false\n' +
      '  Root Rotation In Progress: false\n' +
      '  Node Address: 192.168.0.41\n' +
      '  Manager Addresses:\n' +
      '   192.168.0.41:2377\n' +
      '   192.168.0.43:2377\n' +
      ' Default Runtime: process\n Name: docker-node01\n ID: shoald-4hxp\n\n',
  );
});

test('info on a worker shows the managers it knows; a failing cluster read becomes Error', async (t) => {
  const w = await seedSwarm(NODE02);
  const r = await runCli(w.host, ['info']);
  t.is(r.status, 0, r.err);
  t.true(r.out.includes(' Swarm: active\n  NodeID: tzkm0ymzjdmc1r8d54snievf1\n  Is Manager: false\n  Node Address: 192.168.0.42\n  Manager Addresses:\n   192.168.0.41:2377\n   192.168.0.43:2377\n'));
  const m = await seedSwarm(NODE01);
  m.fail('getCluster', new ShoalError('Unavailable', "The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online."));
  const e = await runCli(m.host, ['info']);
  t.is(e.status, 0, e.err);
  t.true(e.out.includes("  NodeID: ynz304mbltxx10v3i15ldkmj1\n  Error: The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online.\n  Is Manager: true\n  Node Address: 192.168.0.41\n"));
});

test('info --format json and templates', async (t) => {
  const f = await seedSwarm();
  const tpl = await runCli(f.host, ['info', '--format', '{{.Swarm.LocalNodeState}} {{.Swarm.Nodes}} {{.ClientInfo.Version}}']);
  t.is(tpl.out, `active 3 ${V}\n`);
  const json = await runCli(f.host, ['info', '-f', 'json']);
  const parsed: unknown = JSON.parse(json.out);
  t.like(parsed, { Name: 'docker-node01', Swarm: { NodeID: NODE01.ID, Managers: 2, Nodes: 3, Cluster: { ID: '9vs5ygs0gguyyec4iqf2314c0' } } });
  t.false(json.out.includes('SWMTKN'), 'info never prints join tokens');
});

test('info with no daemon: the client part, the error, exit 1', async (t) => {
  const f = await seedSwarm();
  const host = `unix://${f.socketPath}.gone`;
  const r = await runCli(host, ['info']);
  t.is(r.status, 1);
  t.is(r.out, `Client:\n Version:    ${V}\n\nServer:\n`);
  t.is(r.err, `ERROR: Cannot connect to the shoal daemon at ${host}. Is the shoal daemon running?\nerrors pretty printing info\n`);
});

test('version prints the client and the daemon version', async (t) => {
  const f = await seedSwarm();
  const r = await runCli(f.host, ['version']);
  t.is(r.status, 0, r.err);
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  t.is(
    r.out,
    'Client:\n' +
      ` Version:           ${V}\n` +
      ` Node.js version:   ${process.version}\n` +
      ` OS/Arch:           ${process.platform}/${arch}\n` +
      '\nServer:\n Engine:\n' +
      '  Version:          0.1.0\n',
  );
  const json = await runCli(f.host, ['version', '--format', 'json']);
  t.like(JSON.parse(json.out) as unknown, { Client: { Version: V }, Server: { Version: '0.1.0' } });
  const tpl = await runCli(f.host, ['version', '--format', '{{.Client.Version}}']);
  t.is(tpl.out, `${V}\n`);
});

test('version with no daemon still prints the client part, then the error', async (t) => {
  const f = await seedSwarm();
  const host = `unix://${f.socketPath}.gone`;
  const r = await runCli(host, ['version']);
  t.is(r.status, 1);
  t.true(r.out.startsWith(`Client:\n Version:           ${V}\n`));
  t.false(r.out.includes('Server:'));
  t.is(r.err, `Cannot connect to the shoal daemon at ${host}. Is the shoal daemon running?\n`);
});
