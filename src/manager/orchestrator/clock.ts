// Randomness for the orchestrators' runners (and the manager's clock, from
// src/manager/clock.ts), injected so tests drive them with a fake clock and a
// seeded generator (STYLE.md rule 3). The deciders never read these: they are
// given `now` and an id source.
import { randomBytes } from 'node:crypto';
import type { TaskId } from '../../api/ids.js';
import { newObjectId } from '../../api/ids.js';

export type { Clock } from '../clock.js';
export { systemClock } from '../clock.js';

/** Random bytes for new ids: crypto in production, a seeded generator in tests. */
export type RandomBytes = (n: number) => Uint8Array;

/**
 * A seeded byte source (mulberry32), for replayable tests and post-mortems.
 * Never use one in production: a new leader seeded alike would reuse ids.
 */
export function seededBytes(seed: number): RandomBytes {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = next() & 0xff;
    return out;
  };
}

export function taskIdSource(random: RandomBytes = randomBytes): () => TaskId {
  return () => newObjectId(random) as TaskId;
}
