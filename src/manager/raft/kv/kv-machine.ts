// The key-value state machine: deterministic apply, snapshot and restore.
import { decode, encode } from 'cbor-x';
import type { StateMachine } from '../driver/state-machine.js';

export type KvCommand =
  | { readonly op: 'put'; readonly key: string; readonly value: string }
  | { readonly op: 'cas'; readonly key: string; readonly expected: string | null; readonly value: string };

export function encodeKvCommand(c: KvCommand): Uint8Array {
  return new Uint8Array(encode(c.op === 'put' ? ['put', c.key, c.value] : ['cas', c.key, c.expected, c.value]));
}

export class KvMachine implements StateMachine {
  private data = new Map<string, string>();

  get(key: string): string | null {
    return this.data.get(key) ?? null;
  }

  /** put -> true; cas -> whether it swapped. */
  apply(_index: number, command: Uint8Array): boolean {
    const v: unknown = decode(command);
    if (!Array.isArray(v)) throw new Error('kv command is not a list');
    if (v[0] === 'put' && typeof v[1] === 'string' && typeof v[2] === 'string') {
      this.data.set(v[1], v[2]);
      return true;
    }
    if (v[0] === 'cas' && typeof v[1] === 'string' && (v[2] === null || typeof v[2] === 'string') && typeof v[3] === 'string') {
      if ((this.data.get(v[1]) ?? null) !== v[2]) return false;
      this.data.set(v[1], v[3]);
      return true;
    }
    throw new Error('unknown kv command');
  }

  snapshot(): Uint8Array {
    return new Uint8Array(encode([...this.data]));
  }

  restore(data: Uint8Array): void {
    const v: unknown = decode(data);
    if (!Array.isArray(v)) throw new Error('kv snapshot is not a list');
    this.data = new Map(v as [string, string][]);
  }
}
