import test from 'ava';
import { isShoalError } from '../../../../src/api/errors.js';
import { envObject, healthcheckArgv, processArgv } from '../../../../src/agent/runtime/process/command-line.js';

test('command ++ args; args alone; a single string with spaces through sh -c', (t) => {
  t.deepEqual(processArgv({ taskId: 't', command: ['sleep'], args: ['5'] }), ['sleep', '5']);
  t.deepEqual(processArgv({ taskId: 't', args: ['sleep', '5'] }), ['sleep', '5']);
  t.deepEqual(processArgv({ taskId: 't', command: ['sleep 5 && echo hi'] }), ['/bin/sh', '-c', 'sleep 5 && echo hi']);
  t.deepEqual(processArgv({ taskId: 't', command: ['true'] }), ['true']);
  const error = t.throws(() => processArgv({ taskId: 't' }));
  t.true(isShoalError(error) && error.code === 'InvalidArgument');
});

test('health check tests: CMD, CMD-SHELL, NONE', (t) => {
  t.deepEqual(healthcheckArgv(['CMD', 'curl', '-f', 'x']), ['curl', '-f', 'x']);
  t.deepEqual(healthcheckArgv(['CMD-SHELL', 'test -f ready']), ['/bin/sh', '-c', 'test -f ready']);
  t.is(healthcheckArgv(['NONE']), undefined);
  t.is(healthcheckArgv([]), undefined);
});

test('env entries over a base; later entries win', (t) => {
  t.deepEqual(envObject(['A=1', 'B=x=y', 'A=2', 'EMPTY', '=bad'], { PATH: '/bin' }), { PATH: '/bin', A: '2', B: 'x=y', EMPTY: '' });
});
