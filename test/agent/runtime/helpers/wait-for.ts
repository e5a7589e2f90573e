// Waiting on conditions in tests: bounded by time and by count, never a bare sleep.
import type { RuntimeEvent, RuntimeEventStream } from '../../../../src/agent/runtime/types.js';

/** Re-check `condition` every `everyMs` until it holds; fail after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  condition: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 15_000, everyMs = 25 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let tries = 0; tries < timeoutMs / everyMs + 10; tries++) {
    const value = await condition();
    if (value !== undefined) return value;
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Records a runtime's events from subscription on; tests wait for the ones they expect. */
export class EventRecorder {
  readonly events: RuntimeEvent[] = [];
  private readonly controller = new AbortController();
  private readonly waiters = new Set<() => void>();
  private readonly stream: RuntimeEventStream;
  readonly done: Promise<void>;

  constructor(subscribe: (signal: AbortSignal) => RuntimeEventStream) {
    const stream = subscribe(this.controller.signal);
    this.stream = stream;
    this.done = (async () => {
      for await (const event of stream) {
        this.events.push(event);
        for (const wake of this.waiters) wake();
      }
    })();
  }

  get ready(): Promise<void> {
    return this.stream.ready;
  }

  /** The first recorded event (from the start) that matches, waiting up to `timeoutMs`. */
  async waitFor(what: string, match: (event: RuntimeEvent) => boolean, timeoutMs = 15_000): Promise<RuntimeEvent> {
    const found = (): RuntimeEvent | undefined => this.events.find(match);
    const now = found();
    if (now !== undefined) return now;
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        const event = found();
        if (event === undefined) return;
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(event);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; saw ${JSON.stringify(this.events)}`));
      }, timeoutMs);
      this.waiters.add(wake);
    });
  }

  forTask(taskId: string): RuntimeEvent[] {
    return this.events.filter((event) => event.taskId === taskId);
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.done;
  }
}

export async function collect<T>(iterable: AsyncIterable<T>, limit = 10_000): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) {
    out.push(item);
    if (out.length >= limit) break;
  }
  return out;
}

/** Like collect(), but fails if the iterable does not end within `timeoutMs`. */
export async function collectWithin<T>(iterable: AsyncIterable<T>, timeoutMs: number, what: string): Promise<T[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms: ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([collect(iterable), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
