// A seed names one run exactly: same seed, same run, with or without the
// trace; the command line printed for a failure replays it.
import test from 'ava';
import fc from 'fast-check';
import { Rng } from '../../../../src/manager/raft/sim/rng.js';
import { EventQueue } from '../../../../src/manager/raft/sim/event-queue.js';
import { replayCommand, resolveOptions } from '../../../../src/manager/raft/sim/options.js';
import { runSimulation } from '../../../../src/manager/raft/sim/run.js';

test('the same seed gives the same run, traced or not', async (t) => {
  for (const seed of [7, 42]) {
    const a = await runSimulation({ seed }, true);
    const b = await runSimulation({ seed }, true);
    const quiet = await runSimulation({ seed });
    t.deepEqual(a.trace, b.trace);
    t.true(a.trace.length > 1000, 'the trace logs every delivery');
    t.is(a.stats.fingerprint, b.stats.fingerprint);
    t.deepEqual(quiet.stats, a.stats, 'tracing changes nothing in the run');
    t.deepEqual(quiet.trace, []);
  }
});

test('different seeds give different runs', async (t) => {
  const prints = new Set<number>();
  for (let seed = 1; seed <= 6; seed++) prints.add((await runSimulation({ seed, steps: 1500 })).stats.fingerprint);
  t.is(prints.size, 6);
});

test('options drawn from the seed are the same as given explicitly, and the replay command names them all', async (t) => {
  const drawn = resolveOptions({ seed: 99 });
  const explicit = resolveOptions({ ...drawn });
  t.deepEqual(explicit, drawn);
  const a = await runSimulation({ seed: 99, steps: 1500 });
  const b = await runSimulation({ seed: 99, steps: 1500, members: drawn.members, profile: drawn.profile });
  t.is(a.stats.fingerprint, b.stats.fingerprint);
  const cmd = replayCommand({ ...drawn, fault: 'local-read', preVote: !drawn.preVote });
  t.regex(cmd, new RegExp(`--seed 99 --members ${drawn.members} --profile ${drawn.profile} --steps ${drawn.steps} --fault local-read --pre-vote ${!drawn.preVote} --trace$`));
});

test('rng: streams depend only on (seed, label), ints stay in range', (t) => {
  const a = new Rng(5, 'x');
  const b = new Rng(5, 'x');
  const c = new Rng(5, 'y');
  const xs = Array.from({ length: 100 }, () => a.u32());
  t.deepEqual(xs, Array.from({ length: 100 }, () => b.u32()));
  t.notDeepEqual(xs, Array.from({ length: 100 }, () => c.u32()));
  t.deepEqual(new Rng(5).fork('net').next(), new Rng(5).fork('net').next());
  fc.assert(
    fc.property(fc.integer(), fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 50 }), (seed, lo, span) => {
      const r = new Rng(seed);
      for (let i = 0; i < 20; i++) {
        const v = r.int(lo, lo + span);
        if (!Number.isInteger(v) || v < lo || v > lo + span) return false;
      }
      return true;
    }),
  );
  // Roughly uniform: each of 4 buckets gets 20-30% of 4000 draws.
  const r = new Rng(1);
  const buckets = [0, 0, 0, 0];
  for (let i = 0; i < 4000; i++) buckets[r.int(0, 3)]! += 1;
  for (const n of buckets) t.true(n > 800 && n < 1200, `bucket ${n}`);
});

test('event queue: pops in (time, insertion) order, like a stable sort', (t) => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (delays) => {
      const q = new EventQueue<number>();
      delays.forEach((d, i) => q.after(d, i));
      const naive = delays.map((d, i) => ({ d, i })).sort((a, b) => a.d - b.d || a.i - b.i).map((x) => x.i);
      const popped: number[] = [];
      for (let e = q.pop(); e !== undefined; e = q.pop()) popped.push(e);
      return JSON.stringify(popped) === JSON.stringify(naive);
    }),
  );
  t.pass();
});
