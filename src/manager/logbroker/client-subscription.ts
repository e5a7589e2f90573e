// One client's `service logs` on the leader: which tasks each node was asked
// for, the merged lines waiting for the client (bounded: a publishing agent
// waits while it is full), and when it is over: never while following; else
// once every node asked has said `done` or gone away.
import type { LogLine } from '../../api/contracts/control.js';
import type { PublishedLogLine } from '../../api/contracts/dispatcher.js';
import { ShoalError } from '../../api/errors.js';
import { Wake } from './wake.js';

type State = { readonly kind: 'open' } | { readonly kind: 'ended' } | { readonly kind: 'failed'; readonly error: ShoalError };

export class ClientSubscription {
  private readonly queue: LogLine[] = [];
  /** node -> the tasks it was asked for. */
  private readonly asked = new Map<string, Set<string>>();
  /** Nodes that have not said `done` (not following). */
  private readonly waiting = new Set<string>();
  private fannedOut = false;
  private state: State = { kind: 'open' };
  private readonly wake = new Wake();

  constructor(
    readonly id: string,
    readonly follow: boolean,
    readonly tail: number | undefined,
    private readonly capacity: number,
  ) {}

  get isOpen(): boolean {
    return this.state.kind === 'open';
  }

  nodes(): string[] {
    return [...this.asked.keys()];
  }

  tasksOn(nodeId: string): string[] {
    return [...(this.asked.get(nodeId) ?? [])];
  }

  /** Record that `nodeId` is asked for `taskIds`; returns those not asked before. */
  ask(nodeId: string, taskIds: readonly string[]): string[] {
    let set = this.asked.get(nodeId);
    if (set === undefined) {
      set = new Set();
      this.asked.set(nodeId, set);
    }
    const fresh = taskIds.filter((id) => !set.has(id));
    for (const id of fresh) set.add(id);
    if (fresh.length > 0 && !this.follow) this.waiting.add(nodeId);
    return fresh;
  }

  /** Every node holding tasks has been asked: from now on, the last `done` ends it. */
  fannedOutAll(): void {
    this.fannedOut = true;
    this.maybeEnd();
  }

  /** Lines from a node; waits while the client's buffer is full. */
  async publish(nodeId: string, lines: readonly PublishedLogLine[], done: boolean, signal: AbortSignal): Promise<void> {
    const asked = this.asked.get(nodeId);
    if (asked === undefined) throw new ShoalError('PermissionDenied', `node ${nodeId} was not asked for the logs of subscription ${this.id}`);
    const stray = lines.find((l) => !asked.has(l.TaskID));
    if (stray !== undefined) throw new ShoalError('PermissionDenied', `node ${nodeId} was not asked for the logs of task ${stray.TaskID}`);
    while (this.state.kind === 'open' && this.queue.length >= this.capacity && !signal.aborted) await this.wake.wait(signal);
    if (this.state.kind !== 'open') throw new ShoalError('NotFound', `log subscription ${this.id} is over`);
    if (signal.aborted) throw new ShoalError('Cancelled', 'the publish was cancelled');
    for (const l of lines) this.queue.push({ TaskID: l.TaskID, NodeID: nodeId, Stream: l.Stream, Line: l.Line, Time: l.Time });
    if (done) this.waiting.delete(nodeId);
    this.wake.notify();
    this.maybeEnd();
  }

  /** The node's agent went away: whatever it did not send is lost (not following, it counts as done). */
  nodeGone(nodeId: string): void {
    if (this.waiting.delete(nodeId)) this.maybeEnd();
  }

  fail(error: ShoalError): void {
    if (this.state.kind !== 'open') return;
    this.state = { kind: 'failed', error };
    this.wake.notify();
  }

  close(): void {
    if (this.state.kind === 'open') this.state = { kind: 'ended' };
    this.queue.length = 0;
    this.wake.notify();
  }

  /** The merged lines, until over or `signal` aborts. */
  async *lines(signal: AbortSignal): AsyncGenerator<LogLine, void> {
    while (!signal.aborted) {
      const line = this.queue.shift();
      if (line !== undefined) {
        if (this.queue.length === this.capacity - 1) this.wake.notify(); // room for a publisher
        yield line;
        continue;
      }
      if (this.state.kind === 'failed') throw this.state.error;
      if (this.state.kind === 'ended' || this.finished()) return;
      await this.wake.wait(signal);
    }
  }

  private finished(): boolean {
    return !this.follow && this.fannedOut && this.waiting.size === 0;
  }

  private maybeEnd(): void {
    if (this.finished()) this.wake.notify();
  }
}
