// Task states only move forward (swarmkit design/task_model.md), and each
// band has one writer.
import test from 'ava';
import fc from 'fast-check';
import {
  compareTaskStates,
  isFailure,
  isRunningOrBefore,
  isTerminal,
  laterState,
  stateOwner,
  TASK_STATE_NUMBER,
  TASK_STATES,
  transition,
  type TaskState,
} from '../../src/api/task-state.js';

test('states carry swarmkit\'s numbers, in order', (t) => {
  t.deepEqual(
    TASK_STATES.map((s) => TASK_STATE_NUMBER[s]),
    [0, 64, 192, 256, 320, 384, 448, 512, 576, 640, 704, 768, 800, 832],
  );
  for (let i = 1; i < TASK_STATES.length; i++) {
    const [a, b] = [TASK_STATES[i - 1], TASK_STATES[i]] as [TaskState, TaskState];
    t.true(compareTaskStates(a, b) < 0, `${a} < ${b}`);
  }
});

test('forward moves and re-reports are allowed, backward ones refused with a message', (t) => {
  t.deepEqual(transition('new', 'pending'), { ok: true, state: 'pending', changed: true });
  t.deepEqual(transition('assigned', 'running'), { ok: true, state: 'running', changed: true });
  t.deepEqual(transition('running', 'running'), { ok: true, state: 'running', changed: false });
  t.deepEqual(transition('running', 'failed'), { ok: true, state: 'failed', changed: true });
  t.deepEqual(transition('complete', 'running'), { ok: false, reason: 'task state cannot move backwards from complete to running' });
  t.deepEqual(transition('failed', 'shutdown'), { ok: false, reason: 'task state cannot move backwards from failed to shutdown' });
});

test('each band has one writer', (t) => {
  t.is(stateOwner('new'), 'orchestrator');
  t.is(stateOwner('pending'), 'allocator');
  t.is(stateOwner('assigned'), 'scheduler');
  for (const s of ['accepted', 'preparing', 'ready', 'starting', 'running', 'complete', 'shutdown', 'failed', 'rejected', 'orphaned'] as const) {
    t.is(stateOwner(s), 'dispatcher', s);
  }
  t.is(stateOwner('remove'), 'orchestrator');
  t.true(transition('pending', 'assigned', 'scheduler').ok);
  t.deepEqual(transition('pending', 'assigned', 'allocator'), {
    ok: false,
    reason: 'the allocator may not move a task to assigned (written by the scheduler)',
  });
  // Re-reporting the current state is not a write of another band.
  t.true(transition('assigned', 'assigned', 'dispatcher').ok);
});

test('terminal and running-or-before split the states at running', (t) => {
  t.deepEqual(
    TASK_STATES.filter(isTerminal),
    ['complete', 'shutdown', 'failed', 'rejected', 'remove', 'orphaned'],
  );
  t.deepEqual(TASK_STATES.filter(isRunningOrBefore), ['new', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting', 'running']);
  t.true(isFailure('rejected'));
  t.false(isFailure('complete'));
  t.is(laterState('running', 'assigned'), 'running');
});

const anyState = fc.constantFrom(...TASK_STATES);

test('property: any sequence of attempted transitions never moves backwards', (t) => {
  fc.assert(
    fc.property(anyState, fc.array(anyState, { maxLength: 40 }), (start, attempts) => {
      let current: TaskState = start;
      for (const next of attempts) {
        const r = transition(current, next);
        // Naive model: the position in the documented order decides.
        const allowed = TASK_STATES.indexOf(next) >= TASK_STATES.indexOf(current);
        if (r.ok !== allowed) return false;
        if (r.ok) {
          if (TASK_STATE_NUMBER[r.state] < TASK_STATE_NUMBER[current]) return false;
          if (r.changed !== (r.state !== current)) return false;
          current = r.state;
        }
      }
      return true;
    }),
  );
  t.pass();
});

test('property: once terminal, a task never runs again', (t) => {
  fc.assert(
    fc.property(fc.array(anyState, { maxLength: 40 }), (attempts) => {
      let current: TaskState = 'new';
      let wasTerminal = false;
      for (const next of attempts) {
        const r = transition(current, next);
        if (r.ok) current = r.state;
        if (wasTerminal && isRunningOrBefore(current)) return false;
        wasTerminal ||= isTerminal(current);
      }
      return true;
    }),
  );
  t.pass();
});
