// Reconnect delays: exponential with jitter, so a restarted manager is not
// hit by every agent in the same millisecond. Pure: the rng is an input.

export interface BackoffPolicy {
  /** Delay before the first retry. */
  readonly initialMs: number;
  /** Upper bound on any delay. */
  readonly maxMs: number;
  /** Growth per failed attempt. */
  readonly factor: number;
  /** 0..1: the delay is drawn from [base * (1 - jitter), base]. */
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 100, maxMs: 10_000, factor: 2, jitter: 0.5 };

/** The delay before retry number `attempt` (0 = the first retry); `rng` returns [0, 1). */
export function backoffDelay(attempt: number, policy: BackoffPolicy, rng: () => number): number {
  const base = Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.min(attempt, 64));
  return Math.round(base * (1 - policy.jitter * rng()));
}
