// Virtual time: a priority queue of events ordered by (time, insertion
// order). Equal times run in the order they were scheduled, so a run depends
// on nothing but the seed.

interface Slot<E> {
  readonly time: number;
  readonly seq: number;
  readonly event: E;
}

export class EventQueue<E> {
  private heap: Slot<E>[] = [];
  private seq = 0;
  /** The time of the event being handled (the virtual clock). */
  now = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Schedules `event` `delay` time units from now (delay >= 0). */
  after(delay: number, event: E): void {
    this.push({ time: this.now + Math.max(0, delay), seq: this.seq++, event });
  }

  /** Removes the earliest event and moves the clock to it. */
  pop(): E | undefined {
    const top = this.heap[0];
    if (top === undefined) return undefined;
    const last = this.heap.pop();
    if (last !== undefined && this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    this.now = top.time;
    return top.event;
  }

  private less(a: Slot<E>, b: Slot<E>): boolean {
    return a.time < b.time || (a.time === b.time && a.seq < b.seq);
  }

  private push(slot: Slot<E>): void {
    const h = this.heap;
    h.push(slot);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent];
      if (p === undefined || !this.less(slot, p)) break;
      h[i] = p;
      i = parent;
    }
    h[i] = slot;
  }

  private down(start: number): void {
    const h = this.heap;
    const slot = h[start];
    if (slot === undefined) return;
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const left = h[l];
      const right = h[r];
      if (left === undefined) break;
      const child = right !== undefined && this.less(right, left) ? r : l;
      const c = h[child];
      if (c === undefined || !this.less(c, slot)) break;
      h[i] = c;
      i = child;
    }
    h[i] = slot;
  }
}
