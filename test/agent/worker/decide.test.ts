// The worker's decider: one task's facts -> its next step. Table tests of
// each band, then a walk that runs the decider against a tiny simulated
// runtime to check that every path settles.
import test from 'ava';
import type { DesiredState, TaskState } from '../../../src/api/task-state.js';
import { compareTaskStates, TASK_STATES } from '../../../src/api/task-state.js';
import {
  decide,
  decideTask,
  ERR_CONTAINER_GONE,
  ERR_UNHEALTHY,
  exitError,
  opFailure,
  type Observation,
  type TaskFacts,
  type WorkerAction,
} from '../../../src/agent/worker/decide.js';
import type { ObservedState } from '../../../src/agent/runtime/types.js';

const absent: Observation = { kind: 'absent' };
const created: Observation = { kind: 'present', runtimeId: 'c1', state: { state: 'created' } };
const running = (health?: 'healthy' | 'unhealthy'): Observation => ({ kind: 'present', runtimeId: 'c1', state: health === undefined ? { state: 'running', pid: 42 } : { state: 'running', pid: 42, health } });
const healthStarting: Observation = { kind: 'present', runtimeId: 'c1', state: { state: 'starting', pid: 42, health: 'starting' } };
const exited = (exitCode: number, extra: Partial<Extract<ObservedState, { state: 'exited' }>> = {}): Observation => ({ kind: 'present', runtimeId: 'c1', state: { state: 'exited', exitCode, ...extra } });

function facts(over: Partial<TaskFacts> = {}): TaskFacts {
  return { taskId: 't1', desired: 'running', state: 'assigned', message: 'scheduler assigned task to node', graceMs: 500, observed: absent, stoppedUnhealthy: false, assignmentsKnown: true, ...over };
}

const kindOf = (a: WorkerAction | undefined): string => (a === undefined ? 'nothing' : a.kind === 'report' ? `report ${a.status.State}` : a.kind);

test('the forward path: accepted, preparing, prepare, prepared, starting, start, started', (t) => {
  t.like(decideTask(facts({ state: 'assigned' })), { kind: 'report', status: { State: 'accepted', Message: 'accepted' } });
  t.like(decideTask(facts({ state: 'accepted' })), { kind: 'report', status: { State: 'preparing', Message: 'preparing' } });
  t.deepEqual(decideTask(facts({ state: 'preparing', observed: absent })), { kind: 'prepare', taskId: 't1' });
  t.like(decideTask(facts({ state: 'preparing', observed: created })), { kind: 'report', status: { State: 'ready', Message: 'prepared', ContainerID: 'c1' } });
  t.like(decideTask(facts({ state: 'ready', observed: created })), { kind: 'report', status: { State: 'starting', Message: 'starting' } });
  t.deepEqual(decideTask(facts({ state: 'starting', observed: created })), { kind: 'start', taskId: 't1' });
  t.deepEqual(decideTask(facts({ state: 'starting', observed: running() })), {
    kind: 'report',
    taskId: 't1',
    status: { State: 'running', Message: 'started', ContainerID: 'c1', PID: 42 },
  });
  t.is(decideTask(facts({ state: 'running', observed: running() })), undefined, 'running and up: nothing to do');
});

test('desired ready: prepare, then wait at ready', (t) => {
  t.deepEqual(decideTask(facts({ desired: 'ready', state: 'preparing' })), { kind: 'prepare', taskId: 't1' });
  t.is(decideTask(facts({ desired: 'ready', state: 'ready', observed: created })), undefined);
  t.like(decideTask(facts({ desired: 'running', state: 'ready', observed: created })), { status: { State: 'starting' } });
});

test('exits: 0 completes ("finished"), non-zero fails with Docker\'s error and keeps the message', (t) => {
  t.deepEqual(decideTask(facts({ state: 'running', message: 'started', observed: exited(0) })), {
    kind: 'report',
    taskId: 't1',
    status: { State: 'complete', Message: 'finished', ContainerID: 'c1', ExitCode: 0 },
  });
  t.deepEqual(decideTask(facts({ state: 'running', message: 'started', observed: exited(1) })), {
    kind: 'report',
    taskId: 't1',
    status: { State: 'failed', Message: 'started', Err: 'task: non-zero exit (1)', ContainerID: 'c1', ExitCode: 1 },
  });
  t.like(decideTask(facts({ state: 'running', observed: exited(137) })), { status: { State: 'failed', Err: 'task: non-zero exit (137)', ExitCode: 137 } });
  t.like(decideTask(facts({ state: 'running', observed: exited(137, { oomKilled: true }) })), { status: { Err: 'task: non-zero exit (137): out of memory (OOM killed)' } });
  t.like(decideTask(facts({ state: 'running', observed: exited(-1, { error: 'supervisor died' }) })), { status: { Err: 'task: non-zero exit (-1): supervisor died' } });
  t.like(decideTask(facts({ state: 'starting', observed: exited(2) })), { status: { State: 'failed', Err: 'task: non-zero exit (2)' } }, 'a task that dies before it is healthy fails too');
  t.is(exitError(3), 'task: non-zero exit (3)');
});

