// What a person reads when a history is not linearizable (golden text).
import test from 'ava';
import { checkHistory, explainResult, kvModel, registerModel } from '../../../../src/manager/raft/lincheck/index.js';
import { done, kv, pending, reg } from './build.js';

test('a stale read: the longest prefix, the operation that is stuck, and why nothing can go next', (t) => {
  const history = [
    done('a', 0, 10, reg.write(1), reg.wrote),
    done('b', 1, 2, reg.read, reg.got(1)),
    pending('c', 3, reg.write(2)),
    pending('d', 3, reg.cas(5, 6)),
    done('b', 4, 5, reg.read, reg.got(null)),
  ];
  const result = checkHistory(registerModel, history);
  t.is(
    explainResult(registerModel, history, result),
    [
      'not linearizable (register model, 5 operations, 1 partition, 12 steps)',
      '  the history (5 operations) is not linearizable.',
      '  The longest linearizable prefix found has 3 operations and leaves the state 2:',
      '       1. #0 client a [0, 10] write(1) -> ok',
      '       2. #1 client b [1, 2] read() -> 1',
      '       3. #2 client c [3, pending] write(2) -> ?',
      '  Next, #4 client b [4, 5] read() -> nil',
      '    must take effect before it returns, but none of the operations called by then can take effect next:',
      '      #3 client d [3, pending] cas(5, 6) -> ?: would change nothing',
      '      #4 client b [4, 5] read() -> nil: impossible in this state',
    ].join('\n'),
  );
});

test('a partitioned failure names the key and shortens a long prefix', (t) => {
  const history = [
    ...Array.from({ length: 12 }, (_, i) => done(1, 2 * i, 2 * i + 1, kv.put('k', String(i)), kv.put_)),
    done(2, 30, 31, kv.get('k'), kv.got('3')),
    done(3, 30, 31, kv.get('other'), kv.got(null)),
  ];
  const lines = explainResult(kvModel, history, checkHistory(kvModel, history), { prefixTail: 2 }).split('\n');
  t.deepEqual(lines.slice(1, 6), [
    '  key "k" (13 operations) is not linearizable.',
    '  The longest linearizable prefix found has 12 operations and leaves the state {"k": "11"}:',
    '      ... 10 earlier operations',
    '      11. #10 client 1 [20, 21] put("k", "10") -> ok',
    '      12. #11 client 1 [22, 23] put("k", "11") -> ok',
  ]);
  t.is(lines.at(-1), '      #12 client 2 [30, 31] get("k") -> "3": impossible in this state');
});

test('linearizable and unknown verdicts are one line', (t) => {
  const history = [done(0, 0, 1, reg.write(1), reg.wrote)];
  t.is(explainResult(registerModel, history, checkHistory(registerModel, history)), 'linearizable (register model, 1 operation, 1 partition, 1 step)');
  t.is(
    explainResult(registerModel, history, checkHistory(registerModel, history, { maxSteps: 0 })),
    'unknown: the step limit ran out before the history could be decided (register model, 1 operation, 1 partition, 0 steps)',
  );
});
