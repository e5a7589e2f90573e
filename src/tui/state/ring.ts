// A bounded list that keeps the newest items: the event log and the log
// lines. `total` counts every item ever pushed, so a paused view can say
// how many arrived since.

export class Ring<T> {
  private readonly items: T[] = [];
  private start = 0;
  total = 0;

  constructor(readonly capacity: number) {}

  get length(): number {
    return this.items.length;
  }

  push(item: T): void {
    this.total++;
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return;
    }
    this.items[this.start] = item;
    this.start = (this.start + 1) % this.capacity;
  }

  /** The i-th oldest item kept. */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.items.length) return undefined;
    return this.items[(this.start + i) % this.items.length];
  }

  clear(): void {
    this.items.length = 0;
    this.start = 0;
  }

  toArray(): T[] {
    return [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
  }
}
