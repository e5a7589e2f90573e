// Contract round trips over both transports, and how handler outcomes reach the caller.
import test from 'ava';
import { stat } from 'node:fs/promises';
import { ShoalError } from '../../../src/api/errors.js';
import { Test } from './helpers/contract.js';
import { tlsClient, tlsServer, unixClient, unixServer } from './helpers/fixture.js';
import { testPki } from './helpers/certs.js';

test('unix: a unary call round-trips and the peer is local', async (t) => {
  const fx = await unixServer();
  try {
    const client = unixClient(fx, fx.path);
    t.deepEqual(await client.call(Test, 'echo', { text: 'héllo' }), { text: 'héllo' });
    t.deepEqual(await client.call(Test, 'whoami', {}), { kind: 'local' });
  } finally {
    await fx.dispose();
  }
});

test('unix: the control socket is mode 0600 and a second listener on the same path is refused', async (t) => {
  const fx = await unixServer();
  try {
    t.is((await stat(fx.path)).mode & 0o777, 0o600);
    const { listenUnix } = await import('../../../src/net/rpc/listen-unix.js');
    const err = await t.throwsAsync(listenUnix({ path: fx.path, server: fx.server }), { instanceOf: ShoalError });
    t.is(err?.code, 'AlreadyExists');
  } finally {
    await fx.dispose();
  }
});

test('mTLS: a unary call round-trips with the node identity from the certificate', async (t) => {
  const fx = await tlsServer();
  try {
    const pki = await testPki();
    const client = await tlsClient(fx, fx.listener, pki.manager2);
    t.deepEqual(await client.call(Test, 'echo', { text: 'over tls' }), { text: 'over tls' });
    t.deepEqual(await client.call(Test, 'whoami', {}), {
      kind: 'node',
      nodeId: 'managernode00000000000002',
      role: 'manager',
      clusterId: 'testcluster0000000000000a',
    });
  } finally {
    await fx.dispose();
  }
});

test('many concurrent calls on one connection all get their own answers', async (t) => {
  const fx = await unixServer();
  try {
    const client = unixClient(fx, fx.path);
    const texts = Array.from({ length: 200 }, (_, i) => `call ${i}`);
    const answers = await Promise.all(texts.map((text) => client.call(Test, 'echo', { text })));
    t.deepEqual(
      answers.map((a) => a.text),
      texts,
    );
  } finally {
    await fx.dispose();
  }
});

test('a ShoalError thrown by a handler keeps its code and message', async (t) => {
  const fx = await unixServer();
  try {
    const client = unixClient(fx, fx.path);
    const err = await t.throwsAsync(client.call(Test, 'fail', { how: 'shoal' }), { instanceOf: ShoalError });
    t.is(err?.code, 'FailedPrecondition');
    t.is(err?.message, 'the swarm has no leader yet; retry in a moment');
  } finally {
    await fx.dispose();
  }
});

test('any other throw becomes Internal with a generic message; the details stay on the server', async (t) => {
  const fx = await unixServer();
  try {
    const client = unixClient(fx, fx.path);
    const err = await t.throwsAsync(client.call(Test, 'fail', { how: 'plain' }), { instanceOf: ShoalError });
    t.is(err?.code, 'Internal');
    t.is(err?.message, 'internal error in Test.fail');
    t.is(fx.internals.length, 1);
    t.regex(String(fx.internals[0]?.error), /secret internals/);
  } finally {
    await fx.dispose();
  }
});

test('a handler returning the wrong shape is an Internal error, not a crash', async (t) => {
  const fx = await unixServer();
  try {
    const client = unixClient(fx, fx.path);
    const err = await t.throwsAsync(client.call(Test, 'fail', { how: 'badShape' }), { instanceOf: ShoalError });
    t.is(err?.code, 'Internal');
    t.regex(String(fx.internals[0]?.error), /invalid response field text: expected a string, got 42/);
    t.deepEqual(await client.call(Test, 'echo', { text: 'still fine' }), { text: 'still fine' });
  } finally {
    await fx.dispose();
  }
});

test('bad params are refused with InvalidArgument naming the field, before the handler runs', async (t) => {
  const fx = await unixServer();
  try {
    const client = unixClient(fx, fx.path);
    const err = await t.throwsAsync(client.call(Test, 'echo', { text: 7 } as unknown as { text: string }), { instanceOf: ShoalError });
    t.is(err?.code, 'InvalidArgument');
    t.is(err?.message, 'invalid request field text: expected a string, got 7');
    t.is(err?.detail, 'text');
    t.is(fx.probe.handlerRuns, 0);
  } finally {
    await fx.dispose();
  }
});

test('a method the server does not serve is NotFound', async (t) => {
  const fx = await unixServer();
  try {
    const client = unixClient(fx, fx.path);
    const Other = { ...Test, name: 'Nope' };
    const err = await t.throwsAsync(client.call(Other, 'echo', { text: 'x' }), { instanceOf: ShoalError });
    t.is(err?.code, 'NotFound');
    t.is(err?.message, 'unknown method Nope.echo');
  } finally {
    await fx.dispose();
  }
});

test('a request over the frame limit fails locally with InvalidArgument and the connection survives', async (t) => {
  const fx = await unixServer({ maxFrameBytes: 4096 });
  try {
    const client = unixClient(fx, fx.path, { limits: { maxFrameBytes: 4096 } });
    const err = await t.throwsAsync(client.call(Test, 'echo', { text: 'x'.repeat(5000) }), { instanceOf: ShoalError });
    t.is(err?.code, 'InvalidArgument');
    t.regex(err?.message ?? '', /over the frame limit of 4096/);
    t.deepEqual(await client.call(Test, 'echo', { text: 'ok' }), { text: 'ok' });
  } finally {
    await fx.dispose();
  }
});

test('a call on a closed client fails with Cancelled', async (t) => {
  const fx = await unixServer();
  try {
    const client = unixClient(fx, fx.path);
    await client.call(Test, 'echo', { text: 'x' });
    await client.close();
    const err = await t.throwsAsync(client.call(Test, 'echo', { text: 'x' }), { instanceOf: ShoalError });
    t.is(err?.code, 'Cancelled');
  } finally {
    await fx.dispose();
  }
});
