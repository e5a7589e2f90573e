import test from 'ava';
import { ShoalError } from '../../../src/api/errors.js';
import { FakeDaemon, NOT_A_MANAGER } from '../fake-daemon.js';
import { makeNode, MANAGER_TOKEN, WORKER_TOKEN } from '../fake-objects.js';
import { runCli } from '../run-cli.js';

const fakes: FakeDaemon[] = [];
async function fake(): Promise<FakeDaemon> {
  const f = await FakeDaemon.start();
  fakes.push(f);
  return f;
}
test.after.always(async () => {
  await Promise.all(fakes.map((f) => f.close()));
});

const MANAGER = makeNode({ id: 'ynz304mbltxx10v3i15ldkmj1', hostname: 'docker-node01', role: 'manager', leader: true, addr: '192.168.0.41' });
const WORKER = makeNode({ id: 'tzkm0ymzjdmc1r8d54snievf1', hostname: 'docker-node02', addr: '192.168.0.42' });

test('swarm init prints Docker\'s text with the join command (seed 002)', async (t) => {
  const f = await fake();
  const r = await runCli(f.host, ['swarm', 'init', '--advertise-addr', '192.168.0.41']);
  t.is(r.status, 0, r.err);
  t.is(
    r.out,
    'Swarm initialized: current node (ynz304mbltxx10v3i15ldkmj1) is now a manager.\n\n' +
      'To add a worker to this swarm, run the following command:\n\n' +
      `    shoal swarm join --token ${WORKER_TOKEN} 192.168.0.41:2377\n\n` +
      "To add a manager to this swarm, run 'shoal swarm join-token manager' and follow the instructions.\n",
  );
  t.deepEqual(f.calls.at(-1), { method: 'swarmInit', request: { advertiseAddr: '192.168.0.41' } });
});

test('swarm init sends the flags the daemon needs, in its units', async (t) => {
  const f = await fake();
  const r = await runCli(f.host, [
    'swarm', 'init', '--listen-addr', '10.0.0.5', '--default-addr-pool', '10.20.3.4/16,10.30.0.0/16', '--default-addr-pool', '10.40.0.0/16',
    '--default-addr-pool-mask-length', '26', '--dispatcher-heartbeat', '1m30s', '--task-history-limit', '2', '--force-new-cluster',
  ]);
  t.is(r.status, 0, r.err);
  t.deepEqual(f.calls.at(-1)?.request, {
    listenAddr: '10.0.0.5:2377',
    forceNewCluster: true,
    defaultAddrPool: ['10.20.0.0/16', '10.30.0.0/16', '10.40.0.0/16'],
    subnetSize: 26,
    dispatcherHeartbeat: 90_000_000_000,
    taskHistoryLimit: 2,
  });
});

test('swarm init: bad flag values are usage errors (exit 125) and nothing is sent', async (t) => {
  const f = await fake();
  const bad = await runCli(f.host, ['swarm', 'init', '--dispatcher-heartbeat', '5x']);
  t.is(bad.status, 125);
  t.is(bad.err, 'invalid argument "5x" for "--dispatcher-heartbeat" flag: time: unknown unit "x" in duration "5x"\nSee \'shoal swarm init --help\'.\n');
  const pool = await runCli(f.host, ['swarm', 'init', '--default-addr-pool', '10.0.0.0']);
  t.is(pool.status, 125);
  t.is(pool.err, 'invalid argument "10.0.0.0" for "--default-addr-pool" flag: invalid string being converted to CIDR: 10.0.0.0\nSee \'shoal swarm init --help\'.\n');
  const args = await runCli(f.host, ['swarm', 'init', 'extra']);
  t.is(args.status, 1);
  t.true(args.err.startsWith('"shoal swarm init" accepts no arguments.\nSee \'shoal swarm init --help\'.\n'));
  t.deepEqual(f.methods(), []);
});

test('swarm init on a node in a swarm passes the daemon\'s refusal through', async (t) => {
  const f = await fake();
  f.useCluster([MANAGER], MANAGER.ID);
  const r = await runCli(f.host, ['swarm', 'init', '--advertise-addr', '192.168.0.41']);
  t.is(r.status, 1);
  t.is(r.out, '');
  t.is(r.err, 'Error response from daemon: This node is already part of a swarm. Use "shoal swarm leave" to leave this swarm and join another one.\n');
});

