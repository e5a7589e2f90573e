// The history parsers: Jepsen etcd logs, Porcupine's EDN kv lines and shoal's
// kv JSON lines; and recognising which is which.
import test from 'ava';
import { detectFormat, formatKvJsonLines, parseJepsenEtcdLog, parseKvEdn, parseKvJsonLines } from '../../../../src/manager/raft/lincheck/index.js';
import { done, kv, pending } from './build.js';

const JEPSEN = [
  'INFO  jepsen.core - Worker 0 starting', // noise
  'INFO  jepsen.util - 0\t:invoke\t:read\tnil',
  'INFO  jepsen.util - 1\t:invoke\t:write\t3',
  'INFO  jepsen.util - 2  :invoke :cas    [3 4]',
  'INFO  jepsen.util - 0\t:ok\t:read\tnil',
  'INFO  jepsen.util - 1\t:ok\t:write\t3',
  'INFO  jepsen.util - 2  :fail   :cas    [3 4]',
  'INFO  jepsen.util - 3\t:invoke\t:read\tnil',
  'INFO  jepsen.util - 3\t:fail\t:read\t:timed-out',
  'INFO  jepsen.util - 4\t:invoke\t:cas\t[1 2]',
  'INFO  jepsen.util - 4\t:info\t:cas\t:timed-out',
  'INFO  jepsen.util - 0\t:invoke\t:write\t1',
  'INFO  jepsen.util - 5\t:invoke\t:cas\t[0 1]',
  'INFO  jepsen.util - 5\t:ok\t:cas\t[0 1]',
  'some stack trace line',
].join('\n');

test('jepsen etcd: ok, failed cas, timed-out, info and unanswered calls', (t) => {
  const r = parseJepsenEtcdLog(JEPSEN);
  if (!r.ok) return t.fail(r.message);
  t.deepEqual(r.value, [
    { clientId: 0, input: { op: 'read' }, call: 2, output: { op: 'read', value: null }, return: 5 },
    { clientId: 1, input: { op: 'write', value: 3 }, call: 3, output: { op: 'write' }, return: 6 },
    { clientId: 2, input: { op: 'cas', from: 3, to: 4 }, call: 4, output: { op: 'cas', ok: false }, return: 7 },
    { clientId: 3, input: { op: 'read' }, call: 8, pending: true },
    { clientId: 4, input: { op: 'cas', from: 1, to: 2 }, call: 10, pending: true },
    { clientId: 0, input: { op: 'write', value: 1 }, call: 12, pending: true },
    { clientId: 5, input: { op: 'cas', from: 0, to: 1 }, call: 13, output: { op: 'cas', ok: true }, return: 14 },
  ]);
});

test('jepsen etcd: a definite failure of a write drops it', (t) => {
  const r = parseJepsenEtcdLog('INFO  jepsen.util - 0 :invoke :write 1\nINFO  jepsen.util - 0 :fail :write 1\n');
  t.deepEqual(r, { ok: true, value: [] });
});

test('jepsen etcd: malformed lines are reported with their line number', (t) => {
  t.deepEqual(parseJepsenEtcdLog('\nINFO  jepsen.util - 0 :invoke :write x'), { ok: false, line: 2, message: 'bad write value "x"' });
  t.deepEqual(parseJepsenEtcdLog('INFO  jepsen.util - 0 :ok :read 1'), { ok: false, line: 1, message: 'process 0 returns (:ok) without a call' });
  t.deepEqual(parseJepsenEtcdLog('INFO  jepsen.util - 0 :invoke :read nil\nINFO  jepsen.util - 0 :invoke :read nil'), {
    ok: false,
    line: 2,
    message: 'process 0 invokes again before its last call returned',
  });
  const odd = parseJepsenEtcdLog('INFO  jepsen.util - whatever');
  t.false(odd.ok);
});

