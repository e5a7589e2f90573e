// Mutual TLS: who the peer is, what it may call, and who never gets in.
import test from 'ava';
import { ShoalError } from '../../../src/api/errors.js';
import { dialTls } from '../../../src/net/rpc/dial.js';
import { createClient } from '../../../src/net/rpc/client.js';
import { testPki } from './helpers/certs.js';
import { Test } from './helpers/contract.js';
import { clientStatus, tlsClient, tlsServer } from './helpers/fixture.js';

test('the TLS identity reaches the handler', async (t) => {
  const fx = await tlsServer();
  try {
    const client = await tlsClient(fx, fx.listener, (await testPki()).worker);
    t.deepEqual(await client.call(Test, 'whoami', {}), {
      kind: 'node',
      nodeId: 'workernode000000000000001',
      role: 'worker',
      clusterId: 'testcluster0000000000000a',
    });
  } finally {
    await fx.dispose();
  }
});

test('a worker calling a manager-only method gets PermissionDenied before any handler runs', async (t) => {
  const fx = await tlsServer();
  try {
    const pki = await testPki();
    const worker = await tlsClient(fx, fx.listener, pki.worker);
    const err = await t.throwsAsync(worker.call(Test, 'managerOnly', {}), { instanceOf: ShoalError });
    t.is(err?.code, 'PermissionDenied');
    t.is(err?.message, 'a worker node may not call Test.managerOnly (allowed: the local control socket or a manager node)');
    t.is(fx.probe.handlerRuns, 0);
    const manager = await tlsClient(fx, fx.listener, pki.manager2);
    t.deepEqual(await manager.call(Test, 'managerOnly', {}), { ok: true });
  } finally {
    await fx.dispose();
  }
});

test('a client without a certificate is anonymous: it may join, anything else is Unauthenticated', async (t) => {
  const fx = await tlsServer();
  try {
    const client = await tlsClient(fx, fx.listener, 'anonymous');
    t.deepEqual(await client.call(Test, 'whoami', {}), { kind: 'anonymous' });
    t.deepEqual(await client.call(Test, 'join', { token: 'SWMTKN-1-test' }), { ok: true });
    const err = await t.throwsAsync(client.call(Test, 'echo', { text: 'x' }), { instanceOf: ShoalError });
    t.is(err?.code, 'Unauthenticated');
    t.is(err?.message, 'Test.echo needs a node certificate signed by the cluster CA; join the swarm first');
    t.is(fx.probe.handlerRuns, 2);
  } finally {
    await fx.dispose();
  }
});

test('a certificate from a foreign CA is refused at upgrade: no connection, no handler', async (t) => {
  const fx = await tlsServer();
  try {
    const pki = await testPki();
    const client = await tlsClient(fx, fx.listener, pki.foreign);
    const err = await t.throwsAsync(client.call(Test, 'whoami', {}, { deadlineMs: 10_000 }), { instanceOf: ShoalError });
    t.is(err?.code, 'Unauthenticated');
    t.regex(
      err?.message ?? '',
      /^the manager at wss:\/\/127\.0\.0\.1:\d+ refused this client: HTTP 401 client certificate not signed by this cluster's CA \(.+\)$/,
    );
    t.is(fx.server.connectionCount, 0);
    t.is(fx.probe.handlerRuns, 0);
  } finally {
    await fx.dispose();
  }
});

test('a certificate from our CA without a shoal identity is refused with 403', async (t) => {
  const fx = await tlsServer();
  try {
    const client = await tlsClient(fx, fx.listener, (await testPki()).stranger);
    const err = await t.throwsAsync(client.call(Test, 'whoami', {}, { deadlineMs: 10_000 }), { instanceOf: ShoalError });
    t.is(err?.code, 'PermissionDenied');
    t.regex(err?.message ?? '', /HTTP 403 client certificate carries no shoal node identity$/);
    t.is(fx.probe.handlerRuns, 0);
  } finally {
    await fx.dispose();
  }
});

test('a client that does not trust the server certificate never connects', async (t) => {
  const fx = await tlsServer();
  try {
    const pki = await testPki();
    const client = await tlsClient(fx, fx.listener, pki.manager2, { ca: pki.foreignCa, backoff: { initialMs: 5, maxMs: 20 } });
    await clientStatus(client, 'backoff');
    const err = await t.throwsAsync(client.call(Test, 'whoami', {}, { deadlineMs: 100 }), { instanceOf: ShoalError });
    t.is(err?.code, 'Unavailable');
    t.regex(err?.message ?? '', /^cannot reach the manager at wss:\/\/127\.0\.0\.1:\d+: .*certificate/);
  } finally {
    await fx.dispose();
  }
});

test('verifyServer can refuse a server certificate (joining with a pinned identity)', async (t) => {
  const fx = await tlsServer();
  try {
    const pki = await testPki();
    const dial = (wanted: string) =>
      createClient({
        dialer: dialTls({
          host: '127.0.0.1',
          port: fx.listener.port,
          ca: pki.ca,
          verifyServer: (cert) => (cert.subject.CN === wanted ? undefined : `expected manager ${wanted}, got ${String(cert.subject.CN)}`),
        }),
        backoff: { initialMs: 5, maxMs: 20 },
      });
    const good = dial('managernode00000000000001');
    const bad = dial('managernode00000000000007');
    fx.disposers.push(() => good.close(), () => bad.close());
    t.deepEqual(await good.call(Test, 'whoami', {}), { kind: 'anonymous' });
    await clientStatus(bad, 'backoff');
    const err = await t.throwsAsync(bad.call(Test, 'whoami', {}, { deadlineMs: 100 }), { instanceOf: ShoalError });
    t.regex(err?.message ?? '', /server certificate refused: expected manager managernode00000000000007, got managernode00000000000001/);
  } finally {
    await fx.dispose();
  }
});
