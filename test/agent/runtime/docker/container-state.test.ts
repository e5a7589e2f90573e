import test from 'ava';
import { observedState, observedTask, runtimeEvent } from '../../../../src/agent/runtime/docker/container-state.js';
import type { EngineContainer } from '../../../../src/agent/runtime/docker/engine-client.js';
import { parseEngineContainer, parseEngineEvent, toEngineError } from '../../../../src/agent/runtime/docker/dockerode-client.js';

function container(state: Partial<EngineContainer['state']>, labels: Record<string, string> = {}): EngineContainer {
  return {
    id: 'c1',
    name: 'web.1.t1',
    image: 'img',
    labels,
    stopSignal: undefined,
    state: { status: 'running', pid: 42, exitCode: 0, oomKilled: false, error: '', health: undefined, ...state },
  };
}

test('engine states map to observed states', (t) => {
  t.deepEqual(observedState(container({ status: 'created', pid: 0 })), { state: 'created' });
  t.deepEqual(observedState(container({})), { state: 'running', pid: 42 });
  t.deepEqual(observedState(container({ health: 'starting' })), { state: 'starting', pid: 42, health: 'starting' });
  t.deepEqual(observedState(container({ health: 'healthy' })), { state: 'running', pid: 42, health: 'healthy' });
  t.deepEqual(observedState(container({ health: 'unhealthy' })), { state: 'running', pid: 42, health: 'unhealthy' });
  t.deepEqual(observedState(container({ status: 'exited', exitCode: 3 })), { state: 'exited', exitCode: 3 });
  t.deepEqual(observedState(container({ status: 'exited', exitCode: 137, oomKilled: true })), {
    state: 'exited',
    exitCode: 137,
    oomKilled: true,
  });
  t.deepEqual(observedState(container({ status: 'created', exitCode: 127, error: 'exec: "x": not found' })), {
    state: 'exited',
    exitCode: 127,
    error: 'exec: "x": not found',
  });
});

test('a container without the identity labels is not a task', (t) => {
  t.is(observedTask(container({})), undefined);
  const labels = { 'com.shoal.task.id': 't1', 'com.shoal.service.id': 's1', 'com.shoal.service.name': 'web', 'com.shoal.node.id': 'n1' };
  t.like(observedTask(container({}, labels)), { taskId: 't1', serviceName: 'web', nodeId: 'n1', runtimeId: 'c1' });
});

test('engine events map to runtime events by the task label', (t) => {
  const attributes = { 'com.shoal.task.id': 't1', exitCode: '3' };
  t.deepEqual(runtimeEvent({ action: 'start', id: 'c', attributes }), { taskId: 't1', kind: 'started' });
  t.deepEqual(runtimeEvent({ action: 'die', id: 'c', attributes }), { taskId: 't1', kind: 'exited', exitCode: 3 });
  t.deepEqual(runtimeEvent({ action: 'oom', id: 'c', attributes }), { taskId: 't1', kind: 'oom' });
  t.deepEqual(runtimeEvent({ action: 'destroy', id: 'c', attributes }), { taskId: 't1', kind: 'removed' });
  t.deepEqual(runtimeEvent({ action: 'health_status: healthy', id: 'c', attributes }), { taskId: 't1', kind: 'health', status: 'healthy' });
  t.is(runtimeEvent({ action: 'exec_start: sh', id: 'c', attributes }), undefined);
  t.is(runtimeEvent({ action: 'start', id: 'c', attributes: {} }), undefined);
});

test('engine JSON is narrowed, not trusted', (t) => {
  t.throws(() => parseEngineContainer('nope'));
  t.like(parseEngineContainer({ Id: 'x', Name: '/n', Config: { Labels: { a: 'b', n: 1 } }, State: { Status: 'exited', ExitCode: 2 } }), {
    id: 'x',
    name: 'n',
    labels: { a: 'b' },
    state: { status: 'exited', exitCode: 2, pid: 0, health: undefined },
  });
  t.deepEqual(parseEngineEvent({ Action: 'die', Actor: { ID: 'c', Attributes: { exitCode: '1' } } }), {
    action: 'die',
    id: 'c',
    attributes: { exitCode: '1' },
  });
  t.is(parseEngineEvent({ nothing: true }), undefined);
});

test('dockerode errors keep the engine message and status', (t) => {
  const error = Object.assign(new Error('(HTTP code 404) no such container'), {
    statusCode: 404,
    json: { message: 'No such container: abc' },
  });
  const engine = toEngineError(error);
  t.is(engine.message, 'No such container: abc');
  t.is(engine.statusCode, 404);
  t.is(toEngineError(new Error('connect ENOENT')).statusCode, undefined);
});
