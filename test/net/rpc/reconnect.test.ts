// Reconnecting: backoff delays, server restarts, dropped connections.
import test from 'ava';
import { join } from 'node:path';
import { ShoalError } from '../../../src/api/errors.js';
import { backoffDelay, DEFAULT_BACKOFF } from '../../../src/net/rpc/backoff.js';
import { listenUnix } from '../../../src/net/rpc/listen-unix.js';
import { RpcServer } from '../../../src/net/rpc/server.js';
import { realTimers, type Timers } from '../../../src/net/rpc/timers.js';
import { Probe, Test, testService } from './helpers/contract.js';
import { clientStatus, makeServer, tempDir, unixClient, unixServer } from './helpers/fixture.js';
import { relay } from './helpers/proxy.js';

test('backoff grows by the factor up to the cap, jittered down by at most the jitter fraction', (t) => {
  const policy = { initialMs: 100, maxMs: 2000, factor: 2, jitter: 0.5 };
  t.deepEqual(
    [0, 1, 2, 3, 4, 5, 40].map((a) => backoffDelay(a, policy, () => 0)),
    [100, 200, 400, 800, 1600, 2000, 2000],
  );
  t.deepEqual(
    [0, 1, 5].map((a) => backoffDelay(a, policy, () => 0.999999)),
    [50, 100, 1000],
  );
  t.is(backoffDelay(1e9, DEFAULT_BACKOFF, () => 0.5), DEFAULT_BACKOFF.maxMs * 0.75);
});

test('the client waits the injected backoff between failed dials, using the injected rng', async (t) => {
  const fx = makeServer();
  try {
    const path = join(await tempDir(fx), 'absent.sock');
    const delays: number[] = [];
    let fourth: () => void = () => undefined;
    const gotFour = new Promise<void>((resolve) => (fourth = resolve));
    const timers: Timers = {
      now: realTimers.now,
      clearTimeout: realTimers.clearTimeout,
      setTimeout: (fn, ms) => {
        delays.push(ms);
        if (delays.length === 4) fourth();
        return realTimers.setTimeout(fn, ms);
      },
    };
    const client = unixClient(fx, path, { timers, rng: () => 0.5, backoff: { initialMs: 4, factor: 3, maxMs: 50, jitter: 0.5 } });
    await gotFour;
    await client.close();
    t.deepEqual(delays.slice(0, 4), [3, 9, 27, 38]);
  } finally {
    await fx.dispose();
  }
});

test('after the server restarts on the same address the client reconnects; the in-flight call failed Unavailable', async (t) => {
  const fx = await unixServer();
  try {
    const client = unixClient(fx, fx.path, { backoff: { initialMs: 5, maxMs: 20 } });
    t.deepEqual(await client.call(Test, 'echo', { text: 'before' }), { text: 'before' });
    const started = new Promise((resolve) => fx.probe.once('started', resolve));
    const inFlight = client.call(Test, 'hang', {});
    await started;
    await fx.listener.close();
    const err = await t.throwsAsync(inFlight, { instanceOf: ShoalError });
    t.is(err?.code, 'Unavailable');

    // A new daemon on the same path.
    const server2 = new RpcServer({ services: [testService(new Probe())] });
    const listener2 = await listenUnix({ path: fx.path, server: server2 });
    fx.disposers.push(async () => {
      await listener2.close();
      server2.close();
    });
    t.deepEqual(await client.call(Test, 'echo', { text: 'after' }, { deadlineMs: 10_000 }), { text: 'after' });
    t.is(client.status, 'open');
  } finally {
    await fx.dispose();
  }
});

test('calls in flight when the connection is cut fail Unavailable; later calls use a new connection', async (t) => {
  const fx = await unixServer();
  try {
    const r = await relay(await tempDir(fx), fx.path);
    fx.disposers.push(() => r.close());
    const client = unixClient(fx, r.path, { backoff: { initialMs: 5, maxMs: 20 } });
    await clientStatus(client, 'open');
    const started = new Promise((resolve) => fx.probe.once('started', resolve));
    const inFlight = client.call(Test, 'hang', {});
    await started;
    const wentDown = clientStatus(client, 'backoff');
    r.cut();
    const err = await t.throwsAsync(inFlight, { instanceOf: ShoalError });
    t.is(err?.code, 'Unavailable');
    t.regex(err?.message ?? '', /^lost the connection to shoald at .*relay-.*\.sock \(the connection was cut\); the call may or may not have completed$/);
    await wentDown;
    t.deepEqual(await client.call(Test, 'echo', { text: 'again' }, { deadlineMs: 10_000 }), { text: 'again' });
  } finally {
    await fx.dispose();
  }
});
