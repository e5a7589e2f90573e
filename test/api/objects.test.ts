// Node, network, secret, config and cluster objects: schemas, defaults, rules.
import test from 'ava';
import type { ClusterId, NetworkId, NodeId, SecretId, ConfigId } from '../../src/api/ids.js';
import { checkClusterSpec, clusterInfoView, decodeClusterSpec, newCluster, withClusterDefaults } from '../../src/api/cluster.js';
import { configInspectView, decodeConfigSpec, MAX_CONFIG_SIZE } from '../../src/api/config.js';
import { decodeNetworkSpec, networkInspectView, type Network } from '../../src/api/network.js';
import { checkNodeSpec, managerStatusText, nodeFacts, type Node } from '../../src/api/node.js';
import { newMeta } from '../../src/api/object-meta.js';
import { decodeSecretSpec, decodeSecretUpdate, MAX_SECRET_SIZE, secretInspectView } from '../../src/api/secret.js';
import type { Checked } from '../../src/api/validation.js';
import { describeIssue } from '../../src/api/validation.js';

function issueOf<T>(r: Checked<T>): { path: string; message: string } | undefined {
  return r.ok ? undefined : { path: r.issue.path, message: r.issue.message };
}

const bytes = (text: string) => new TextEncoder().encode(text);

// The docker-node01 of the seeds' `docker node inspect`.
const node01: Node = {
  ID: 'ynz304mbltxx10v3i15ldkmj1' as NodeId,
  Version: { Index: 9 },
  CreatedAt: '2020-06-20T05:57:17.57684293Z',
  UpdatedAt: '2020-06-20T05:57:18.18575648Z',
  Spec: { Labels: {}, Role: 'manager', Availability: 'active' },
  Description: {
    Hostname: 'docker-node01',
    Platform: { Architecture: 'x86_64', OS: 'linux' },
    Resources: { NanoCPUs: 4000000000, MemoryBytes: 3958075392 },
    Engine: { EngineVersion: '19.03.11', Labels: { provider: 'generic' }, Plugins: [{ Type: 'Log', Name: 'awslogs' }] },
  },
  Status: { State: 'ready', Addr: '192.168.1.61' },
  ManagerStatus: { Leader: true, Reachability: 'reachable', Addr: '192.168.1.61:2377' },
};

test('node specs: shape, labels, the MANAGER STATUS column, constraint facts', (t) => {
  t.deepEqual(checkNodeSpec({ Role: 'worker', Availability: 'drain', Labels: { mem: 'max' } }), {
    ok: true,
    value: { Labels: { mem: 'max' }, Role: 'worker', Availability: 'drain' },
  });
  t.deepEqual(issueOf(checkNodeSpec({ Role: 'boss', Availability: 'active' })), { path: 'Role', message: 'expected "manager" or "worker", got "boss"' });
  t.deepEqual(issueOf(checkNodeSpec({ Role: 'worker', Availability: 'asleep' })), {
    path: 'Availability',
    message: 'expected "active" or "pause" or "drain", got "asleep"',
  });
  t.deepEqual(issueOf(checkNodeSpec({ Role: 'worker', Availability: 'active', Labels: { ' ': 'x' } })), { path: 'Labels', message: "invalid label ' ': empty name" });
  t.is(managerStatusText(node01), 'Leader');
  t.is(managerStatusText({ ...node01, ManagerStatus: { Reachability: 'reachable', Addr: 'x' } }), 'Reachable');
  t.is(managerStatusText({ ...node01, ManagerStatus: undefined }), '');
  t.like(nodeFacts(node01), { hostname: 'docker-node01', role: 'manager', addr: '192.168.1.61', engineLabels: { provider: 'generic' } });
});

