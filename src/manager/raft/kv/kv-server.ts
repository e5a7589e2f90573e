// One member of the replicated KV service as a process:
//   npx tsx src/manager/raft/kv/kv-server.ts --id ID --data DIR --listen 127.0.0.1:PORT
//     --certs DIR [--peer ID=HOST:PORT ...] [--bootstrap ID,ID,ID] [--tick-ms 50]
//     [--election-ticks 6] [--snapshot-every 10000]
// Prints one JSON line {"ready":true,...} on stdout once it serves.
import { parseArgs } from 'node:util';
import { ShoalError } from '../../../api/errors.js';
import { asNodeId } from '../../../api/ids.js';
import { certFilesFor, readCertFiles } from '../../../net/pki/cert-files.js';
import { identifyPeer } from '../../../net/pki/peer-identity.js';
import { dialTls, listenTls, RpcServer, serve } from '../../../net/rpc/index.js';
import { RaftDriver } from '../driver/raft-driver.js';
import { LmdbRaftStorage } from '../storage/index.js';
import { RpcRaftTransport } from '../transport/rpc-transport.js';
import { KvContract } from './kv-contract.js';
import { encodeKvCommand, KvMachine } from './kv-machine.js';

function hostPort(s: string): { host: string; port: number } {
  const i = s.lastIndexOf(':');
  return { host: s.slice(0, i), port: Number(s.slice(i + 1)) };
}

const { values } = parseArgs({
  options: {
    id: { type: 'string' },
    data: { type: 'string' },
    listen: { type: 'string' },
    certs: { type: 'string' },
    peer: { type: 'string', multiple: true },
    bootstrap: { type: 'string' },
    'tick-ms': { type: 'string' },
    'election-ticks': { type: 'string' },
    'snapshot-every': { type: 'string' },
  },
});
if (values.id === undefined || values.data === undefined || values.listen === undefined || values.certs === undefined) {
  process.stderr.write('usage: kv-server --id ID --data DIR --listen HOST:PORT --certs DIR [--peer ID=HOST:PORT ...] [--bootstrap ID,ID,...]\n');
  process.exit(2);
}
const id = asNodeId(values.id);
const creds = readCertFiles(certFilesFor(values.certs, id));
const peers: Record<string, string> = {};
for (const p of values.peer ?? []) {
  const [pid, addr] = p.split('=');
  if (pid !== undefined && addr !== undefined) peers[pid] = addr;
}

const sm = new KvMachine();
const transport = new RpcRaftTransport({
  self: id,
  dial: (address) => {
    const { host, port } = hostPort(address);
    return dialTls({ host, port, ca: creds.ca, cert: creds.cert, key: creds.key });
  },
});
const storage = await LmdbRaftStorage.open(values.data);
const driver = await RaftDriver.open({
  id,
  storage,
  transport,
  stateMachine: sm,
  peers,
  ...(values.bootstrap ? { bootstrap: { voters: values.bootstrap.split(',').map(asNodeId) } } : {}),
  tickMs: Number(values['tick-ms'] ?? 50),
  electionTicks: Number(values['election-ticks'] ?? 5),
  snapshotEvery: Number(values['snapshot-every'] ?? 10_000),
  onFatal: (err) => {
    process.stderr.write(`kv-server ${id}: raft stopped: ${err.message}\n`);
    process.exit(1);
  },
});

const kv = serve(KvContract, {
  put: async (req) => {
    const out = await driver.propose(encodeKvCommand({ op: 'put', key: req.key, value: req.value }));
    return { index: out.index };
  },
  get: async (req) => {
    const index = await driver.readIndex();
    return { value: sm.get(req.key), index };
  },
  cas: async (req) => {
    const out = await driver.propose(encodeKvCommand({ op: 'cas', key: req.key, expected: req.expected, value: req.value }));
    if (typeof out.result !== 'boolean') throw new ShoalError('Internal', 'cas gave no answer');
    return { ok: out.result, index: out.index };
  },
  status: async () => {
    const st = driver.status();
    return { id: st.id, role: st.role, term: st.term, leader: st.leader, commit: st.commit, applied: st.applied, voters: [...st.conf.voters], snapshotsInstalled: st.snapshotsInstalled };
  },
});
const server = new RpcServer({ services: [transport.service(), kv] });
const { host, port } = hostPort(values.listen);
const listener = await listenTls({ server, identify: identifyPeer, host, port, ...creds });
process.stdout.write(JSON.stringify({ ready: true, id, port: listener.port }) + '\n');

const shutdown = async (): Promise<void> => {
  await driver.stop();
  await listener.close();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
