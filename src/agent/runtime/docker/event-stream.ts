// The docker runtime's events: the engine's event stream, filtered to this
// node's shoal containers. When the stream ends or fails (the engine
// restarted, the socket dropped), it reconnects with backoff and resyncs: it
// lists the tasks again and reports what changed while it was away, so a
// subscriber never misses an exit.
//
// Order on each (re)connect: subscribe first, then list, so that nothing
// between the snapshot and the stream is lost (an event may be reported
// twice; subscribers treat events as idempotent).
import { AsyncQueue } from '../async-queue.js';
import { abortableDelay, backoffMs } from '../abortable-delay.js';
import { LABEL_NODE_ID } from '../labels.js';
import { applyEvent, knownFromObserved, snapshotEvents, type KnownTask } from '../task-transitions.js';
import type { ObservedTask, RuntimeEvent, RuntimeEventStream } from '../types.js';
import { runtimeEvent } from './container-state.js';
import type { EngineClient, EventFilters } from './engine-client.js';

export interface EventStreamOptions {
  readonly client: EngineClient;
  readonly nodeId: string;
  /** The runtime's list(): this node's tasks as they are now. */
  readonly list: () => Promise<ObservedTask[]>;
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  /** Told of every engine event that maps to a runtime event (cache upkeep). */
  readonly onEvent?: (event: RuntimeEvent) => void;
  /** Told when the stream is lost, with why (logging, tests). */
  readonly onDisconnect?: (reason: string) => void;
}

export function eventFilters(nodeId: string): EventFilters {
  return {
    type: ['container'],
    label: [`${LABEL_NODE_ID}=${nodeId}`],
    event: ['start', 'die', 'oom', 'destroy', 'health_status'],
  };
}

function snapshot(tasks: readonly ObservedTask[]): Map<string, KnownTask> {
  return new Map(tasks.map((task) => [task.taskId, knownFromObserved(task.observed)]));
}

export function dockerEvents(options: EventStreamOptions, signal: AbortSignal): RuntimeEventStream {
  const queue = new AsyncQueue<RuntimeEvent>(signal);
  const stop = new AbortController();
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  queue.onClose(() => {
    stop.abort();
    markReady();
  });
  void pump(options, queue, stop.signal, markReady).catch((error: unknown) => queue.fail(error));
  return Object.assign(queue, { ready });
}

async function pump(
  options: EventStreamOptions,
  queue: AsyncQueue<RuntimeEvent>,
  signal: AbortSignal,
  markReady: () => void,
): Promise<void> {
  const filters = eventFilters(options.nodeId);
  let known: Map<string, KnownTask> | undefined;
  let attempt = 0;
  while (!signal.aborted) {
    let reason = 'the engine closed the event stream';
    // One connection per attempt, closed whatever ends the attempt.
    const connection = new AbortController();
    try {
      const stream = await options.client.events(filters, AbortSignal.any([signal, connection.signal]));
      const current = snapshot(await options.list());
      if (known !== undefined) for (const event of snapshotEvents(known, current)) emit(event);
      known = current;
      attempt = 0;
      markReady();
      for await (const engineEvent of stream) {
        const event = runtimeEvent(engineEvent);
        if (event !== undefined) emit(event);
      }
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
    } finally {
      connection.abort();
    }
    if (signal.aborted) break;
    options.onDisconnect?.(reason);
    await abortableDelay(backoffMs(attempt, options.minBackoffMs, options.maxBackoffMs), signal);
    attempt += 1;
  }
  queue.end();

  function emit(event: RuntimeEvent): void {
    if (known !== undefined) {
      const next = applyEvent(known.get(event.taskId), event);
      if (next === undefined) known.delete(event.taskId);
      else known.set(event.taskId, next);
    }
    options.onEvent?.(event);
    queue.push(event);
  }
}
