// The health check state machine, as Docker's (moby daemon/health.go):
// a task starts "starting"; a passing probe makes it healthy and clears the
// failing streak; a failing probe adds to the streak, except during the start
// period while not yet healthy; `retries` consecutive failures make it
// unhealthy. Pure: time comes in as an argument.
import type { HealthStatus, RuntimeHealthcheck } from '../types.js';

export interface HealthState {
  readonly status: HealthStatus;
  readonly failingStreak: number;
}

export const INITIAL_HEALTH: HealthState = { status: 'starting', failingStreak: 0 };

/** Docker's defaults for zero values: 30 s interval and timeout, 3 retries. */
export function effectiveHealthcheck(check: RuntimeHealthcheck): RuntimeHealthcheck {
  return {
    test: check.test,
    intervalMs: check.intervalMs > 0 ? check.intervalMs : 30_000,
    timeoutMs: check.timeoutMs > 0 ? check.timeoutMs : 30_000,
    retries: check.retries > 0 ? check.retries : 3,
    startPeriodMs: Math.max(0, check.startPeriodMs),
  };
}

export function healthAfterProbe(
  state: HealthState,
  passed: boolean,
  msSinceStart: number,
  check: RuntimeHealthcheck,
): HealthState {
  if (passed) return { status: 'healthy', failingStreak: 0 };
  const inStartPeriod = msSinceStart < check.startPeriodMs;
  if (inStartPeriod && state.status !== 'healthy') return state;
  const failingStreak = state.failingStreak + 1;
  return { status: failingStreak >= check.retries ? 'unhealthy' : state.status, failingStreak };
}
