// controlapi watch: what exists now (as create events), then every committed
// change, with no gap between them; backpressure from the client's credit.
import type { WatchEvent } from '../../api/contracts/control.js';
import type { StreamSink } from '../../net/rpc/index.js';
import type { Store } from '../store/store.js';
import { isTableName, TABLES, type TableName } from '../store/tables.js';

export async function watch(store: Store, tables: readonly string[] | undefined, sink: StreamSink<WatchEvent>, signal: AbortSignal): Promise<void> {
  const wanted = new Set<TableName>((tables ?? TABLES).filter(isTableName));
  const [initial, queue] = store.viewAndWatch(
    (tx) => [...wanted].flatMap((t) => tx.all(t).map((o): WatchEvent => ({ Action: 'create', Table: t, Object: o, Index: o.Version.Index }))),
    { filter: (e) => wanted.has(e.table), limit: 200_000 },
  );
  const stop = (): void => queue.close();
  signal.addEventListener('abort', stop, { once: true });
  try {
    for (const e of initial) await sink.send(e);
    for await (const batch of queue) {
      for (const e of batch.events) {
        await sink.send({ Action: e.kind === 'delete' ? 'remove' : e.kind, Table: e.table, Object: e.object, Index: batch.index });
      }
    }
  } finally {
    signal.removeEventListener('abort', stop);
    queue.close();
  }
}
