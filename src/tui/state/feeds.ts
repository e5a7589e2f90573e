// The console's other inputs besides the watch stream: the lines of the
// log stream on screen, and the last Raft status read.
import type { RaftStatusView } from '../../api/contracts/control.js';
import { Ring } from './ring.js';

export interface LogEntry {
  /** `web.1.ho0d7u3wensl@worker1`, as docker service logs prefixes lines. */
  readonly prefix: string;
  readonly line: string;
  readonly stream: 'stdout' | 'stderr';
}

export type LogPhase =
  | { readonly kind: 'connecting' }
  | { readonly kind: 'streaming' }
  | { readonly kind: 'ended' }
  | { readonly kind: 'failed'; readonly error: string };

export class LogFeed {
  readonly entries = new Ring<LogEntry>(10_000);
  phase: LogPhase = { kind: 'connecting' };
  /** The widest prefix so far, for aligning the `|`. */
  prefixWidth = 0;

  constructor(readonly key: string) {}

  push(e: LogEntry): void {
    this.entries.push(e);
    this.prefixWidth = Math.max(this.prefixWidth, e.prefix.length);
  }
}

export interface RaftFeed {
  readonly status: RaftStatusView | undefined;
  readonly error: string | undefined;
  readonly atMs: number;
}

export const NO_RAFT: RaftFeed = { status: undefined, error: undefined, atMs: 0 };
