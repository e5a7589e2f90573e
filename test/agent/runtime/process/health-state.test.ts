import test from 'ava';
import { effectiveHealthcheck, healthAfterProbe, INITIAL_HEALTH, type HealthState } from '../../../../src/agent/runtime/process/health-state.js';

const check = { test: ['CMD', 'x'], intervalMs: 100, timeoutMs: 100, retries: 3, startPeriodMs: 1000 };

function run(results: boolean[], startMs: number): HealthState[] {
  const states: HealthState[] = [];
  let state = INITIAL_HEALTH;
  results.forEach((passed, i) => {
    state = healthAfterProbe(state, passed, startMs + i * 100, check);
    states.push(state);
  });
  return states;
}

test('a pass makes the task healthy and clears the streak', (t) => {
  t.deepEqual(run([false, true], 2000).at(-1), { status: 'healthy', failingStreak: 0 });
});

test('retries consecutive failures make it unhealthy', (t) => {
  t.deepEqual(run([false, false, false], 2000).map((s) => s.status), ['starting', 'starting', 'unhealthy']);
  t.deepEqual(run([true, false, false, false], 2000).map((s) => s.status), ['healthy', 'healthy', 'healthy', 'unhealthy']);
});

test('failures in the start period do not count until the task was healthy', (t) => {
  t.deepEqual(run([false, false, false, false], 0).map((s) => s.failingStreak), [0, 0, 0, 0]);
  t.deepEqual(run([true, false], 0).at(-1), { status: 'healthy', failingStreak: 1 });
});

test('zero values take Docker\'s defaults', (t) => {
  t.like(effectiveHealthcheck({ test: ['CMD', 'x'], intervalMs: 0, timeoutMs: 0, retries: 0, startPeriodMs: -1 }), {
    intervalMs: 30_000,
    timeoutMs: 30_000,
    retries: 3,
    startPeriodMs: 0,
  });
});
