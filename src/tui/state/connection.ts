// What the header says about the link to the manager: the RPC client's
// state (it reconnects by itself) and the watch stream's phase.
import type { Cell } from './cells.js';

export type LinkStatus = 'connecting' | 'open' | 'backoff' | 'closed';

export type WatchPhase =
  | { readonly kind: 'starting' }
  /** The stream is delivering what exists (as create events). */
  | { readonly kind: 'snapshot'; readonly objects: number; readonly resync: boolean }
  | { readonly kind: 'live' }
  /** The stream broke or was refused; it is retried. */
  | { readonly kind: 'failed'; readonly error: string };

export interface ConnectionView {
  readonly address: string;
  readonly link: LinkStatus;
  readonly watch: WatchPhase;
}

/** The header's connection cell: always in words, toned. */
export function connectionCell(c: ConnectionView): Cell {
  switch (c.link) {
    case 'connecting':
      return { text: c.watch.kind === 'failed' ? `connecting (${c.watch.error})` : 'connecting', tone: 'warn' };
    case 'backoff':
      return { text: `reconnecting${c.watch.kind === 'failed' ? ` (${c.watch.error})` : ''}`, tone: 'bad' };
    case 'closed':
      return { text: 'closed', tone: 'bad' };
    case 'open':
      break;
  }
  switch (c.watch.kind) {
    case 'starting':
      return { text: 'connected, subscribing', tone: 'warn' };
    case 'snapshot':
      return { text: `${c.watch.resync ? 'resyncing' : 'loading'} (${c.watch.objects} objects)`, tone: 'warn' };
    case 'live':
      return { text: 'live', tone: 'ok' };
    case 'failed':
      return { text: `error: ${c.watch.error} (retrying)`, tone: 'bad' };
  }
}