test('network specs: overlay by default, swarmkit\'s IPAM rules', (t) => {
  const r = decodeNetworkSpec({ Name: 'my_net1', Attachable: true, IPAMOptions: { Configs: [{ Subnet: '10.0.9.0/24', Gateway: '10.0.9.99' }] } });
  t.true(r.ok);
  if (r.ok) {
    t.is(r.value.DriverConfiguration.Name, 'overlay');
    t.is(r.value.Scope, 'swarm');
    t.deepEqual(r.value.IPAMOptions, { Driver: { Name: 'default' }, Configs: [{ Subnet: '10.0.9.0/24', Gateway: '10.0.9.99' }] });
  }
  const refused: Array<[unknown, string, string]> = [
    [{ Name: 'my.net' }, 'Name', 'name must be valid as a DNS name component'],
    [{ Name: 'n', DriverConfiguration: { Name: 'bridge' } }, 'DriverConfiguration.Name', 'invalid driver specified'],
    [{ Name: 'n', Labels: { 'com.docker.swarm.internal': 'true' } }, 'Labels', 'label com.docker.swarm.internal is for predefined internal networks and cannot be applied by users'],
    [{ Name: 'n', IPAMOptions: { Configs: [{ Subnet: '10.0.9.0' }] } }, 'IPAMOptions.Configs[0].Subnet', 'ipam configuration: invalid subnet 10.0.9.0'],
    [{ Name: 'n', IPAMOptions: { Configs: [{ Subnet: '10.0.9.0/24', Gateway: '10.0.8.1' }] } }, 'IPAMOptions.Configs[0].Gateway', 'ipam configuration: subnet 10.0.9.0/24 does not contain gateway 10.0.8.1'],
    [{ Name: 'n', IPAMOptions: { Configs: [{ Subnet: '10.0.9.0/24', Gateway: 'gw' }] } }, 'IPAMOptions.Configs[0].Gateway', 'ipam configuration: invalid gateway gw'],
    [{ Name: 'n', IPAMOptions: { Configs: [{ Subnet: '10.0.9.0/24', Range: '10.0.10.0/25' }] } }, 'IPAMOptions.Configs[0].Range', 'ipam configuration: subnet 10.0.9.0/24 does not contain range 10.0.10.0/25'],
    [{ Name: 'n', IPAMOptions: { Driver: { Name: 'dhcp' } } }, 'IPAMOptions.Driver.Name', 'invalid IPAM specified'],
  ];
  for (const [value, path, message] of refused) t.deepEqual(issueOf(decodeNetworkSpec(value)), { path, message }, message);
});

test('network inspect prints the docker network inspect shape of the seeds', (t) => {
  const r = decodeNetworkSpec({ Name: 'my-network' });
  if (!r.ok) return t.fail();
  const network: Network = {
    ID: 'fsf1dmx3i9q75an49z36jycxd' as NetworkId,
    ...newMeta(Date.UTC(2020, 0, 1)),
    Spec: r.value,
    DriverState: { Name: 'overlay', Options: { 'com.docker.network.driver.overlay.vxlanid_list': '4097' } },
  };
  t.deepEqual(networkInspectView(network), {
    Name: 'my-network',
    Id: 'fsf1dmx3i9q75an49z36jycxd',
    Created: '2020-01-01T00:00:00Z',
    Scope: 'swarm',
    Driver: 'overlay',
    EnableIPv6: false,
    IPAM: { Driver: 'default', Options: null, Config: [] },
    Internal: false,
    Attachable: false,
    Ingress: false,
    Containers: null,
    Options: { 'com.docker.network.driver.overlay.vxlanid_list': '4097' },
    Labels: null,
  });
});

test('secrets: names, size, blank data; data never in the view; labels-only updates', (t) => {
  const ok = decodeSecretSpec({ Name: 'db_password', Data: bytes('s3cret') });
  t.true(ok.ok);
  const refused: Array<[unknown, string, string]> = [
    [{ Data: bytes('x') }, 'Name', 'name must be provided'],
    [{ Name: '-bad', Data: bytes('x') }, 'Name', 'invalid name, only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]'],
    [{ Name: 'a'.repeat(65), Data: bytes('x') }, 'Name', 'invalid name, only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]'],
    [{ Name: 'pw' }, 'Data', 'secret data must be larger than 0 and less than 512000 bytes'],
    [{ Name: 'pw', Data: new Uint8Array(MAX_SECRET_SIZE) }, 'Data', 'secret data must be larger than 0 and less than 512000 bytes'],
    [{ Name: 'pw', Data: bytes(' \n\t') }, 'Data', 'secret data must contain non white space bytes'],
    [{ Name: 'pw', Data: 'text' }, 'Data', 'expected bytes, got "text"'],
  ];
  for (const [value, path, message] of refused) t.deepEqual(issueOf(decodeSecretSpec(value)), { path, message }, message);
  if (!ok.ok) return;
  const secret = { ID: 'q2x9t2kl0b7mpq4r8w1n6v3c5' as SecretId, ...newMeta(0), Spec: ok.value };
  const view = secretInspectView(secret);
  t.false(JSON.stringify(view).includes('s3cret'));
  t.deepEqual(view.Spec, { Name: 'db_password', Labels: {} });
  t.deepEqual(decodeSecretUpdate(ok.value, { Name: 'db_password', Labels: { a: 'b' } }), { ok: true, value: { ...ok.value, Labels: { a: 'b' } } });
  t.deepEqual(issueOf(decodeSecretUpdate(ok.value, { Name: 'db_password', Data: bytes('other') })), { path: 'Data', message: 'only updates to Labels are allowed' });
  t.deepEqual(issueOf(decodeSecretUpdate(ok.value, { Name: 'renamed' })), { path: 'Name', message: 'only updates to Labels are allowed' });
});

