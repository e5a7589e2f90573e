// Hand-written histories with known verdicts: sequential, concurrent, pending,
// partitioned; budgets that run out; invalid input.
import test from 'ava';
import type { CheckResult, History, Model, RegisterInput, RegisterOutput } from '../../../../src/manager/raft/lincheck/index.js';
import { appendKvModel, checkHistory, kvModel, registerModel } from '../../../../src/manager/raft/lincheck/index.js';
import { done, kv, pending, reg } from './build.js';
import { isWitness } from './naive-check.js';

/** Check, and when linearizable also check that each partition's order is a real linearization. */
function verdict<S, I, O>(model: Model<S, I, O>, history: History<I, O>): CheckResult<S>['verdict'] {
  const result = checkHistory(model, history);
  if (result.verdict === 'linearizable') {
    for (const p of result.linearizations) {
      const indices = history.flatMap((op, i) => (p.key === undefined || model.partitionKey?.(op.input) === p.key ? [i] : []));
      if (!isWitness(model, history, indices, p.order)) throw new Error(`bad witness for partition ${String(p.key)}: ${p.order.join(',')}`);
    }
  }
  return result.verdict;
}

test('an empty history is linearizable', (t) => {
  t.is(verdict(registerModel, []), 'linearizable');
  t.is(verdict(kvModel, []), 'linearizable');
});

test('a sequential history is linearizable exactly when the model accepts it in order', (t) => {
  const w = done(0, 0, 1, reg.write(1), reg.wrote);
  t.is(verdict(registerModel, [w, done(0, 2, 3, reg.read, reg.got(1))]), 'linearizable');
  t.is(verdict(registerModel, [w, done(0, 2, 3, reg.read, reg.got(2))]), 'not-linearizable');
  t.is(verdict(registerModel, [done(0, 0, 1, reg.read, reg.got(null))]), 'linearizable');
});

test('a read concurrent with a write may see the old or the new value', (t) => {
  const w = done(0, 0, 10, reg.write(1), reg.wrote);
  t.is(verdict(registerModel, [w, done(1, 1, 2, reg.read, reg.got(1))]), 'linearizable');
  t.is(verdict(registerModel, [w, done(1, 1, 2, reg.read, reg.got(null))]), 'linearizable');
  t.is(verdict(registerModel, [w, done(1, 1, 2, reg.read, reg.got(7))]), 'not-linearizable');
});

test('a read after a write returned cannot see the old value', (t) => {
  const h = [done(0, 0, 1, reg.write(1), reg.wrote), done(1, 2, 3, reg.read, reg.got(null))];
  t.is(verdict(registerModel, h), 'not-linearizable');
});

test('once a read saw a concurrent write, a later read cannot see the value before it', (t) => {
  const w = done(0, 0, 10, reg.write(1), reg.wrote);
  const sawNew = done(1, 1, 2, reg.read, reg.got(1));
  const sawOld = done(2, 3, 4, reg.read, reg.got(null));
  t.is(verdict(registerModel, [w, sawNew, sawOld]), 'not-linearizable');
  // The same two reads, overlapping each other, can be ordered old-then-new.
  t.is(verdict(registerModel, [w, done(1, 1, 4, reg.read, reg.got(1)), done(2, 3, 5, reg.read, reg.got(null))]), 'linearizable');
});

test('operations returning and calling at the same instant are concurrent', (t) => {
  const w = done(0, 0, 5, reg.write(1), reg.wrote);
  t.is(verdict(registerModel, [w, done(1, 5, 6, reg.read, reg.got(null))]), 'linearizable');
  t.is(verdict(registerModel, [w, done(1, 6, 7, reg.read, reg.got(null))]), 'not-linearizable');
});

