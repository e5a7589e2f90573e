import test from 'ava';
import { defineContract, unary, stream, type RequestOf, type ResponseOf, type UnaryNames, type StreamNames } from '../../src/api/contract.js';
import * as s from '../../src/api/schema.js';

const Echo = defineContract('Echo', {
  say: unary(s.object({ text: s.string() }), s.object({ text: s.string(), at: s.number() }), ['local', 'worker', 'manager']),
  ticks: stream(s.object({ every: s.number({ int: true, min: 1 }) }), s.number(), ['manager']),
});

test('a contract keeps request and response types per method', (t) => {
  type SayReq = RequestOf<(typeof Echo.methods)['say']>;
  type SayRes = ResponseOf<(typeof Echo.methods)['say']>;
  const req: SayReq = { text: 'hi' };
  const res: SayRes = { text: 'hi', at: 1 };
  const u: UnaryNames<typeof Echo.methods> = 'say';
  const st: StreamNames<typeof Echo.methods> = 'ticks';
  t.deepEqual(s.parse(Echo.methods.say.request, req), req);
  t.deepEqual(s.parse(Echo.methods.say.response, res), res);
  t.is(u, 'say');
  t.is(st, 'ticks');
  t.deepEqual(Echo.methods.ticks.allow, ['manager']);
});

test('a request that fails its schema names the field', (t) => {
  const err = t.throws(() => s.parse(Echo.methods.ticks.request, { every: 0 }));
  t.is(err?.message, 'invalid request field every: expected an integer >= 1, got 0');
});