test('swarm init: a daemon that cannot pick an address asks for --advertise-addr', async (t) => {
  const f = await fake();
  f.fail('swarmInit', new ShoalError('InvalidArgument', 'could not choose an IP address to advertise since this system has multiple addresses on different interfaces (10.0.2.15 on eth0 and 192.168.0.41 on eth1)'));
  const r = await runCli(f.host, ['swarm', 'init']);
  t.is(r.status, 1);
  t.is(
    r.err,
    'Error response from daemon: could not choose an IP address to advertise since this system has multiple addresses on different interfaces (10.0.2.15 on eth0 and 192.168.0.41 on eth1) - specify one with --advertise-addr\n',
  );
});

test('swarm init --data-path-addr is accepted (seed 004)', async (t) => {
  const f = await fake();
  const r = await runCli(f.host, ['swarm', 'init', '--advertise-addr', '10.0.2.15', '--data-path-addr', 'enp0s8']);
  t.is(r.status, 0, r.err);
  t.regex(r.out, /\n {4}shoal swarm join --token SWMTKN-1-\S+ 10\.0\.2\.15:2377\n/);
});

test('swarm join as a worker and as a manager', async (t) => {
  const w = await fake();
  const r = await runCli(w.host, ['swarm', 'join', '--token', WORKER_TOKEN, '192.168.0.41:2377']);
  t.is(r.status, 0, r.err);
  t.is(r.out, 'This node joined a swarm as a worker.\n');
  t.deepEqual(w.calls.at(-1), { method: 'swarmJoin', request: { token: WORKER_TOKEN, remoteAddr: '192.168.0.41:2377' } });
  const m = await fake();
  const r2 = await runCli(m.host, ['swarm', 'join', '--token', MANAGER_TOKEN, '--advertise-addr', 'eth0', '--datapath-addr', 'eth1', '--availability', 'DRAIN', '--listen-addr', ':2378', '192.168.99.100:2377']);
  t.is(r2.status, 0, r2.err);
  t.is(r2.out, 'This node joined a swarm as a manager.\n');
  t.deepEqual(m.calls.at(-1)?.request, { token: MANAGER_TOKEN, remoteAddr: '192.168.99.100:2377', advertiseAddr: 'eth0', listenAddr: '0.0.0.0:2378', availability: 'drain' });
});

test('swarm join guard rails', async (t) => {
  const f = await fake();
  const bad = await runCli(f.host, ['swarm', 'join', '--token', WORKER_TOKEN, '--availability', 'sleepy', '192.168.0.41:2377']);
  t.is(bad.status, 1);
  t.is(bad.err, 'invalid availability "sleepy", only active, pause and drain are supported\n');
  const noToken = await runCli(f.host, ['swarm', 'join', '192.168.0.41:2377']);
  t.is(noToken.err, 'Error response from daemon: A valid join token is necessary to join this cluster\n');
  const wrong = await runCli(f.host, ['swarm', 'join', '--token', 'SWMTKN-1-nope', '192.168.0.41:2377']);
  t.is(wrong.err, 'Error response from daemon: A valid join token is necessary to join this cluster\n');
  const noAddr = await runCli(f.host, ['swarm', 'join', '--token', WORKER_TOKEN]);
  t.is(noAddr.status, 1);
  t.is(noAddr.err, '"shoal swarm join" requires exactly 1 argument.\nSee \'shoal swarm join --help\'.\n\nUsage:  shoal swarm join [OPTIONS] HOST:PORT\n\nJoin a swarm as a node and/or manager\n');
  t.deepEqual(f.methods(), ['swarmJoin']);
});

test('swarm join-token prints the join command, -q only the token (seed 002)', async (t) => {
  const f = await fake();
  f.useCluster([MANAGER, WORKER], MANAGER.ID);
  const m = await runCli(f.host, ['swarm', 'join-token', 'manager']);
  t.is(m.status, 0, m.err);
  t.is(m.out, `To add a manager to this swarm, run the following command:\n\n    shoal swarm join --token ${MANAGER_TOKEN} 192.168.0.41:2377\n\n`);
  const w = await runCli(f.host, ['swarm', 'join-token', 'worker']);
  t.is(w.out, `To add a worker to this swarm, run the following command:\n\n    shoal swarm join --token ${WORKER_TOKEN} 192.168.0.41:2377\n\n`);
  const q = await runCli(f.host, ['swarm', 'join-token', '-q', 'worker']);
  t.is(q.out, `${WORKER_TOKEN}\n`);
});

