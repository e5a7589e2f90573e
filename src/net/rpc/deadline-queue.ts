// One timer for many deadlines. Calls with the same timeout expire in the
// order they started, so each distinct timeout keeps a FIFO list (linked
// through the entries themselves: no allocation per call) and a single
// timer is armed for the earliest head. Adding is O(1), removing is O(1),
// firing is O(expired + distinct timeouts).
import type { TimerHandle, Timers } from './timers.js';

/** Something with a deadline; subclasses say what expiry means. */
export abstract class Expiring {
  /** Monotonic ms at which `expire` runs; Infinity while not queued. */
  deadlineAt = Infinity;
  dlPrev: Expiring | undefined = undefined;
  dlNext: Expiring | undefined = undefined;
  dlList: DeadlineList | undefined = undefined;
  abstract expire(): void;
}

class DeadlineList {
  head: Expiring | undefined = undefined;
  tail: Expiring | undefined = undefined;
  constructor(readonly timeoutMs: number) {}
}

export class DeadlineQueue {
  private readonly lists = new Map<number, DeadlineList>();
  private timer: TimerHandle | undefined = undefined;
  private armedAt = Infinity;
  private readonly onTimer = (): void => this.fire();

  constructor(private readonly timers: Timers) {}

  /** Queue `entry` to expire `timeoutMs` from now. An entry is in at most one queue at a time. */
  add(entry: Expiring, timeoutMs: number): void {
    this.remove(entry);
    entry.deadlineAt = this.timers.now() + timeoutMs;
    let list = this.lists.get(timeoutMs);
    if (list === undefined) {
      list = new DeadlineList(timeoutMs);
      this.lists.set(timeoutMs, list);
    }
    // Invariant: within a list, deadlineAt is non-decreasing from head to tail.
    entry.dlList = list;
    entry.dlPrev = list.tail;
    entry.dlNext = undefined;
    if (list.tail === undefined) list.head = entry;
    else list.tail.dlNext = entry;
    list.tail = entry;
    if (entry.deadlineAt < this.armedAt) this.arm(entry.deadlineAt);
  }

  /** Forget `entry` (no-op when it is not queued). The timer is left armed; a spurious fire is cheap. */
  remove(entry: Expiring): void {
    const list = entry.dlList;
    if (list === undefined) return;
    if (entry.dlPrev === undefined) list.head = entry.dlNext;
    else entry.dlPrev.dlNext = entry.dlNext;
    if (entry.dlNext === undefined) list.tail = entry.dlPrev;
    else entry.dlNext.dlPrev = entry.dlPrev;
    entry.dlPrev = entry.dlNext = entry.dlList = undefined;
    entry.deadlineAt = Infinity;
    if (list.head === undefined) this.lists.delete(list.timeoutMs);
  }

  get size(): number {
    let n = 0;
    for (const list of this.lists.values()) for (let e = list.head; e !== undefined; e = e.dlNext) n++;
    return n;
  }

  dispose(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = Infinity;
    for (const list of [...this.lists.values()]) while (list.head !== undefined) this.remove(list.head);
  }

  private arm(at: number): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.armedAt = at;
    this.timer = this.timers.setTimeout(this.onTimer, Math.max(1, Math.ceil(at - this.timers.now())));
  }

  private fire(): void {
    this.timer = undefined;
    this.armedAt = Infinity;
    const now = this.timers.now();
    const expired: Expiring[] = [];
    for (const list of this.lists.values()) {
      while (list.head !== undefined && list.head.deadlineAt <= now) {
        const e = list.head;
        expired.push(e);
        this.remove(e);
      }
    }
    // Expiry handlers may add or remove entries; they run after the lists are consistent.
    for (const e of expired) e.expire();
    let earliest = Infinity;
    for (const list of this.lists.values()) if (list.head !== undefined && list.head.deadlineAt < earliest) earliest = list.head.deadlineAt;
    if (earliest < this.armedAt) this.arm(earliest);
  }
}
