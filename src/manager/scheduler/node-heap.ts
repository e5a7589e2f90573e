// A binary min-heap of candidate nodes for one group of identical tasks,
// ordered by swarmkit's nodeLess (scheduler.go scheduleTaskGroup):
//   1. a node where this service version failed MAX_RECENT_FAILURES times
//      within the window goes after nodes with fewer failures;
//   2. fewer active tasks of this service;
//   3. fewer active tasks in all;
//   4. the round's shuffled order (the seeded tie-break).
// Placement only ever raises the key of the top entry, so it is fixed with
// one sift-down, or removed when the node can take no more of the group.
import { MAX_RECENT_FAILURES, type NodeInfo } from './node-info.js';

export interface Candidate {
  readonly info: NodeInfo;
  /** Active tasks of the group's service on the node; kept equal to info.activeOf(service). */
  service: number;
  /** Recent failures of the group's service version on the node. */
  readonly failures: number;
}

export function candidateLess(a: Candidate, b: Candidate): boolean {
  if (a.failures >= MAX_RECENT_FAILURES || b.failures >= MAX_RECENT_FAILURES) {
    if (a.failures !== b.failures) return a.failures < b.failures;
  }
  if (a.service !== b.service) return a.service < b.service;
  if (a.info.activeTasks !== b.info.activeTasks) return a.info.activeTasks < b.info.activeTasks;
  return a.info.order < b.info.order;
}

export class NodeHeap {
  private readonly items: Candidate[];

  /** Takes ownership of `items`. */
  constructor(items: Candidate[]) {
    this.items = items;
    for (let i = (items.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  get size(): number {
    return this.items.length;
  }

  top(): Candidate | undefined {
    return this.items[0];
  }

  /** The top's key went up: restore the order. */
  fixTop(): void {
    this.siftDown(0);
  }

  popTop(): void {
    const last = this.items.pop();
    if (last === undefined || this.items.length === 0) return;
    this.items[0] = last;
    this.siftDown(0);
  }

  private siftDown(start: number): void {
    const items = this.items;
    const n = items.length;
    let i = start;
    const item = items[i];
    if (item === undefined) return;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      let child = items[l] as Candidate;
      if (r < n) {
        const right = items[r] as Candidate;
        if (candidateLess(right, child)) {
          c = r;
          child = right;
        }
      }
      if (!candidateLess(child, item)) break;
      items[i] = child;
      i = c;
    }
    items[i] = item;
  }
}