test('kv EDN lines: get, put, append, pending, info and fail', (t) => {
  const text = [
    '{:process 0, :type :invoke, :f :put, :key "k", :value "x 0 0 y"}',
    '{:process 1, :type :invoke, :f :get, :key "k", :value nil}',
    '{:process 0, :type :ok, :f :put, :key "k", :value "x 0 0 y"}',
    '{:process 1, :type :ok, :f :get, :key "k", :value ""}',
    '{:process 2, :type :invoke, :f :append, :key "j", :value "a\\"b"}',
    '{:process 3, :type :invoke, :f :append, :key "j", :value "c"}',
    '{:process 3, :type :info, :f :append, :key "j", :value "c"}',
    '{:process 4, :type :invoke, :f :put, :key "j", :value "d"}',
    '{:process 4, :type :fail, :f :put, :key "j", :value "d"}',
    '',
  ].join('\n');
  const r = parseKvEdn(text);
  if (!r.ok) return t.fail(r.message);
  t.deepEqual(r.value, [
    { clientId: 0, input: { op: 'put', key: 'k', value: 'x 0 0 y' }, call: 1, output: { op: 'put' }, return: 3 },
    { clientId: 1, input: { op: 'get', key: 'k' }, call: 2, output: { op: 'get', value: '' }, return: 4 },
    { clientId: 2, input: { op: 'append', key: 'j', value: 'a"b' }, call: 5, pending: true },
    { clientId: 3, input: { op: 'append', key: 'j', value: 'c' }, call: 6, pending: true },
  ]);
});

test('kv EDN lines: a line that is not one is reported', (t) => {
  t.deepEqual(parseKvEdn('{:process 0, :type :invoke, :f :get, :key "k", :value nil}\nhello'), { ok: false, line: 2, message: 'unrecognised line: hello' });
  t.deepEqual(parseKvEdn('{:process 0, :type :invoke, :f :put, :key "k", :value nil}'), { ok: false, line: 1, message: ':put needs a string value' });
});

test('kv JSON lines: what formatKvJsonLines writes, parseKvJsonLines reads back', (t) => {
  const history = [
    done('c1', 10, 12, kv.put('a', '1'), kv.put_),
    done(2, 11, 15, kv.cas('a', null, '2'), kv.casOk(false)),
    done('c1', 13, 14, kv.get('a'), kv.got('1')),
    done('c1', 16, 17, kv.del('a'), kv.deleted),
    pending('c3', 18, kv.get('b')),
  ];
  const text = formatKvJsonLines(history);
  t.is(text.split('\n').length, 6);
  t.deepEqual(parseKvJsonLines(text), { ok: true, value: history });
});

test('kv JSON lines: invalid operations name the line and the field', (t) => {
  t.deepEqual(parseKvJsonLines('{"clientId":1,"input":{"op":"get"},"call":0,"pending":true}'), {
    ok: false,
    line: 1,
    message: 'invalid operation field input.key: expected a string, got nothing',
  });
  t.deepEqual(parseKvJsonLines('\n{"clientId":1,"input":{"op":"get","key":"a"},"call":0}'), {
    ok: false,
    line: 2,
    message: 'an operation needs output and return, or pending: true',
  });
  t.deepEqual(parseKvJsonLines('{"clientId":1,"input":{"op":"get","key":"a"},"call":0,"output":{"op":"put"},"return":1}'), {
    ok: false,
    line: 1,
    message: 'a get operation cannot return a put result',
  });
  const notJson = parseKvJsonLines('{"clientId":');
  t.true(!notJson.ok && notJson.message.startsWith('not JSON'));
});

test('the format is recognised from the content', (t) => {
  t.is(detectFormat('INFO  jepsen.util - 0 :invoke :read nil'), 'jepsen-etcd');
  t.is(detectFormat('\n{:process 0, :type :invoke, :f :get, :key "k", :value nil}'), 'kv-edn');
  t.is(detectFormat('{"clientId":1}'), 'kv-jsonl');
  t.is(detectFormat(''), 'jepsen-etcd');
  t.is(detectFormat('hello'), undefined);
});
