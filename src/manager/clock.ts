// Time for the manager's runners (orchestrators, updater), injected so tests
// drive them with a fake clock and no sleeps (STYLE.md rule 3). Deciders
// never read it: they are given `now`.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Call `fn` once, at `atMs` or soon after; the returned function cancels it. */
  schedule(atMs: number, fn: () => void): () => void;
}

/** setTimeout takes at most 2^31-1 ms; a later wake-up fires early and the runner looks again. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(atMs, fn) {
    const handle = setTimeout(fn, Math.min(MAX_TIMER_MS, Math.max(0, atMs - Date.now())));
    return () => clearTimeout(handle);
  },
};
