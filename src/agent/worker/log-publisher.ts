// The agent's side of `service logs`: the leader's log broker asks, on a
// standing `logSubscriptions` stream, for the logs of some of this node's
// tasks; the agent reads them from the runtime and sends them back in
// batches with `publishLogs`. Each subscription's buffer is bounded (readers
// wait while it is full), one publish is in flight at a time (the broker
// answers when its client has room), and a cancel, a refused publish or the
// end of the session stops the readers.
import type { LogSubscriptionMessage, PublishedLogLine } from '../../api/contracts/dispatcher.js';
import { LOG_PUBLISH_MAX_LINES, LogBrokerContract } from '../../api/contracts/dispatcher.js';
import { isShoalError } from '../../api/errors.js';
import type { RpcClient } from '../../net/rpc/index.js';
import { abortableDelay } from '../runtime/abortable-delay.js';
import type { TaskRuntime } from '../runtime/types.js';
import { errorMessage } from '../runtime/unknown.js';
import { Signal } from './signal.js';

export type PublishRequest = { subscriptionId: string; lines: PublishedLogLine[]; done: boolean };
export type Publish = (request: PublishRequest) => Promise<void>;

export interface LogPublisherOptions {
  readonly runtime: TaskRuntime;
  readonly log?: (line: string) => void;
  /** Lines held per subscription before readers wait (default 2000). */
  readonly bufferLines?: number;
  /** Largest batch, in lines and in bytes of text (default 500 lines, 512 KiB). */
  readonly batchLines?: number;
  readonly batchBytes?: number;
  /** How long a first line waits for company before it is sent (default 20 ms). */
  readonly lingerMs?: number;
}

const MAX_LINE = 1 << 16;

class Subscription {
  readonly abort = new AbortController();
  private readonly tasks = new Set<string>();
  private readonly outbox: PublishedLogLine[] = [];
  private readers = 0;
  private readonly changed = new Signal();

  constructor(
    readonly id: string,
    private readonly follow: boolean,
    private readonly tail: number | undefined,
    private readonly opts: Required<Omit<LogPublisherOptions, 'log'>> & { readonly log: (line: string) => void },
    parent: AbortSignal,
  ) {
    parent.addEventListener('abort', () => this.cancel(), { once: true, signal: this.abort.signal });
  }

  add(taskIds: readonly string[]): void {
    for (const taskId of taskIds) {
      if (this.tasks.has(taskId)) continue;
      this.tasks.add(taskId);
      this.readers++;
      void this.read(taskId);
    }
    this.changed.notify();
  }

  cancel(): void {
    this.abort.abort();
    this.changed.notify();
  }

  /** Send batches until done (not following and every reader finished) or cancelled. */
  async pump(publish: Publish): Promise<void> {
    const signal = this.abort.signal;
    try {
      while (!signal.aborted) {
        if (this.outbox.length === 0 && !this.finished()) await this.changed.wait(signal);
        if (signal.aborted) return;
        // Let a burst gather into one batch.
        if (this.outbox.length > 0 && this.outbox.length < this.opts.batchLines && !this.finished()) await abortableDelay(this.opts.lingerMs, signal);
        const lines = this.take();
        const done = this.finished() && this.outbox.length === 0;
        if (lines.length === 0 && !done) continue;
        await publish({ subscriptionId: this.id, lines, done });
        if (done) return;
      }
    } catch (error) {
      if (!signal.aborted && !(isShoalError(error) && error.code === 'NotFound')) this.opts.log(`log subscription ${this.id}: ${errorMessage(error)}`);
    } finally {
      this.cancel();
    }
  }

  private finished(): boolean {
    return !this.follow && this.readers === 0;
  }

  private take(): PublishedLogLine[] {
    let bytes = 0;
    let n = 0;
    while (n < this.outbox.length && n < this.opts.batchLines && n < LOG_PUBLISH_MAX_LINES) {
      bytes += (this.outbox[n]?.Line.length ?? 0) + 64;
      if (n > 0 && bytes > this.opts.batchBytes) break;
      n++;
    }
    const lines = this.outbox.splice(0, n);
    this.changed.notify(); // room for readers
    return lines;
  }

