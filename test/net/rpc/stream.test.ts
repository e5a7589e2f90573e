// Server streams: credit-based backpressure and every way a stream ends.
import test from 'ava';
import { ShoalError } from '../../../src/api/errors.js';
import { Test } from './helpers/contract.js';
import { connections, tempDir, unixClient, unixServer } from './helpers/fixture.js';
import { relay } from './helpers/proxy.js';

const W = 8;

test('the server never runs more than the credit window ahead of a slow consumer', async (t) => {
  const fx = await unixServer();
  try {
    const client = unixClient(fx, fx.path, { limits: { creditWindow: W } });
    let consumed = 0;
    let maxAhead = 0;
    fx.probe.on('sent', (n) => (maxAhead = Math.max(maxAhead, n - consumed)));
    const sentReaches = (n: number): Promise<void> =>
      fx.probe.sent >= n
        ? Promise.resolve()
        : new Promise((resolve) => {
            const onSent = (m: number): void => {
              if (m < n) return;
              fx.probe.off('sent', onSent);
              resolve();
            };
            fx.probe.on('sent', onSent);
          });
    // A round trip on the same connection lets the server act on everything sent before it.
    const barrier = (): Promise<unknown> => client.call(Test, 'echo', { text: 'barrier' });

    const stream = client.stream(Test, 'forever', {});
    const first = await stream.next();
    consumed = 1;
    t.deepEqual(first, { done: false, value: 0 });
    for (; consumed <= 40; ) {
      // Credit comes back in batches of W/2 as the consumer pulls.
      const allowed = W + Math.floor(consumed / (W / 2)) * (W / 2);
      await sentReaches(allowed);
      await barrier();
      t.is(fx.probe.sent, allowed, `after ${consumed} pulled`);
      const r = await stream.next();
      t.deepEqual(r, { done: false, value: consumed });
      consumed++;
    }
    t.true(maxAhead <= W, `server ran ${maxAhead} items ahead`);
    await stream.return();
  } finally {
    await fx.dispose();
  }
});

test('a stream delivers every item in order and ends when the handler returns', async (t) => {
  const fx = await unixServer();
  try {
    const client = unixClient(fx, fx.path, { limits: { creditWindow: W } });
    const items: number[] = [];
    for await (const n of client.stream(Test, 'count', { upTo: 100 })) items.push(n);
    t.deepEqual(
      items,
      Array.from({ length: 100 }, (_, i) => i),
    );
  } finally {
    await fx.dispose();
  }
});

test('breaking out of for-await cancels the handler on the server', async (t) => {
  const fx = await unixServer();
  try {
    const client = unixClient(fx, fx.path);
    const aborted = fx.probe.nextAbort();
    const seen: number[] = [];
    for await (const n of client.stream(Test, 'forever', {})) {
      seen.push(n);
      if (n === 2) break;
    }
    const [method, reason] = await aborted;
    t.deepEqual(seen, [0, 1, 2]);
    t.is(method, 'Test.forever');
    t.is(reason.code, 'Cancelled');
    t.is(reason.message, 'the client cancelled the call');
    t.deepEqual(await client.call(Test, 'echo', { text: 'after' }), { text: 'after' });
  } finally {
    await fx.dispose();
  }
});

test('an abort signal ends the stream with Cancelled on both sides', async (t) => {
  const fx = await unixServer();
  try {
    const client = unixClient(fx, fx.path);
    const ac = new AbortController();
    const stream = client.stream(Test, 'forever', {}, { signal: ac.signal });
    t.deepEqual(await stream.next(), { done: false, value: 0 });
    const aborted = fx.probe.nextAbort();
    ac.abort(new Error('operator pressed q'));
    const err = await t.throwsAsync(async () => {
      for (;;) if ((await stream.next()).done === true) break;
    });
    t.true(err instanceof ShoalError);
    t.is((err as ShoalError).code, 'Cancelled');
    t.regex(err?.message ?? '', /operator pressed q/);
    t.is((await aborted)[1].code, 'Cancelled');
  } finally {
    await fx.dispose();
  }
});

test('a handler that throws ends the stream with its error after the items it sent', async (t) => {
  const fx = await unixServer();
  try {
    const client = unixClient(fx, fx.path);
    const items: number[] = [];
    const err = await t.throwsAsync(async () => {
      for await (const n of client.stream(Test, 'failAfter', { n: 5 })) items.push(n);
    });
    t.deepEqual(items, [0, 1, 2, 3, 4]);
    t.true(err instanceof ShoalError);
    t.is((err as ShoalError).code, 'FailedPrecondition');
    t.is(err?.message, 'stopped after 5 items');
  } finally {
    await fx.dispose();
  }
});

test('a stream item of the wrong shape ends the stream with Internal', async (t) => {
  const fx = await unixServer();
  try {
    const client = unixClient(fx, fx.path);
    const err = await t.throwsAsync(async () => {
      for await (const _ of client.stream(Test, 'badItem', {})) t.fail('no item should arrive');
    });
    t.is((err as ShoalError).code, 'Internal');
    t.regex(String(fx.internals[0]?.error), /invalid item: expected a number/);
  } finally {
    await fx.dispose();
  }
});

test('a stream ends with Unavailable when the connection is cut, and the handler is aborted', async (t) => {
  const fx = await unixServer();
  try {
    const r = await relay(await tempDir(fx), fx.path);
    fx.disposers.push(() => r.close());
    const client = unixClient(fx, r.path);
    const stream = client.stream(Test, 'forever', {});
    t.deepEqual(await stream.next(), { done: false, value: 0 });
    const aborted = fx.probe.nextAbort();
    r.cut();
    const err = await t.throwsAsync(async () => {
      for (;;) if ((await stream.next()).done === true) break;
    });
    t.is((err as ShoalError).code, 'Unavailable');
    t.regex(err?.message ?? '', /^lost the connection to shoald at .*relay-.*\.sock \(the connection was cut\); resubscribe to continue the stream$/);
    const [, reason] = await aborted;
    t.is(reason.message, 'the client disconnected');
  } finally {
    await fx.dispose();
  }
});

test('a stream ends with Unavailable when the server shuts down', async (t) => {
  const fx = await unixServer();
  try {
    const client = unixClient(fx, fx.path);
    const stream = client.stream(Test, 'forever', {});
    t.deepEqual(await stream.next(), { done: false, value: 0 });
    await fx.listener.close();
    const err = await t.throwsAsync(async () => {
      for (;;) if ((await stream.next()).done === true) break;
    });
    t.is((err as ShoalError).code, 'Unavailable');
    t.is(err?.message, 'the server is shutting down; retry the call');
    await connections(fx.server, (n) => n === 0);
    t.is(fx.probe.aborts.at(-1)?.reason.code, 'Unavailable');
  } finally {
    await fx.dispose();
  }
});

test('closing the client aborts its streams on the server', async (t) => {
  const fx = await unixServer();
  try {
    const client = unixClient(fx, fx.path);
    const stream = client.stream(Test, 'forever', {});
    t.deepEqual(await stream.next(), { done: false, value: 0 });
    const aborted = fx.probe.nextAbort();
    await client.close();
    t.is((await aborted)[1].message, 'the client disconnected');
    // Items already received are still delivered, then the stream fails.
    const err = await t.throwsAsync(async () => {
      for (;;) if ((await stream.next()).done === true) break;
    });
    t.is((err as ShoalError).code, 'Cancelled');
  } finally {
    await fx.dispose();
  }
});
