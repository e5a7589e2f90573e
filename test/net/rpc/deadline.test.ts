// Per-call deadlines and cancellation, and the deadline queue against a naive model.
import test from 'ava';
import fc from 'fast-check';
import { join } from 'node:path';
import { ShoalError } from '../../../src/api/errors.js';
import { DeadlineQueue, Expiring } from '../../../src/net/rpc/deadline-queue.js';
import { listenUnix } from '../../../src/net/rpc/listen-unix.js';
import type { TimerHandle, Timers } from '../../../src/net/rpc/timers.js';
import { Test } from './helpers/contract.js';
import { clientStatus, makeServer, tempDir, unixClient, unixServer } from './helpers/fixture.js';

test('a handler past its deadline is aborted with DeadlineExceeded and the client gets DeadlineExceeded', async (t) => {
  const fx = await unixServer();
  try {
    const client = unixClient(fx, fx.path);
    await clientStatus(client, 'open'); // so the short deadline is spent on the server, not on connecting
    const aborted = fx.probe.nextAbort();
    const err = await t.throwsAsync(client.call(Test, 'hang', {}, { deadlineMs: 30 }), { instanceOf: ShoalError });
    t.is(err?.code, 'DeadlineExceeded');
    t.is(err?.message, 'Test.hang did not finish within its deadline of 30 ms');
    const [method, reason] = await aborted;
    t.is(method, 'Test.hang');
    t.is(reason.code, 'DeadlineExceeded');
    t.deepEqual(await client.call(Test, 'echo', { text: 'next' }), { text: 'next' });
  } finally {
    await fx.dispose();
  }
});

test('an abort signal cancels a unary call locally and on the server', async (t) => {
  const fx = await unixServer();
  try {
    const client = unixClient(fx, fx.path);
    const ac = new AbortController();
    const started = new Promise((resolve) => fx.probe.once('started', resolve));
    const aborted = fx.probe.nextAbort();
    const call = client.call(Test, 'hang', {}, { signal: ac.signal });
    await started;
    ac.abort();
    const err = await t.throwsAsync(call, { instanceOf: ShoalError });
    t.is(err?.code, 'Cancelled');
    t.is(err?.message, 'Test.hang was cancelled by the caller');
    t.is((await aborted)[1].message, 'the client cancelled the call');
  } finally {
    await fx.dispose();
  }
});

test('a call with an already aborted signal fails at once without reaching the server', async (t) => {
  const fx = await unixServer();
  try {
    const client = unixClient(fx, fx.path);
    const err = await t.throwsAsync(client.call(Test, 'echo', { text: 'x' }, { signal: AbortSignal.abort('too late') }), { instanceOf: ShoalError });
    t.is(err?.code, 'Cancelled');
    t.is(err?.message, 'Test.echo was cancelled by the caller: too late');
    t.is(fx.probe.handlerRuns, 0);
  } finally {
    await fx.dispose();
  }
});

test('a call while the server is unreachable waits until its deadline, then fails Unavailable naming the address and cause', async (t) => {
  const fx = makeServer();
  try {
    const path = join(await tempDir(fx), 'nobody.sock');
    const client = unixClient(fx, path, { backoff: { initialMs: 5, maxMs: 20 } });
    await clientStatus(client, 'backoff'); // the first dial has failed, so there is a cause to report
    const err = await t.throwsAsync(client.call(Test, 'echo', { text: 'x' }, { deadlineMs: 60 }), { instanceOf: ShoalError });
    t.is(err?.code, 'Unavailable');
    t.is(err?.message, `cannot reach shoald at ${path}: connect ENOENT ${path}`);
  } finally {
    await fx.dispose();
  }
});

test('a call made before the server is up is sent once it comes up', async (t) => {
  const fx = makeServer();
  try {
    const path = join(await tempDir(fx), 'late.sock');
    const client = unixClient(fx, path, { backoff: { initialMs: 5, maxMs: 20 } });
    const call = client.call(Test, 'echo', { text: 'patient' }, { deadlineMs: 30_000 });
    const listener = await listenUnix({ path, server: fx.server });
    fx.disposers.push(() => listener.close());
    t.deepEqual(await call, { text: 'patient' });
  } finally {
    await fx.dispose();
  }
});

// ---- the deadline queue, driven by fake timers, against a naive list ----

class FakeTimers implements Timers {
  time = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private nextId = 1;
  now(): number {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, fn });
    return id as unknown as TimerHandle;
  }
  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as unknown as number);
  }
  get pending(): number {
    return this.timers.size;
  }
  /** Advance to `to`, firing due timers in order. */
  advance(to: number): void {
    for (;;) {
      let due: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.timers) if (entry[1].at <= to && (due === undefined || entry[1].at < due[1].at)) due = entry;
      if (due === undefined) break;
      this.timers.delete(due[0]);
      this.time = Math.max(this.time, due[1].at);
      due[1].fn();
    }
    this.time = to;
  }
}

class Entry extends Expiring {
  constructor(
    readonly name: number,
    private readonly fired: number[],
    private readonly timers: FakeTimers,
    private readonly deadlines: Map<number, number>,
  ) {
    super();
  }
  expire(): void {
    this.fired.push(this.name);
    this.early ||= this.timers.now() < (this.deadlines.get(this.name) ?? Infinity);
  }
  early = false;
}

type Op = { kind: 'add'; entry: number; timeout: number } | { kind: 'remove'; entry: number } | { kind: 'advance'; by: number };

test('the deadline queue expires exactly what a naive list says, never early, with one timer', (t) => {
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('add' as const), entry: fc.nat(20), timeout: fc.constantFrom(1, 5, 10, 10, 10, 30, 100) }),
    fc.record({ kind: fc.constant('remove' as const), entry: fc.nat(20) }),
    fc.record({ kind: fc.constant('advance' as const), by: fc.nat(40) }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
      const timers = new FakeTimers();
      const queue = new DeadlineQueue(timers);
      const fired: number[] = [];
      const entries = new Map<number, Entry>();
      const naive = new Map<number, number>(); // entry -> deadline
      const deadlines = new Map<number, number>(); // last deadline set, kept after expiry
      const naiveFired: number[] = [];
      for (const o of ops) {
        if (o.kind === 'add') {
          const e = entries.get(o.entry) ?? new Entry(o.entry, fired, timers, deadlines);
          entries.set(o.entry, e);
          queue.add(e, o.timeout);
          naive.set(o.entry, timers.time + o.timeout);
          deadlines.set(o.entry, timers.time + o.timeout);
        } else if (o.kind === 'remove') {
          const e = entries.get(o.entry);
          if (e !== undefined) queue.remove(e);
          naive.delete(o.entry);
        } else {
          const to = timers.time + o.by;
          // The naive model: everything due by `to`, by deadline then insertion order (Map keeps it).
          const due = [...naive].filter(([, at]) => at <= to);
          due.sort((a, b) => a[1] - b[1]);
          for (const [name] of due) {
            naive.delete(name);
            naiveFired.push(name);
          }
          timers.advance(to);
          t.true(timers.pending <= 1);
        }
        // Same set fired so far (order within one advance may differ across timeout lists).
        if ([...fired].sort().join() !== [...naiveFired].sort().join()) return false;
        if (queue.size !== naive.size) return false;
      }
      if ([...entries.values()].some((e) => e.early)) return false;
      return true;
    }),
    { numRuns: 300 },
  );
  t.pass();
});