test('health: stays starting until healthy; unhealthy is stopped, then fails with "unhealthy container"', (t) => {
  t.is(decideTask(facts({ state: 'starting', observed: healthStarting })), undefined);
  t.like(decideTask(facts({ state: 'starting', observed: running('healthy') })), { status: { State: 'running', Message: 'started' } });
  t.deepEqual(decideTask(facts({ state: 'starting', observed: running('unhealthy') })), { kind: 'stop', taskId: 't1', graceMs: 500, reason: 'unhealthy' });
  t.deepEqual(decideTask(facts({ state: 'running', observed: running('unhealthy') })), { kind: 'stop', taskId: 't1', graceMs: 500, reason: 'unhealthy' });
  t.like(decideTask(facts({ state: 'running', message: 'started', observed: exited(137), stoppedUnhealthy: true })), {
    status: { State: 'failed', Message: 'started', Err: `task: non-zero exit (137): ${ERR_UNHEALTHY}` },
  });
  t.like(decideTask(facts({ state: 'running', observed: exited(0), stoppedUnhealthy: true })), { status: { State: 'failed', Err: ERR_UNHEALTHY } });
});

test('a container gone behind the agent\'s back fails the task', (t) => {
  t.like(decideTask(facts({ state: 'running', message: 'started', observed: absent })), { status: { State: 'failed', Message: 'started', Err: ERR_CONTAINER_GONE } });
  t.like(decideTask(facts({ state: 'starting', observed: absent })), { status: { State: 'failed', Err: ERR_CONTAINER_GONE } });
  t.like(decideTask(facts({ state: 'running', observed: created })), { status: { State: 'failed' } }, 'running, but the container was never started');
});

test('desired shutdown: stop with the grace period, then report shutdown with the exit code', (t) => {
  t.deepEqual(decideTask(facts({ desired: 'shutdown', state: 'running', observed: running(), graceMs: 7000 })), { kind: 'stop', taskId: 't1', graceMs: 7000, reason: 'shutdown' });
  t.deepEqual(decideTask(facts({ desired: 'shutdown', state: 'running', observed: exited(143) })), {
    kind: 'report',
    taskId: 't1',
    status: { State: 'shutdown', Message: 'shutdown', ContainerID: 'c1', ExitCode: 143 },
  });
  t.like(decideTask(facts({ desired: 'shutdown', state: 'assigned', observed: absent })), { status: { State: 'shutdown' } }, 'never started: shut down at once');
  t.is(decideTask(facts({ desired: 'shutdown', state: 'shutdown', observed: exited(143) })), undefined, 'the stopped container stays (logs, history)');
  t.like(decideTask(facts({ desired: 'remove', state: 'running', observed: running() })), { kind: 'stop' });
  t.deepEqual(decideTask(facts({ desired: 'remove', state: 'shutdown', observed: exited(143) })), { kind: 'remove', taskId: 't1' });
  t.is(decideTask(facts({ desired: 'remove', state: 'shutdown', observed: absent })), undefined);
});

test('a task that ended but still runs is stopped', (t) => {
  t.like(decideTask(facts({ state: 'failed', observed: running() })), { kind: 'stop', reason: 'ended' });
  t.is(decideTask(facts({ state: 'failed', observed: exited(1) })), undefined);
  t.is(decideTask(facts({ state: 'complete', observed: exited(0) })), undefined);
});