  private async read(taskId: string): Promise<void> {
    const signal = this.abort.signal;
    try {
      const options = { follow: this.follow, signal, ...(this.tail !== undefined ? { tail: this.tail } : {}) };
      for await (const entry of this.opts.runtime.logs(taskId, options)) {
        while (this.outbox.length >= this.opts.bufferLines && !signal.aborted) await this.changed.wait(signal);
        if (signal.aborted) return;
        const time = Number.isNaN(entry.time.getTime()) ? new Date(0) : entry.time;
        this.outbox.push({ TaskID: taskId, Stream: entry.stream, Line: entry.line.slice(0, MAX_LINE), Time: time.toISOString() });
        this.changed.notify();
      }
    } catch (error) {
      // A task this node does not hold (any more) has no logs here.
      if (!signal.aborted && !(isShoalError(error) && error.code === 'NotFound')) this.opts.log(`logs of task ${taskId}: ${errorMessage(error)}`);
    } finally {
      this.readers--;
      this.changed.notify();
    }
  }
}

export class LogPublisher {
  private readonly subs = new Map<string, Subscription>();
  private readonly opts: Required<Omit<LogPublisherOptions, 'log'>> & { readonly log: (line: string) => void };
  private readonly closing = new AbortController();

  constructor(options: LogPublisherOptions) {
    this.opts = {
      runtime: options.runtime,
      log: options.log ?? (() => undefined),
      bufferLines: options.bufferLines ?? 2000,
      batchLines: Math.min(options.batchLines ?? 500, LOG_PUBLISH_MAX_LINES),
      batchBytes: options.batchBytes ?? 512 * 1024,
      lingerMs: options.lingerMs ?? 20,
    };
  }

  /** Subscriptions being served (tests). */
  get active(): number {
    return this.subs.size;
  }

  /** Serve one stream of requests until it ends or `signal` aborts; its subscriptions end with it. */
  async serve(messages: AsyncIterable<LogSubscriptionMessage>, publish: Publish, signal: AbortSignal): Promise<void> {
    const scope = AbortSignal.any([signal, this.closing.signal]);
    const mine = new Set<Subscription>();
    try {
      for await (const m of messages) {
        if (scope.aborted) break;
        if (m.kind === 'cancel') {
          this.subs.get(m.subscriptionId)?.cancel();
          continue;
        }
        const known = this.subs.get(m.subscriptionId);
        if (known !== undefined) {
          known.add(m.taskIds);
          continue;
        }
        const created = new Subscription(m.subscriptionId, m.follow, m.tail, this.opts, scope);
        this.subs.set(created.id, created);
        mine.add(created);
        // Readers first: a pump with no reader would say `done` at once.
        created.add(m.taskIds);
        void created.pump(publish).finally(() => {
          if (this.subs.get(created.id) === created) this.subs.delete(created.id);
          mine.delete(created);
        });
      }
    } finally {
      for (const sub of mine) sub.cancel();
    }
  }

  /**
   * Keep a `logSubscriptions` stream open on the session's connection to the
   * leader until `signal` aborts (the session ended), reopening it after a
   * failure.
   */
  async run(rpc: RpcClient, signal: AbortSignal): Promise<void> {
    const publish: Publish = async (request) => {
      await rpc.call(LogBrokerContract, 'publishLogs', request, { deadlineMs: 60_000, signal });
    };
    while (!signal.aborted && !this.closing.signal.aborted) {
      try {
        const stream = rpc.stream(LogBrokerContract, 'logSubscriptions', {}, { signal });
        await this.serve(stream, publish, signal);
      } catch (error) {
        if (signal.aborted) return;
        this.opts.log(`log subscriptions: ${errorMessage(error)}; reopening`);
      }
      await abortableDelay(500, signal);
    }
  }

  close(): void {
    this.closing.abort();
    for (const sub of this.subs.values()) sub.cancel();
    this.subs.clear();
  }
}
