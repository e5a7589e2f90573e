import test from 'ava';
import { parseHandshake } from '../../../../src/agent/runtime/process/supervisor-handshake.js';

test('the supervisor handshake line', (t) => {
  t.deepEqual(parseHandshake('ok 123'), { kind: 'ok', pid: 123 });
  t.deepEqual(parseHandshake('err exec: "x": executable file not found'), { kind: 'failed', message: 'exec: "x": executable file not found' });
  t.is(parseHandshake('hello').kind, 'failed');
});