test('unassigned: stop, report shutdown, remove, forget; left alone until the first assignment set', (t) => {
  const gone = { desired: undefined };
  t.is(decideTask(facts({ ...gone, state: undefined, observed: running(), assignmentsKnown: false })), undefined);
  t.like(decideTask(facts({ ...gone, state: 'running', observed: running() })), { kind: 'stop', reason: 'unassigned' });
  t.like(decideTask(facts({ ...gone, state: 'running', observed: exited(137) })), { status: { State: 'shutdown', ExitCode: 137 } });
  t.deepEqual(decideTask(facts({ ...gone, state: 'shutdown', observed: exited(137) })), { kind: 'remove', taskId: 't1' });
  t.deepEqual(decideTask(facts({ ...gone, state: 'shutdown', observed: absent })), { kind: 'forget', taskId: 't1' });
  t.deepEqual(decideTask(facts({ ...gone, state: undefined, observed: exited(0) })), { kind: 'remove', taskId: 't1' }, 'a container found with no task');
  t.like(decideTask(facts({ ...gone, state: 'preparing', observed: absent })), { status: { State: 'shutdown' } }, 'the reaper waits for a terminal state');
});

test('an unknown observation decides nothing', (t) => {
  for (const state of TASK_STATES) t.is(decideTask(facts({ state, observed: { kind: 'unknown' } })), undefined, state);
});

test('op failures: before starting the task is rejected, from starting on it failed; the message stays', (t) => {
  t.deepEqual(opFailure(facts({ state: 'preparing', message: 'preparing' }), 'prepare', 'No such image: local/x:9'), { State: 'rejected', Message: 'preparing', Err: 'No such image: local/x:9' });
  t.like(opFailure(facts({ state: 'starting', message: 'starting', observed: created }), 'start', 'exec: "nope": executable file not found'), {
    State: 'failed',
    Message: 'starting',
    ContainerID: 'c1',
  });
});

test('decide() gives at most one step per task', (t) => {
  const steps = decide([facts({ taskId: 'a' }), facts({ taskId: 'b', state: 'running', observed: running() }), facts({ taskId: 'c', state: 'preparing' })]);
  t.deepEqual(steps.map((s) => `${s.taskId}:${kindOf(s)}`), ['a:report accepted', 'c:prepare']);
});

// ---- a walk: the decider against a simulated runtime always settles, and only moves forward ----

type Sim = { facts: TaskFacts; trail: string[] };

function applyStep(sim: Sim, a: WorkerAction, exitCode: number, health: 'none' | 'healthy' | 'unhealthy'): void {
  const f = sim.facts;
  const set = (over: Partial<TaskFacts>): void => {
    sim.facts = { ...sim.facts, ...over };
  };
  switch (a.kind) {
    case 'report':
      if (f.state !== undefined) sim.trail.push(`${f.state}->${a.status.State}`);
      set({ state: a.status.State, message: a.status.Message });
      return;
    case 'prepare':
      return set({ observed: created });
    case 'start':
      return set({ observed: health === 'none' ? running() : running(health) });
    case 'stop':
      return set({ observed: exited(a.reason === 'unhealthy' ? 137 : exitCode), stoppedUnhealthy: f.stoppedUnhealthy || a.reason === 'unhealthy' });
    case 'remove':
      return set({ observed: absent });
    case 'forget':
      return set({ observed: { kind: 'unknown' } });
  }
}

test('walk: every desired state x exit x health settles within a dozen steps, states only forward', (t) => {
  const desires: Array<DesiredState | undefined> = ['ready', 'running', 'complete', 'shutdown', 'remove', undefined];
  for (const desired of desires) {
    for (const exitCode of [0, 1]) {
      for (const health of ['none', 'healthy', 'unhealthy'] as const) {
        const sim: Sim = { facts: facts({ desired, state: 'assigned' }), trail: [] };
        let steps = 0;
        for (let a = decideTask(sim.facts); a !== undefined; a = decideTask(sim.facts)) {
          applyStep(sim, a, exitCode, health);
          // A running task exits on its own with `exitCode` once the decider has nothing more to do with it.
          if (++steps > 20) break;
        }
        const label = `${desired ?? 'unassigned'} exit ${exitCode} health ${health}`;
        t.true(steps <= 12, `${label}: ${steps} steps`);
        for (const move of sim.trail) {
          const [from, to] = move.split('->') as [TaskState, TaskState];
          t.true(compareTaskStates(to, from) > 0, `${label}: ${move}`);
        }
        if (desired === 'running' && health === 'unhealthy') t.is(sim.facts.state, 'failed', label);
        if (desired === 'running' && health !== 'unhealthy') t.is(sim.facts.state, 'running', label);
        if (desired === 'ready') t.is(sim.facts.state, 'ready', label);
        if (desired === 'shutdown' || desired === 'remove' || desired === undefined) t.is(sim.facts.state, 'shutdown', label);
      }
    }
  }
});
