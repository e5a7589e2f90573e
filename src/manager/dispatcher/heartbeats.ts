// Which nodes have gone quiet: a pure record of last heartbeats, and the
// decision of who is down at a given time. A node is down once it misses
// its heartbeat for `graceFactor` periods (default 2.5: with a 1 s period
// a dead agent is marked down within 2.5-3.5 s, against Swarm's ~15 s).
export class HeartbeatBook {
  private readonly last = new Map<string, number>();

  constructor(private readonly graceFactor = 2.5) {}

  beat(nodeId: string, now: number): void {
    this.last.set(nodeId, now);
  }

  forget(nodeId: string): void {
    this.last.delete(nodeId);
  }

  /** Nodes seen before whose heartbeat is overdue at `now`. */
  overdue(now: number, periodMs: number): string[] {
    const limit = periodMs * this.graceFactor;
    return [...this.last].filter(([, at]) => now - at > limit).map(([id]) => id);
  }

  has(nodeId: string): boolean {
    return this.last.has(nodeId);
  }
}
