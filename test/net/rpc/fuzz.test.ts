// 10,000 malformed frames against a live server. Each one must produce
// exactly one of: an error frame (InvalidArgument / NotFound; one per value
// when random bytes happen to be a CBOR sequence) or, for bytes that are not
// complete CBOR values / too big / text, the close of that connection only. Nothing else comes back, the server never hits an internal error,
// and afterwards it still answers a well-formed call from another client.
import test from 'ava';
import fc from 'fast-check';
import { encode } from 'cbor-x';
import { Test } from './helpers/contract.js';
import { unixClient, unixServer } from './helpers/fixture.js';
import { RawPeer } from './helpers/raw-peer.js';
import { cborCodec } from '../../../src/net/rpc/codec.js';

const MAX_FRAME = 16 * 1024;
const SERVED = new Set(Object.keys(Test.methods).map((m) => `Test.${m}`));
/** Ids of the sync calls; the generators stay far below. */
const SYNC_BASE = 2 ** 50;

type Malformed =
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'truncated'; bytes: Uint8Array }
  | { kind: 'shape'; value: unknown }
  | { kind: 'near'; value: Record<string, unknown> }
  | { kind: 'oversize'; bytes: Uint8Array }
  | { kind: 'text'; text: string };

const codec = cborCodec();
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

const validReq = fc.record({
  t: fc.constant('req'),
  id: fc.integer({ min: 1, max: 2 ** 40 }),
  method: fc.constantFrom(...SERVED),
  params: fc.constant({ text: 'x' }),
  deadlineMs: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
});

const badId = fc.oneof(fc.constant(0), fc.integer({ min: -1e9, max: -1 }), fc.double({ min: 0.1, max: 1e6, noInteger: true }), fc.string(), fc.constant(2 ** 53), fc.constant(null));
const badMethod = fc.oneof(
  fc.string({ maxLength: 40 }).filter((m) => !SERVED.has(m)),
  fc.string({ minLength: 201, maxLength: 260 }),
  fc.integer(),
  fc.constant(null),
);
const badParams = fc.anything().filter((p) => !(isRecord(p) && typeof p['text'] === 'string'));
const badCount = fc.oneof(fc.integer({ min: -1e9, max: -1 }), fc.double({ min: 0.5, max: 10, noInteger: true }), fc.constant(2 ** 40), fc.string());
const badT = fc.oneof(fc.constantFrom('res', 'err', 'item', 'end', 'REQ', '', 'request'), fc.integer(), fc.constant(null));

/** A request with exactly one field broken (with echo as the method so params have a known schema). */
const near: fc.Arbitrary<Malformed> = fc
  .tuple(validReq, fc.oneof(
    badId.map((v) => ['id', v] as const),
    badMethod.map((v) => ['method', v] as const),
    badParams.map((v) => ['params', v] as const),
    badCount.map((v) => ['deadlineMs', v] as const),
    badCount.map((v) => ['credit', v] as const),
    badT.map((v) => ['t', v] as const),
    fc.constant(['id', undefined] as const),
  ))
  .map(([req, [field, v]]) => {
    const value: Record<string, unknown> = { ...req, method: field === 'params' ? 'Test.echo' : req.method };
    if (v === undefined) delete value[field];
    else value[field] = v;
    return { kind: 'near' as const, value };
  });

const malformed: fc.Arbitrary<Malformed> = fc.oneof(
  { weight: 60, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ kind: 'bytes' as const, bytes })) },
  {
    weight: 40,
    arbitrary: fc.tuple(validReq, fc.double({ min: 0, max: 1, noNaN: true })).map(([req, cut]) => {
      const full = codec.encode(req as never);
      return { kind: 'truncated' as const, bytes: full.subarray(0, Math.floor(cut * (full.byteLength - 1))) };
    }),
  },
  {
    weight: 40,
    // Valid CBOR that is not a frame. (A well-formed cancel/credit for an unknown call is legal and ignored, so excluded.)
    arbitrary: fc
      .oneof(fc.anything(), fc.record({ t: fc.constantFrom('cancel', 'credit', 'req'), id: badId }), fc.record({ t: fc.constant('credit'), id: fc.nat(), n: badCount }))
      .map((value) => ({ kind: 'shape' as const, value })),
  },
  { weight: 80, arbitrary: near },
  { weight: 1, arbitrary: fc.integer({ min: MAX_FRAME + 1, max: 2 * MAX_FRAME }).map((n) => ({ kind: 'oversize' as const, bytes: new Uint8Array(n) })) },
  { weight: 4, arbitrary: fc.string().map((text) => ({ kind: 'text' as const, text })) },
);

test('10,000 malformed frames each get one error frame or a close, and the server keeps serving', async (t) => {
  const fx = await unixServer({ maxFrameBytes: MAX_FRAME });
  let peer: RawPeer | undefined;
  let sync = SYNC_BASE;
  const stats = { errorFrames: 0, closes: 0, reconnects: 0, syncAnswers: 0 };
  try {
    await fc.assert(
      fc.asyncProperty(malformed, async (m) => {
        if (peer === undefined || peer.closed) {
          peer = await RawPeer.open(fx.path);
          stats.reconnects++;
        }
        switch (m.kind) {
          case 'bytes':
          case 'truncated':
          case 'oversize':
            peer.sendBytes(m.bytes);
            break;
          case 'shape':
          case 'near':
            peer.sendBytes(encode(m.value));
            break;
          case 'text':
            peer.sendText(m.text);
            break;
        }
        // A well-formed call after it: its answer marks the end of the server's reaction.
        const id = ++sync;
        peer.sendFrame({ t: 'req', id, method: 'Test.echo', params: { text: 'sync' } });
        const errors: Record<string, unknown>[] = [];
        for (;;) {
          const e = await peer.next();
          if (e.kind === 'close') {
            stats.closes++;
            if (errors.length !== 0) return false;
            if (m.kind === 'oversize') return e.code === 1009;
            if (m.kind === 'text') return e.code === 1003;
            return (m.kind === 'bytes' || m.kind === 'truncated') && e.code === 1007;
          }
          if (!isRecord(e.value)) return false;
          if (e.value['t'] === 'res' && e.value['id'] === id) {
            stats.syncAnswers++;
            break;
          }
          if (e.value['t'] !== 'err') return false;
          errors.push(e.value);
        }
        stats.errorFrames += errors.length;
        if (m.kind === 'truncated' || m.kind === 'oversize' || m.kind === 'text') return false;
        // Random bytes may happen to be a sequence of several values: one error frame for each.
        if (m.kind === 'bytes' ? errors.length === 0 : errors.length !== 1) return false;
        return errors.every((err) => {
          const code = err['code'];
          if (code === 'NotFound') return String(err['message']).startsWith('unknown method ');
          return code === 'InvalidArgument';
        });
      }),
      { numRuns: 10_000, endOnFailure: true },
    );
    t.log(`error frames ${stats.errorFrames}, closes ${stats.closes}, connections ${stats.reconnects}`);
    t.deepEqual(fx.internals, []);
    // Only the sync calls ran a handler: no malformed frame did.
    t.is(fx.probe.handlerRuns, stats.syncAnswers);
    const client = unixClient(fx, fx.path);
    t.deepEqual(await client.call(Test, 'echo', { text: 'after the storm' }), { text: 'after the storm' });
  } finally {
    await peer?.close();
    await fx.dispose();
  }
});
