// Linearizable reads batched into ReadIndex rounds. A read may only use a
// round that started after the read was asked for, so callers that arrive
// while a round is in flight wait for the next one; one round serves them all.
import { ShoalError } from '../../../api/errors.js';
import type { LogIndex } from '../types.js';

interface Waiter {
  resolve(index: LogIndex): void;
  reject(err: ShoalError): void;
}

export class ReadRounds {
  private next: Waiter[] = [];
  private inflight: { readonly key: string; readonly waiters: Waiter[] } | null = null;
  private counter = 0;

  constructor(
    private readonly origin: string,
    /** Ask the core for a ReadIndex with this context; returns an error message if it was refused. */
    private readonly request: (context: Uint8Array) => string | null,
  ) {}

  /** Resolves with the index a read must wait to be applied for. */
  add(timeoutMs: number): Promise<LogIndex> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (i) => {
          clearTimeout(timer);
          resolve(i);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        this.drop(waiter);
        reject(new ShoalError('Unavailable', `no quorum confirmed the leader within ${timeoutMs} ms; the cluster may have lost its leader`));
      }, timeoutMs);
      this.next.push(waiter);
      if (this.inflight === null) this.start();
    });
  }

  /** A ReadState arrived from the core. */
  answered(context: Uint8Array, index: LogIndex): void {
    if (this.inflight === null || Buffer.from(context).toString('latin1') !== this.inflight.key) return;
    const { waiters } = this.inflight;
    this.inflight = null;
    for (const w of waiters) w.resolve(index);
    if (this.next.length > 0) this.start();
  }

  /** Leadership moved or the node stopped: fail everything in flight. */
  failAll(err: ShoalError): void {
    const all = [...(this.inflight?.waiters ?? []), ...this.next];
    this.inflight = null;
    this.next = [];
    for (const w of all) w.reject(err);
  }

  private start(): void {
    const waiters = this.next;
    this.next = [];
    const context = Buffer.from(`${this.origin}:${++this.counter}`, 'latin1');
    this.inflight = { key: context.toString('latin1'), waiters };
    const refused = this.request(new Uint8Array(context));
    if (refused !== null) {
      this.inflight = null;
      for (const w of waiters) w.reject(new ShoalError('Unavailable', refused));
    }
  }

  private drop(w: Waiter): void {
    this.next = this.next.filter((x) => x !== w);
    if (this.inflight !== null) {
      const i = this.inflight.waiters.indexOf(w);
      if (i >= 0) this.inflight.waiters.splice(i, 1);
      // A round nobody waits for any more is abandoned, so later reads are not stuck behind it.
      if (this.inflight.waiters.length === 0) {
        this.inflight = null;
        if (this.next.length > 0) this.start();
      }
    }
  }
}