test('configs: 1000KB limit, blank data allowed, data printed in base64', (t) => {
  t.deepEqual(issueOf(decodeConfigSpec({ Name: 'site', Data: new Uint8Array(MAX_CONFIG_SIZE) })), {
    path: 'Data',
    message: 'config data must be larger than 0 and less than 1024000 bytes',
  });
  const r = decodeConfigSpec({ Name: 'site', Data: bytes(' ') });
  t.true(r.ok);
  if (!r.ok) return;
  const view = configInspectView({ ID: 'c' as ConfigId, ...newMeta(0), Spec: { ...r.value, Data: bytes('hello') } });
  t.deepEqual(view.Spec, { Name: 'site', Labels: {}, Data: 'aGVsbG8=' });
});

test('cluster spec: docker swarm init defaults and swarmkit\'s rules', (t) => {
  const spec = withClusterDefaults({});
  t.deepEqual(spec, {
    Name: 'default',
    Labels: {},
    Orchestration: { TaskHistoryRetentionLimit: 5 },
    Raft: { SnapshotInterval: 10000, KeepOldSnapshots: 0, LogEntriesForSlowFollowers: 500, ElectionTick: 10, HeartbeatTick: 1 },
    Dispatcher: { HeartbeatPeriod: 5e9 },
    CAConfig: { NodeCertExpiry: 2160 * 3600e9 },
    TaskDefaults: {},
    EncryptionConfig: { AutoLockManagers: false },
  });
  t.is(checkClusterSpec(spec), undefined);
  t.deepEqual(issueOf(decodeClusterSpec({ CAConfig: { NodeCertExpiry: 15 * 60e9 } })), {
    path: 'CAConfig.NodeCertExpiry',
    message: 'minimum certificate expiry time is: 1h0m0s',
  });
  t.deepEqual(issueOf(decodeClusterSpec({ Dispatcher: { HeartbeatPeriod: -1 } })), {
    path: 'Dispatcher.HeartbeatPeriod',
    message: 'heartbeat time period cannot be a negative duration',
  });
  t.deepEqual(issueOf(decodeClusterSpec({ Raft: { ElectionTick: 1, HeartbeatTick: 1 } })), {
    path: 'Raft.ElectionTick',
    message: 'ElectionTick must be greater than HeartbeatTick',
  });
  t.deepEqual(issueOf(decodeClusterSpec({ Name: 'other' })), { path: 'Name', message: 'the cluster is named "default", not "other"' });
  const d = decodeClusterSpec({ Orchestration: { TaskHistoryRetentionLimit: 2 }, Dispatcher: { HeartbeatPeriod: 11e9 } });
  t.true(d.ok && d.value.Orchestration.TaskHistoryRetentionLimit === 2 && d.value.Dispatcher.HeartbeatPeriod === 11e9);
  const cluster = newCluster({
    id: 'k' as ClusterId,
    nowMs: 0,
    tlsInfo: { TrustRoot: 'pem', CertIssuerSubject: 's', CertIssuerPublicKey: 'k' },
    rootCADigest: 'sha256:ab',
    joinTokens: { Worker: 'SWMTKN-1-w', Manager: 'SWMTKN-1-m' },
  });
  t.deepEqual(cluster.DefaultAddrPool, ['10.0.0.0/8']);
  t.is(cluster.SubnetSize, 24);
  t.is(cluster.DataPathPort, 4789);
  t.false(JSON.stringify(clusterInfoView(cluster)).includes('SWMTKN'));
});

test('issues read as "invalid <what> field <path>: <reason>"', (t) => {
  t.is(describeIssue('network spec', { path: 'Name', message: 'name must be provided' }), 'invalid network spec field Name: name must be provided');
  t.is(describeIssue('network spec', { path: '', message: 'expected an object, got null' }), 'invalid network spec: expected an object, got null');
});
