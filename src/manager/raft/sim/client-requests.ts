// The client requests one member incarnation holds: writes it proposed (or
// forwarded) and reads waiting for their ReadIndex, then for the state
// machine to catch up. A crash loses them all (the clients hear of it).
import type { KvOutput } from '../lincheck/index.js';
import type { KvSimMachine, WriteOutput } from './kv-sim-machine.js';
import { bytesKey } from './kv-sim-machine.js';

/** Where a member's answers go. */
export interface ReplySink {
  /** A client attempt's outcome; `index` is where it applied. */
  reply(client: number, seq: number, output: KvOutput, index: number): void;
  /** A client attempt that will never take effect. */
  refuse(client: number, seq: number, why: string): void;
}

interface PendingWrite {
  readonly client: number;
  readonly seq: number;
  /** Where the leader appended it, when this member was the leader. */
  readonly at: { readonly index: number; readonly term: number } | null;
}

interface PendingRead {
  readonly client: number;
  readonly seq: number;
  readonly key: string;
}

export class ClientRequests {
  private readonly writes = new Map<string, PendingWrite>();
  private readonly reads = new Map<string, PendingRead>();
  /** Reads confirmed by ReadIndex, waiting for applied >= index. */
  private confirmed: { readonly index: number; readonly read: PendingRead }[] = [];

  constructor(private readonly sink: ReplySink) {}

  addWrite(client: number, seq: number, at: PendingWrite['at']): void {
    this.writes.set(`${client}:${seq}`, { client, seq, at });
  }

  addRead(context: Uint8Array, client: number, seq: number, key: string): void {
    this.reads.set(bytesKey(context), { client, seq, key });
  }

  /** A ReadState arrived for `context`. */
  readConfirmed(context: Uint8Array, index: number): void {
    const key = bytesKey(context);
    const read = this.reads.get(key);
    if (read === undefined) return;
    this.reads.delete(key);
    this.confirmed.push({ index, read });
  }

  /** Serve the confirmed reads the state machine has caught up with. */
  serveReads(kv: KvSimMachine, applied: number): void {
    if (this.confirmed.length === 0) return;
    const waiting: typeof this.confirmed = [];
    for (const r of this.confirmed) {
      if (r.index <= applied) this.sink.reply(r.read.client, r.read.seq, { op: 'get', value: kv.get(r.read.key) }, applied);
      else waiting.push(r);
    }
    this.confirmed = waiting;
  }

  /** The entry at (index, term) applied, with `result` if it was a client's command. */
  applied(index: number, term: number, result: { readonly client: number; readonly seq: number; readonly output: WriteOutput | null } | null): void {
    if (result !== null && result.output !== null && this.writes.delete(`${result.client}:${result.seq}`)) {
      this.sink.reply(result.client, result.seq, result.output, index);
    }
    // Appended here at this index in another term: overwritten, it will never apply.
    for (const [key, w] of this.writes) {
      if (w.at !== null && w.at.index === index && w.at.term !== term) {
        this.writes.delete(key);
        this.sink.refuse(w.client, w.seq, `entry ${w.at.index}/${w.at.term} was overwritten by ${index}/${term}`);
      }
    }
  }

  /** The state machine was replaced by a snapshot at `index`: its sessions tell which writes it covers. */
  restored(kv: KvSimMachine, index: number): void {
    for (const [key, w] of this.writes) {
      const session = kv.session(w.client);
      if (session !== undefined && session.seq === w.seq) {
        this.writes.delete(key);
        this.sink.reply(w.client, w.seq, session.output, index);
      } else if (w.at !== null && w.at.index <= index && (session === undefined || session.seq < w.seq)) {
        this.writes.delete(key);
        this.sink.refuse(w.client, w.seq, `entry ${w.at.index} is covered by a snapshot without it`);
      }
    }
  }
}
