// The hollow runtime's bookkeeping: tasks walk forward through the agent's
// states toward what their desired state asks, never backwards, and tasks
// that leave the node's set are reported shut down.
import test from 'ava';
import type { NodeId, ServiceId, TaskId } from '../../../src/api/ids.js';
import type { Task } from '../../../src/api/task.js';
import type { DesiredState, TaskState } from '../../../src/api/task-state.js';
import { goalOf, HollowTasks, nextState } from '../../../src/agent/hollow/hollow-tasks.js';

function task(id: string, state: TaskState, desired: DesiredState = 'running'): Task {
  const at = '2026-11-22T00:00:00Z';
  return {
    ID: id as TaskId,
    Version: { Index: 1 },
    CreatedAt: at,
    UpdatedAt: at,
    Spec: { ContainerSpec: { Image: 'local/busybox:1' } } as Task['Spec'],
    ServiceID: 'svc' as ServiceId,
    Slot: 1,
    NodeID: 'node' as NodeId,
    DesiredState: desired,
    Status: { Timestamp: at, State: state, Message: '' },
  };
}

test('nextState walks the agent band up to the goal and stops there', (t) => {
  const walk = (from: TaskState, goal: TaskState): TaskState[] => {
    const out: TaskState[] = [];
    for (let s: TaskState | null = nextState(from, goal), i = 0; s !== null && i < 10; s = nextState(s, goal), i++) out.push(s);
    return out;
  };
  t.deepEqual(walk('assigned', 'running'), ['accepted', 'preparing', 'ready', 'starting', 'running']);
  t.deepEqual(walk('assigned', 'ready'), ['accepted', 'preparing', 'ready']);
  t.deepEqual(walk('starting', 'complete'), ['running', 'complete']);
  t.deepEqual(walk('running', 'shutdown'), ['shutdown']);
  t.deepEqual(walk('starting', 'ready'), [], 'never backwards');
  t.deepEqual(walk('failed', 'running'), [], 'an ended task stays ended');
  t.is(goalOf('remove'), 'shutdown');
});

test('settle reports every step; a task that left the set is shut down once', (t) => {
  const h = new HollowTasks();
  t.deepEqual(h.assign([task('a', 'assigned'), task('b', 'running')]), []);
  t.deepEqual(
    h.settle().map((c) => `${c.taskId}:${c.state}`),
    ['a:accepted', 'a:preparing', 'a:ready', 'a:starting', 'a:running'],
  );
  t.is(h.countIn('running'), 2);
  t.deepEqual(h.assign([task('b', 'running', 'shutdown')]), [{ taskId: 'a', state: 'shutdown' }]);
  t.deepEqual(h.step(), [{ taskId: 'b', state: 'shutdown' }]);
  t.deepEqual(h.assign([]), [], 'b already ended: nothing more to report');
  t.is(h.size, 0);
});

test('step moves each task one state per call', (t) => {
  const h = new HollowTasks();
  h.assign([task('a', 'assigned'), task('b', 'preparing')]);
  t.deepEqual(h.step(), [
    { taskId: 'a', state: 'accepted' },
    { taskId: 'b', state: 'ready' },
  ]);
  t.is(h.moving, 2);
  for (let i = 0; i < 4; i++) h.step();
  t.is(h.moving, 0);
  t.is(h.countIn('running'), 2);
});