test('concurrent writes can take effect in either order', (t) => {
  const a = done(0, 0, 10, reg.write(1), reg.wrote);
  const b = done(1, 0, 10, reg.write(2), reg.wrote);
  t.is(verdict(registerModel, [a, b, done(2, 11, 12, reg.read, reg.got(1))]), 'linearizable');
  t.is(verdict(registerModel, [a, b, done(2, 11, 12, reg.read, reg.got(2))]), 'linearizable');
  // Two readers after both writes must agree.
  t.is(verdict(registerModel, [a, b, done(2, 11, 12, reg.read, reg.got(1)), done(3, 11, 12, reg.read, reg.got(2))]), 'not-linearizable');
});

test('a cas succeeds exactly when the register holds the expected value', (t) => {
  const w = done(0, 0, 1, reg.write(1), reg.wrote);
  t.is(verdict(registerModel, [w, done(0, 2, 3, reg.cas(1, 2), reg.casOk(true)), done(0, 4, 5, reg.read, reg.got(2))]), 'linearizable');
  t.is(verdict(registerModel, [w, done(0, 2, 3, reg.cas(1, 2), reg.casOk(false))]), 'not-linearizable');
  t.is(verdict(registerModel, [w, done(0, 2, 3, reg.cas(3, 2), reg.casOk(false)), done(0, 4, 5, reg.read, reg.got(1))]), 'linearizable');
  t.is(verdict(registerModel, [done(0, 0, 1, reg.cas(null, 5), reg.casOk(true)), done(0, 2, 3, reg.read, reg.got(5))]), 'linearizable');
});

test('a pending write may take effect at any time after its call', (t) => {
  const w = pending(0, 0, reg.write(1));
  t.is(verdict(registerModel, [w, done(1, 5, 6, reg.read, reg.got(1))]), 'linearizable');
  t.is(verdict(registerModel, [w, done(1, 5, 6, reg.read, reg.got(null)), done(1, 7, 8, reg.read, reg.got(1))]), 'linearizable');
});

test('a pending write may never take effect', (t) => {
  t.is(verdict(registerModel, [pending(0, 0, reg.write(1)), done(1, 5, 6, reg.read, reg.got(null))]), 'linearizable');
});

test('a pending write takes effect once: the new value cannot be followed by the old', (t) => {
  const h = [pending(0, 0, reg.write(1)), done(1, 5, 6, reg.read, reg.got(1)), done(1, 7, 8, reg.read, reg.got(null))];
  t.is(verdict(registerModel, h), 'not-linearizable');
});

test('a pending write cannot explain a read that returned before it was called', (t) => {
  t.is(verdict(registerModel, [done(1, 0, 1, reg.read, reg.got(1)), pending(0, 2, reg.write(1))]), 'not-linearizable');
});

test('a pending cas has whatever outcome the state gives it', (t) => {
  const init = done(0, 0, 1, reg.write(1), reg.wrote);
  const c = pending(1, 2, reg.cas(1, 2));
  t.is(verdict(registerModel, [init, c, done(2, 3, 4, reg.read, reg.got(2))]), 'linearizable');
  t.is(verdict(registerModel, [init, c, done(2, 3, 4, reg.read, reg.got(1))]), 'linearizable');
  t.is(verdict(registerModel, [pending(1, 0, reg.cas(9, 2)), done(2, 3, 4, reg.read, reg.got(2))]), 'not-linearizable');
});

test('only pending operations: linearizable', (t) => {
  t.is(verdict(registerModel, [pending(0, 0, reg.write(1)), pending(1, 0, reg.read)]), 'linearizable');
});

test('the kv model checks each key on its own and reports the failing key', (t) => {
  const h = [
    done(0, 0, 1, kv.put('a', '1'), kv.put_),
    done(1, 0, 1, kv.put('b', '1'), kv.put_),
    done(0, 2, 3, kv.get('a'), kv.got('1')),
    done(1, 2, 3, kv.get('b'), kv.got(null)),
  ];
  const result = checkHistory(kvModel, h);
  t.is(result.verdict, 'not-linearizable');
  if (result.verdict !== 'not-linearizable') return;
  t.is(result.stats.partitions, 2);
  t.is(result.failure.key, 'b');
  t.deepEqual(result.failure.operations, [1, 3]);
  t.deepEqual(result.failure.longest, [1]);
  t.is(result.failure.blockedBy, 3);
  t.deepEqual(result.failure.candidates, [3]);
  t.is(verdict(kvModel, h.slice(0, 3)), 'linearizable');
});

