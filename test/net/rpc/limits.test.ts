// Bounded per-connection state: a flooding peer and a peer that never reads
// are stopped, and other peers do not notice.
import test from 'ava';
import { Test } from './helpers/contract.js';
import { connections, unixClient, unixServer } from './helpers/fixture.js';
import { RawPeer } from './helpers/raw-peer.js';

test('a flood of calls past the in-flight limit gets ResourceExhausted; other clients are served', async (t) => {
  const fx = await unixServer({ maxInFlight: 16 });
  try {
    const flooder = await RawPeer.open(fx.path);
    fx.disposers.push(() => flooder.close());
    for (let id = 1; id <= 1000; id++) flooder.sendFrame({ t: 'req', id, method: 'Test.hang', params: {} });
    const refused: number[] = [];
    while (refused.length < 984) {
      const e = await flooder.next();
      if (e.kind !== 'frame') return t.fail(`connection closed (${e.code})`);
      const f = e.value as { t: string; id: number; code: string; message: string };
      t.is(f.t, 'err');
      t.is(f.code, 'ResourceExhausted');
      refused.push(f.id);
    }
    t.deepEqual(
      refused,
      Array.from({ length: 984 }, (_, i) => i + 17),
    );
    // Another client is unaffected.
    const client = unixClient(fx, fx.path);
    t.deepEqual(await client.call(Test, 'echo', { text: 'fine' }), { text: 'fine' });
    // When the flooder goes, its 16 running handlers are aborted.
    let aborts = 0;
    const allAborted = new Promise<void>((resolve) =>
      fx.probe.on('aborted', () => {
        if (++aborts === 16) resolve();
      }),
    );
    await flooder.close();
    await allAborted;
    t.true(fx.probe.aborts.every((a) => a.reason.message === 'the client disconnected'));
  } finally {
    await fx.dispose();
  }
});

test('a client that never reads is disconnected once its queued responses pass the buffer bound', async (t) => {
  const fx = await unixServer({ maxBufferedBytes: 256 * 1024 });
  try {
    const client = unixClient(fx, fx.path);
    t.deepEqual(await client.call(Test, 'echo', { text: 'warm' }), { text: 'warm' });
    const lazy = await RawPeer.open(fx.path);
    fx.disposers.push(() => lazy.close());
    lazy.socket?.pause();
    const text = 'x'.repeat(16 * 1024);
    for (let id = 1; id <= 400; id++) lazy.sendFrame({ t: 'req', id, method: 'Test.echo', params: { text } });
    // The server drops the lazy peer; only the well-behaved client remains.
    await connections(fx.server, (n) => n === 1);
    t.deepEqual(await client.call(Test, 'echo', { text: 'still here' }), { text: 'still here' });
    t.true(fx.probe.handlerRuns <= 402);
  } finally {
    await fx.dispose();
  }
});
