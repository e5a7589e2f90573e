// The call and return events of one partition's operations, in time order, as
// a doubly linked list over typed arrays. Taking an operation out of the list
// (lift) and putting it back (unlift) are O(1), which is what makes the
// depth-first search's backtracking cheap.
import type { Operation } from './operation.js';
import { isPending } from './operation.js';

/** No node: the end of the list. */
export const NIL = -1;

interface TimedEvent {
  readonly node: number;
  readonly time: number;
}

/**
 * Node ids: operation i's call is 2i, its return 2i + 1 (absent for a pending
 * operation, whose return is at infinity), and the head sentinel is 2n.
 */
export class EventList {
  readonly head: number;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;

  constructor(ops: readonly Operation<unknown, unknown>[]) {
    const events: TimedEvent[] = [];
    ops.forEach((op, i) => {
      events.push({ node: 2 * i, time: op.call });
      if (!isPending(op)) events.push({ node: 2 * i + 1, time: op.return });
    });
    // By time; at equal times calls first (closed intervals overlap); then by id for determinism.
    events.sort((a, b) => a.time - b.time || (a.node & 1) - (b.node & 1) || a.node - b.node);
    this.head = 2 * ops.length;
    this.next = new Int32Array(this.head + 1).fill(NIL);
    this.prev = new Int32Array(this.head + 1).fill(NIL);
    let last = this.head;
    for (const e of events) {
      this.next[last] = e.node;
      this.prev[e.node] = last;
      last = e.node;
    }
  }

  static isCall(node: number): boolean {
    return (node & 1) === 0;
  }

  static opOf(node: number): number {
    return node >>> 1;
  }

  first(): number {
    return this.nextOf(this.head);
  }

  nextOf(node: number): number {
    return this.next[node] ?? NIL;
  }

  /** Take operation `op`'s call and (if any) return out of the list. */
  lift(op: number, hasReturn: boolean): void {
    this.unlink(2 * op);
    if (hasReturn) this.unlink(2 * op + 1);
  }

  /** Undo lift(op): nodes go back in the reverse order they were taken out. */
  unlift(op: number, hasReturn: boolean): void {
    if (hasReturn) this.relink(2 * op + 1);
    this.relink(2 * op);
  }

  private unlink(node: number): void {
    const p = this.prev[node] ?? NIL;
    const n = this.next[node] ?? NIL;
    this.next[p] = n;
    if (n !== NIL) this.prev[n] = p;
  }

  /** The node still holds its old neighbours, which are back in the list by now. */
  private relink(node: number): void {
    const p = this.prev[node] ?? NIL;
    const n = this.next[node] ?? NIL;
    this.next[p] = node;
    if (n !== NIL) this.prev[n] = node;
  }
}
