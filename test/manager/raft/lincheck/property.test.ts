// Quick-check: the optimised checker (search, cache, partitions, pruning of
// pending no-ops) against the naive one (every order of every choice of
// pending operations) on tiny random histories.
import test from 'ava';
import fc from 'fast-check';
import type { History, KvInput, KvOutput, KvState, Model, Operation, RegisterInput, RegisterOutput, RegisterValue } from '../../../../src/manager/raft/lincheck/index.js';
import { checkHistory, ILLEGAL, kvModel, registerModel } from '../../../../src/manager/raft/lincheck/index.js';
import { isWitness, naiveLinearization } from './naive-check.js';

interface Shape<I> {
  readonly clientId: number;
  readonly input: I;
  readonly call: number;
  readonly length: number;
  readonly pending: boolean;
  /** Where in [call, call + length] it takes effect when outputs are simulated. */
  readonly at: number;
  /** 0: keep the simulated output; otherwise seed a random output of the right kind. */
  readonly corruption: number;
}

interface Spec<S, I, O> {
  readonly model: Model<S, I, O>;
  readonly input: fc.Arbitrary<I>;
  /** What the operation returns in this state. */
  readonly output: (state: S, input: I) => O;
  /** An arbitrary output of the right kind for the input. */
  readonly corrupt: (input: I, seed: number) => O;
}

/**
 * Random histories that are often linearizable: each operation takes effect at
 * a random point of its interval, the model run in that order gives the
 * outputs, then some outputs are replaced by random ones and some operations
 * are left pending.
 */
function histories<S, I, O>(spec: Spec<S, I, O>): fc.Arbitrary<History<I, O>> {
  const shape: fc.Arbitrary<Shape<I>> = fc.record({
    clientId: fc.nat(3),
    input: spec.input,
    call: fc.nat(8),
    length: fc.nat(6),
    pending: fc.nat(4).map((n) => n === 0),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    corruption: fc.nat(12).map((n) => (n < 9 ? 0 : n)),
  });
  return fc.array(shape, { maxLength: 7 }).map((shapes) => simulate(spec, shapes));
}

function simulate<S, I, O>(spec: Spec<S, I, O>, shapes: readonly Shape<I>[]): History<I, O> {
  const byPoint = shapes.map((sh, i) => ({ sh, i, point: sh.call + sh.at * sh.length })).sort((a, b) => a.point - b.point);
  const outputs = new Map<number, O>();
  let state = spec.model.init();
  for (const { sh, i } of byPoint) {
    const out = spec.output(state, sh.input);
    outputs.set(i, sh.corruption === 0 ? out : spec.corrupt(sh.input, sh.corruption));
    const next = spec.model.step(state, sh.input, out);
    if (next !== ILLEGAL) state = next;
  }
  return shapes.map((sh, i): Operation<I, O> => {
    const base = { clientId: sh.clientId, input: sh.input, call: sh.call };
    const output = outputs.get(i);
    return sh.pending || output === undefined ? { ...base, pending: true } : { ...base, output, return: sh.call + sh.length };
  });
}

type Agreement = 'linearizable' | 'not-linearizable' | 'disagree';

function compare<S, I, O>(model: Model<S, I, O>, history: History<I, O>): Agreement {
  const naive = naiveLinearization(model, history) !== undefined;
  const result = checkHistory(model, history);
  if (result.verdict === 'unknown' || (result.verdict === 'linearizable') !== naive) return 'disagree';
  if (result.verdict === 'not-linearizable') return 'not-linearizable';
  const inPartition = (key: string | undefined): number[] =>
    history.flatMap((op, i) => (key === undefined || model.partitionKey?.(op.input) === key ? [i] : []));
  return result.linearizations.every((p) => isWitness(model, history, inPartition(p.key), p.order)) ? 'linearizable' : 'disagree';
}

function agreeOnRandomHistories<S, I, O>(spec: Spec<S, I, O>): Record<Agreement, number> {
  const tally: Record<Agreement, number> = { linearizable: 0, 'not-linearizable': 0, disagree: 0 };
  fc.assert(
    fc.property(histories(spec), (h) => {
      const a = compare(spec.model, h);
      tally[a]++;
      return a !== 'disagree';
    }),
    { numRuns: 1000, seed: 20240601 },
  );
  return tally;
}

const value = fc.constantFrom<RegisterValue>(null, 1, 2);
const register: Spec<RegisterValue, RegisterInput, RegisterOutput> = {
  model: registerModel,
  input: fc.oneof(
    fc.constant<RegisterInput>({ op: 'read' }),
    value.map((v): RegisterInput => ({ op: 'write', value: v })),
    fc.tuple(value, value).map(([from, to]): RegisterInput => ({ op: 'cas', from, to })),
  ),
  output: (s, i) => (i.op === 'read' ? { op: 'read', value: s } : i.op === 'write' ? { op: 'write' } : { op: 'cas', ok: s === i.from }),
  corrupt: (i, seed) =>
    i.op === 'read' ? { op: 'read', value: [null, 1, 2][seed % 3] ?? null } : i.op === 'write' ? { op: 'write' } : { op: 'cas', ok: seed % 2 === 0 },
};

test('register: the optimised checker agrees with the naive one', (t) => {
  const tally = agreeOnRandomHistories(register);
  t.log(tally);
  t.true(tally.linearizable > 100 && tally['not-linearizable'] > 100, 'both verdicts are exercised');
});

const key = fc.constantFrom('a', 'b');
const str = fc.constantFrom('x', 'y');
const kv: Spec<KvState, KvInput, KvOutput> = {
  model: kvModel,
  input: fc.oneof(
    key.map((k): KvInput => ({ op: 'get', key: k })),
    fc.tuple(key, str).map(([k, v]): KvInput => ({ op: 'put', key: k, value: v })),
    key.map((k): KvInput => ({ op: 'delete', key: k })),
    fc.tuple(key, fc.constantFrom<string | null>(null, 'x', 'y'), str).map(([k, e, v]): KvInput => ({ op: 'cas', key: k, expected: e, value: v })),
  ),
  output: (s, i) => {
    const current = s.entries.get(i.key) ?? null;
    switch (i.op) {
      case 'get':
        return { op: 'get', value: current };
      case 'cas':
        return { op: 'cas', ok: current === i.expected };
      case 'put':
      case 'delete':
        return { op: i.op };
    }
  },
  corrupt: (i, seed) => {
    switch (i.op) {
      case 'get':
        return { op: 'get', value: [null, 'x', 'y'][seed % 3] ?? null };
      case 'cas':
        return { op: 'cas', ok: seed % 2 === 0 };
      case 'put':
      case 'delete':
        return { op: i.op };
    }
  },
};

test('kv, partitioned by key: the optimised checker agrees with the naive, unpartitioned one', (t) => {
  const tally = agreeOnRandomHistories(kv);
  t.log(tally);
  t.true(tally.linearizable > 100 && tally['not-linearizable'] > 100, 'both verdicts are exercised');
});
