// Counts objects in a state from the leader's Control.watch stream (a
// snapshot as create events, then every committed change), so a benchmark
// sees the store's truth without polling whole lists.
import { ControlContract, type WatchEvent } from '../../src/api/contracts/control.js';
import type { RpcClient } from '../../src/net/rpc/index.js';

export interface WatchCounter {
  /** Objects of the table whose key (per `classify`) is `key`. */
  count(key: string): number;
  /** performance.now() when count(key) first reached n, if it has. */
  reachedAt(key: string, n: number): number | undefined;
  readonly events: () => number;
  /** Why the stream ended, if it has (it should only end when stopped). */
  readonly ended: () => string | null;
  stop(): void;
}

/**
 * Follow `table` and classify each object (null = not counted). `targets`
 * lists the counts whose first arrival time is recorded.
 */
export function watchCount(client: RpcClient, table: 'nodes' | 'tasks', classify: (o: Record<string, unknown>) => string | null, targets: ReadonlyArray<{ key: string; n: number }>): WatchCounter {
  const keyOf = new Map<string, string>();
  const counts = new Map<string, number>();
  const reached = new Map<string, number>();
  const abort = new AbortController();
  let events = 0;
  let ended: string | null = null;
  const bump = (key: string, d: number): void => {
    const c = (counts.get(key) ?? 0) + d;
    counts.set(key, c);
    for (const t of targets) if (t.key === key && c >= t.n && !reached.has(`${key}/${t.n}`)) reached.set(`${key}/${t.n}`, performance.now());
  };
  const apply = (e: WatchEvent): void => {
    events++;
    const id = e.Object.ID;
    const before = keyOf.get(id);
    const after = e.Action === 'remove' ? null : classify(e.Object as unknown as Record<string, unknown>);
    if (before === after) return;
    if (before !== undefined) bump(before, -1);
    if (after === null) keyOf.delete(id);
    else {
      keyOf.set(id, after);
      bump(after, 1);
    }
  };
  void (async () => {
    try {
      for await (const e of client.stream(ControlContract, 'watch', { tables: [table] }, { signal: abort.signal })) apply(e);
      ended = 'the stream ended';
    } catch (err) {
      ended = err instanceof Error ? err.message : String(err);
    }
  })();
  return {
    count: (key) => counts.get(key) ?? 0,
    reachedAt: (key, n) => reached.get(`${key}/${n}`),
    events: () => events,
    ended: () => (abort.signal.aborted ? null : ended),
    stop: () => abort.abort(),
  };
}