test('kv cas and delete', (t) => {
  t.is(verdict(kvModel, [done(0, 0, 1, kv.cas('a', null, 'x'), kv.casOk(true)), done(0, 2, 3, kv.get('a'), kv.got('x'))]), 'linearizable');
  t.is(verdict(kvModel, [done(0, 0, 1, kv.cas('a', 'x', 'y'), kv.casOk(true))]), 'not-linearizable');
  const h = [
    done(0, 0, 1, kv.put('a', 'x'), kv.put_),
    done(0, 2, 3, kv.del('a'), kv.deleted),
    done(0, 4, 5, kv.cas('a', null, 'y'), kv.casOk(true)),
    done(1, 4, 6, kv.get('a'), kv.got(null)),
  ];
  t.is(verdict(kvModel, h), 'linearizable');
  t.is(verdict(kvModel, [...h, done(1, 7, 8, kv.get('a'), kv.got(null))]), 'not-linearizable');
});

test('the append kv model concatenates and reads a missing key as ""', (t) => {
  const h = [
    done(0, 0, 1, { op: 'get' as const, key: 'k' }, { op: 'get' as const, value: '' }),
    done(0, 2, 3, { op: 'append' as const, key: 'k', value: 'a' }, { op: 'append' as const }),
    done(1, 2, 5, { op: 'append' as const, key: 'k', value: 'b' }, { op: 'append' as const }),
    done(2, 6, 7, { op: 'get' as const, key: 'k' }, { op: 'get' as const, value: 'ba' }),
  ];
  t.is(verdict(appendKvModel, h), 'linearizable');
  t.is(verdict(appendKvModel, [...h, done(2, 8, 9, { op: 'get' as const, key: 'k' }, { op: 'get' as const, value: 'ab' })]), 'not-linearizable');
});

/** Eight concurrent writes then a read of a value none wrote: the search must try every order. */
function hard(): History<RegisterInput, RegisterOutput> {
  const writes = Array.from({ length: 8 }, (_, i) => done(i, 0, 10, reg.write(i), reg.wrote));
  return [...writes, done(9, 0, 10, reg.read, reg.got(99))];
}

test('a step limit gives "unknown", never a guess', (t) => {
  const result = checkHistory(registerModel, hard(), { maxSteps: 5 });
  t.is(result.verdict, 'unknown');
  if (result.verdict !== 'unknown') return;
  t.is(result.reason, 'step-limit');
  t.deepEqual(result.undecided, [undefined]);
  t.is(checkHistory(registerModel, hard()).verdict, 'not-linearizable');
});

test('a time budget gives "unknown" with the partitions left undecided', (t) => {
  let now = 0;
  const clock = (): number => (now += 1000);
  const h = [done(0, 0, 1, kv.put('a', '1'), kv.put_), done(0, 2, 3, kv.put('b', '1'), kv.put_), done(0, 4, 5, kv.get('b'), kv.got('1'))];
  const result = checkHistory(kvModel, h, { timeoutMs: 10, clock });
  t.is(result.verdict, 'unknown');
  if (result.verdict !== 'unknown') return;
  t.is(result.reason, 'timeout');
  t.deepEqual(result.undecided, ['a', 'b']);
});

test('invalid histories are refused with a message', (t) => {
  const err = t.throws(() => checkHistory(registerModel, [done(0, 5, 4, reg.read, reg.got(null))]));
  t.is(err?.message, 'operation 0 returns at 4, before its call at 5');
  const mismatch = t.throws(() => checkHistory(registerModel, [done(0, 0, 1, reg.read, reg.wrote)]));
  t.is(mismatch?.message, 'a read operation cannot return a write result');
});
