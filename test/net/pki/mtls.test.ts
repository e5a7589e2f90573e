// Real TLS connections on 127.0.0.1 with certificates issued by the cluster
// CA: both sides of a mutual-TLS handshake see each other's identity, and
// certificates from elsewhere are refused. Everything waits on events.
import test, { type ExecutionContext } from 'ava';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import type { NodeRole } from '../../../src/api/contract.js';
import { createCsr } from '../../../src/net/pki/csr.js';
import { generateKey, privateKeyPem } from '../../../src/net/pki/keys.js';
import { issueNodeCertificate } from '../../../src/net/pki/node-cert.js';
import type { NodeCredentials } from '../../../src/net/pki/node-credentials.js';
import { createRootCa, type RootCa } from '../../../src/net/pki/root-ca.js';
import { clientTlsOptions, peerOf, serverTlsOptions } from '../../../src/net/pki/tls-options.js';
import { clusterId, nodeId } from './fixtures.js';

// Real wall-clock time here: OpenSSL checks validity against the system clock.
const now = Date.now();
const CLUSTER = clusterId('mtls');
const ca = createRootCa({ now });
const foreignCa = createRootCa({ now });
const MANAGER = nodeId('manager');
const WORKER = nodeId('worker');

function credentials(issuer: RootCa, id: ReturnType<typeof nodeId>, role: NodeRole): NodeCredentials {
  const key = generateKey();
  const certPem = issueNodeCertificate(issuer, { csr: createCsr(key), nodeId: id, role, clusterId: CLUSTER, now });
  return { keyPem: privateKeyPem(key), certPem };
}

const managerCreds = credentials(ca, MANAGER, 'manager');
const workerCreds = credentials(ca, WORKER, 'worker');

interface Server {
  readonly port: number;
  readonly accepted: Promise<tls.TLSSocket>;
  readonly clientError: Promise<Error>;
}

async function startServer(t: ExecutionContext, options: tls.TlsOptions): Promise<Server> {
  const server = tls.createServer(options);
  const sockets: tls.TLSSocket[] = [];
  const accepted = new Promise<tls.TLSSocket>((resolve) => {
    server.on('secureConnection', (socket) => {
      socket.on('error', () => undefined); // the peer may reset; the test asserts elsewhere
      sockets.push(socket);
      resolve(socket);
    });
  });
  const clientError = new Promise<Error>((resolve) => server.on('tlsClientError', resolve));
  t.teardown(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, accepted, clientError };
}

interface Client {
  readonly connected: Promise<tls.TLSSocket>;
  /** The first error, or null if the connection just closed. */
  readonly ended: Promise<Error | null>;
}

function connect(t: ExecutionContext, port: number, options: tls.ConnectionOptions): Client {
  const socket = tls.connect({ ...options, host: '127.0.0.1', port });
  t.teardown(() => socket.destroy());
  const connected = new Promise<tls.TLSSocket>((resolve) => socket.once('secureConnect', () => resolve(socket)));
  const ended = new Promise<Error | null>((resolve) => {
    socket.on('error', (err) => resolve(err));
    socket.once('close', () => resolve(null));
  });
  return { connected, ended };
}

test('mTLS handshake on loopback: manager server and worker client each see the other\'s identity', async (t) => {
  const server = await startServer(t, serverTlsOptions(managerCreds, ca));
  const client = connect(t, server.port, clientTlsOptions(workerCreds, ca));
  const [serverSide, clientSide] = await Promise.all([server.accepted, client.connected]);
  t.is(clientSide.getProtocol(), 'TLSv1.3');
  t.deepEqual(peerOf(serverSide), { ok: true, peer: { kind: 'node', nodeId: WORKER, role: 'worker', clusterId: CLUSTER } });
  t.deepEqual(peerOf(clientSide), { ok: true, peer: { kind: 'node', nodeId: MANAGER, role: 'manager', clusterId: CLUSTER } });
});

test('a client certificate from a different CA is refused by the server', async (t) => {
  const server = await startServer(t, serverTlsOptions(managerCreds, ca));
  let accepted = false;
  void server.accepted.then(() => (accepted = true));
  const client = connect(t, server.port, clientTlsOptions(credentials(foreignCa, WORKER, 'worker'), ca));
  // Node reports this one as the server dropping the handshake ("socket hang up").
  t.truthy(await server.clientError);
  await client.ended;
  t.false(accepted);
});

test('a client without any certificate is refused unless the server allows anonymous join calls', async (t) => {
  const strict = await startServer(t, serverTlsOptions(managerCreds, ca));
  connect(t, strict.port, clientTlsOptions(null, ca));
  t.regex((await strict.clientError).message, /certificate/i);

  const open = await startServer(t, serverTlsOptions(managerCreds, ca, { allowAnonymous: true }));
  const client = connect(t, open.port, clientTlsOptions(null, ca));
  const [serverSide] = await Promise.all([open.accepted, client.connected]);
  t.deepEqual(peerOf(serverSide), { ok: true, peer: { kind: 'anonymous' } });
});

test('with anonymous calls allowed, a foreign-CA certificate is still refused by peerOf', async (t) => {
  const server = await startServer(t, serverTlsOptions(managerCreds, ca, { allowAnonymous: true }));
  const client = connect(t, server.port, clientTlsOptions(credentials(foreignCa, WORKER, 'manager'), ca));
  const [serverSide] = await Promise.all([server.accepted, client.connected]);
  const result = peerOf(serverSide);
  t.false(result.ok);
  t.regex(result.ok ? '' : result.reason, /not trusted/);
});

test('a server certificate from a different CA is refused by the client', async (t) => {
  const server = await startServer(t, serverTlsOptions(credentials(foreignCa, MANAGER, 'manager'), foreignCa));
  const client = connect(t, server.port, clientTlsOptions(workerCreds, ca));
  const err = await client.ended;
  t.truthy(err);
  t.regex(err?.message ?? '', /certificate|signature/i);
});

test('a worker certificate cannot pose as a manager server (server name swarm-manager)', async (t) => {
  const server = await startServer(t, serverTlsOptions(workerCreds, ca));
  const client = connect(t, server.port, clientTlsOptions(managerCreds, ca));
  const err = await client.ended;
  t.is((err as NodeJS.ErrnoException | null)?.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
});
