// Keeps a watch stream open: subscribe, hand every event over, and when
// the stream breaks (connection lost, leader changed, manager restarted)
// say why and subscribe again after a growing pause. Never polls: the new
// stream starts with a fresh snapshot, which the console reconciles.
import type { WatchEvent } from '../api/contracts/control.js';
import type { ConsoleSource } from './source.js';

export interface WatchSink {
  /** A stream is starting; `resync` when an earlier one broke. */
  starting(resync: boolean): void;
  event(e: WatchEvent): void;
  failed(error: string): void;
}

export interface RetryPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const WATCH_RETRY: RetryPolicy = { initialMs: 250, maxMs: 5000 };

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export async function watchLoop(source: ConsoleSource, sink: WatchSink, signal: AbortSignal, retry: RetryPolicy = WATCH_RETRY): Promise<void> {
  let resync = false;
  let failures = 0;
  while (!signal.aborted) {
    sink.starting(resync);
    try {
      for await (const e of source.watch(signal)) {
        failures = 0;
        sink.event(e);
      }
      if (signal.aborted) return;
      sink.failed('the watch stream ended');
    } catch (err) {
      if (signal.aborted) return;
      sink.failed(err instanceof Error ? err.message : String(err));
    }
    resync = true;
    await pause(Math.min(retry.maxMs, retry.initialMs * 2 ** failures), signal);
    failures++;
  }
}
