// shoal's key-value model, for the client histories of the Raft simulator and
// of real clusters: get, put, delete and compare-and-set on string values,
// where a missing key reads as null. Keys are independent.
import { ShoalError } from '../../../api/errors.js';
import type { KvState } from './kv-state.js';
import { describeKv, EMPTY_KV, kvDelete, kvEqual, kvGet, kvSet } from './kv-state.js';
import type { Illegal, Model } from './model.js';
import { ILLEGAL } from './model.js';

export type KvInput =
  | { readonly op: 'get'; readonly key: string }
  | { readonly op: 'put'; readonly key: string; readonly value: string }
  | { readonly op: 'delete'; readonly key: string }
  /** Set `value` if the key holds `expected` (null: if the key is missing). */
  | { readonly op: 'cas'; readonly key: string; readonly expected: string | null; readonly value: string };

export type KvOutput =
  | { readonly op: 'get'; readonly value: string | null }
  | { readonly op: 'put' }
  | { readonly op: 'delete' }
  | { readonly op: 'cas'; readonly ok: boolean };

function casTarget(state: KvState, input: Extract<KvInput, { op: 'cas' }>): KvState | undefined {
  return (kvGet(state, input.key) ?? null) === input.expected ? kvSet(state, input.key, input.value) : undefined;
}

export const kvModel: Model<KvState, KvInput, KvOutput> = {
  name: 'kv',
  init: () => EMPTY_KV,
  step(state, input, output): KvState | Illegal {
    if (output !== undefined && output.op !== input.op) {
      throw new ShoalError('InvalidArgument', `a ${input.op} operation cannot return a ${output.op} result`);
    }
    switch (input.op) {
      case 'get':
        return output === undefined || (output.op === 'get' && output.value === (kvGet(state, input.key) ?? null)) ? state : ILLEGAL;
      case 'put':
        return kvSet(state, input.key, input.value);
      case 'delete':
        return kvDelete(state, input.key);
      case 'cas': {
        const after = casTarget(state, input);
        if (output === undefined) return after ?? state;
        const ok = output.op === 'cas' && output.ok;
        if (ok !== (after !== undefined)) return ILLEGAL;
        return after ?? state;
      }
    }
  },
  equal: kvEqual,
  hash: (s) => s.hash,
  partitionKey: (input) => input.key,
  describeOperation(input, output) {
    const key = JSON.stringify(input.key);
    const result = output === undefined ? '?' : output.op === 'get' ? JSON.stringify(output.value) : output.op === 'cas' ? String(output.ok) : 'ok';
    switch (input.op) {
      case 'get':
      case 'delete':
        return `${input.op}(${key}) -> ${result}`;
      case 'put':
        return `put(${key}, ${JSON.stringify(input.value)}) -> ${result}`;
      case 'cas':
        return `cas(${key}, ${JSON.stringify(input.expected)}, ${JSON.stringify(input.value)}) -> ${result}`;
    }
  },
  describeState: describeKv,
};