test('swarm join-token --rotate rotates one token and says so', async (t) => {
  const f = await fake();
  f.useCluster([MANAGER, WORKER], MANAGER.ID);
  const r = await runCli(f.host, ['swarm', 'join-token', '--rotate', 'worker']);
  t.is(r.status, 0, r.err);
  const token = f.state.cluster?.JoinTokens.Worker ?? '';
  t.not(token, WORKER_TOKEN);
  t.is(f.state.cluster?.JoinTokens.Manager, MANAGER_TOKEN);
  t.is(r.out, `Successfully rotated worker join token.\n\nTo add a worker to this swarm, run the following command:\n\n    shoal swarm join --token ${token} 192.168.0.41:2377\n\n`);
  const q = await runCli(f.host, ['swarm', 'join-token', '--rotate', '-q', 'manager']);
  t.is(q.out, `${f.state.cluster?.JoinTokens.Manager ?? ''}\n`);
  t.not(f.state.cluster?.JoinTokens.Manager, MANAGER_TOKEN);
});

test('swarm join-token: unknown role, and a worker node', async (t) => {
  const f = await fake();
  f.useCluster([MANAGER, WORKER], MANAGER.ID);
  const r = await runCli(f.host, ['swarm', 'join-token', 'boss']);
  t.is(r.status, 1);
  t.is(r.err, 'unknown role boss\n');
  f.useCluster([MANAGER, WORKER], WORKER.ID);
  const w = await runCli(f.host, ['swarm', 'join-token', 'worker']);
  t.is(w.status, 1);
  t.is(w.err, `Error response from daemon: ${NOT_A_MANAGER}\n`);
});

test('swarm leave: a manager is warned; --force leaves (seed 002)', async (t) => {
  const f = await fake();
  const other = makeNode({ id: 'aeo8j7zit9qkoeeft3j0q1h0z', hostname: 'docker-node03', role: 'manager', addr: '192.168.0.43' });
  f.useCluster([MANAGER, WORKER, other], other.ID);
  const r = await runCli(f.host, ['swarm', 'leave']);
  t.is(r.status, 1);
  t.is(
    r.err,
    'Error response from daemon: You are attempting to leave the swarm on a node that is participating as a manager. Removing this node leaves 1 managers out of 2. Without a Raft quorum your swarm will be inaccessible. The only way to restore a swarm that has lost consensus is to reinitialize it with `--force-new-cluster`. Use `--force` to suppress this message.\n',
  );
  const forced = await runCli(f.host, ['swarm', 'leave', '-f']);
  t.is(forced.status, 0, forced.err);
  t.is(forced.out, 'Node left the swarm.\n');
  t.deepEqual(f.calls.at(-1), { method: 'swarmLeave', request: { force: true } });
  const again = await runCli(f.host, ['swarm', 'leave']);
  t.is(again.err, 'Error response from daemon: This node is not part of a swarm\n');
});

test('swarm update merges the flags into the spec and writes it at the version read', async (t) => {
  const f = await fake();
  f.useCluster([MANAGER], MANAGER.ID);
  const before = f.state.cluster;
  const r = await runCli(f.host, ['swarm', 'update', '--task-history-limit', '10', '--dispatcher-heartbeat', '10s', '--cert-expiry', '720h', '--snapshot-interval', '500', '--max-snapshots', '2']);
  t.is(r.status, 0, r.err);
  t.is(r.out, 'Swarm updated.\n');
  const spec = f.state.cluster?.Spec;
  t.is(spec?.Orchestration.TaskHistoryRetentionLimit, 10);
  t.is(spec?.Dispatcher.HeartbeatPeriod, 10_000_000_000);
  t.is(spec?.CAConfig.NodeCertExpiry, 720 * 3600 * 1e9);
  t.is(spec?.Raft.SnapshotInterval, 500);
  t.is(spec?.Raft.KeepOldSnapshots, 2);
  t.is(spec?.Raft.ElectionTick, before?.Spec.Raft.ElectionTick);
  const call = f.calls.find((c) => c.method === 'updateCluster');
  t.like(call?.request, { version: before?.Version.Index });
});

test('swarm update: no flags prints the usage; the manager\'s refusals pass through', async (t) => {
  const f = await fake();
  f.useCluster([MANAGER], MANAGER.ID);
  const help = await runCli(f.host, ['swarm', 'update']);
  t.is(help.status, 0);
  t.regex(help.out, /^Usage: {2}shoal swarm update \[OPTIONS\]\n\nUpdate the swarm\n\nOptions:\n {6}--cert-expiry duration +Validity period for node certificates \(ns\|us\|ms\|s\|m\|h\) \(default 2160h0m0s\)\n/);
  t.deepEqual(f.methods(), []);
  const short = await runCli(f.host, ['swarm', 'update', '--cert-expiry', '30m']);
  t.is(short.status, 1);
  t.is(short.err, 'Error response from daemon: minimum certificate expiry time is: 1h0m0s\n');
});
