import test from 'ava';
import { applyEvent, knownFromObserved, snapshotEvents, transitionEvents, type KnownTask } from '../../../src/agent/runtime/task-transitions.js';
import type { RuntimeEvent } from '../../../src/agent/runtime/types.js';

test('what a subscriber missed, from the last known state to the listed one', (t) => {
  const up: KnownTask = { phase: 'up' };
  t.deepEqual(transitionEvents('t', up, { phase: 'exited', exitCode: 137 }), [{ taskId: 't', kind: 'exited', exitCode: 137 }]);
  t.deepEqual(transitionEvents('t', { phase: 'created' }, { phase: 'up', health: 'starting' }), [
    { taskId: 't', kind: 'started' },
    { taskId: 't', kind: 'health', status: 'starting' },
  ]);
  t.deepEqual(transitionEvents('t', { phase: 'up', health: 'starting' }, { phase: 'up', health: 'healthy' }), [
    { taskId: 't', kind: 'health', status: 'healthy' },
  ]);
  t.deepEqual(transitionEvents('t', up, { phase: 'exited', exitCode: 137, oomKilled: true }), [
    { taskId: 't', kind: 'oom' },
    { taskId: 't', kind: 'exited', exitCode: 137 },
  ]);
  t.deepEqual(transitionEvents('t', up, undefined), [{ taskId: 't', kind: 'removed' }]);
  t.deepEqual(transitionEvents('t', up, up), []);
  t.deepEqual(transitionEvents('t', { phase: 'exited', exitCode: 1 }, { phase: 'exited', exitCode: 1 }), []);
});

test('replaying the diff onto the old snapshot gives the new one (phases)', (t) => {
  const before = new Map<string, KnownTask>([
    ['a', { phase: 'up' }],
    ['b', { phase: 'created' }],
    ['gone', { phase: 'exited', exitCode: 0 }],
  ]);
  const after = new Map<string, KnownTask>([
    ['a', knownFromObserved({ state: 'exited', exitCode: 2 })],
    ['b', knownFromObserved({ state: 'running', pid: 1, health: 'healthy' })],
    ['new', knownFromObserved({ state: 'starting', pid: 2, health: 'starting' })],
  ]);
  const replayed = new Map(before);
  for (const event of snapshotEvents(before, after)) {
    const next = applyEvent(replayed.get(event.taskId), event as RuntimeEvent);
    if (next === undefined) replayed.delete(event.taskId);
    else replayed.set(event.taskId, next);
  }
  t.deepEqual([...replayed.keys()].sort(), [...after.keys()].sort());
  for (const [taskId, known] of after) {
    t.is(replayed.get(taskId)?.phase, known.phase, taskId);
    t.is(replayed.get(taskId)?.health, known.health, taskId);
  }
});
