// A tiny deterministic state machine for driver tests.
import { decode, encode } from 'cbor-x';
import type { StateMachine } from '../../../../src/manager/raft/driver/state-machine.js';

export class KvMachine implements StateMachine {
  data = new Map<string, string>();
  appliedCount = 0;
  apply(_index: number, command: Uint8Array): unknown {
    const [k, v] = decode(command) as [string, string];
    const prev = this.data.get(k) ?? null;
    this.data.set(k, v);
    this.appliedCount++;
    return prev;
  }
  snapshot(): Uint8Array {
    return new Uint8Array(encode([...this.data]));
  }
  restore(data: Uint8Array): void {
    this.data = new Map(decode(data) as [string, string][]);
  }
}

export const put = (k: string, v: string): Uint8Array => new Uint8Array(encode([k, v]));
