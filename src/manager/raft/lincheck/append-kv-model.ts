// Porcupine's key-value store: get, put and append on string values, where a
// missing key reads as "". Keys are independent, so histories are checked one
// key at a time.
import { ShoalError } from '../../../api/errors.js';
import type { KvState } from './kv-state.js';
import { describeKv, EMPTY_KV, kvEqual, kvGet, kvSet } from './kv-state.js';
import type { Illegal, Model } from './model.js';
import { ILLEGAL } from './model.js';

export type AppendKvInput =
  | { readonly op: 'get'; readonly key: string }
  | { readonly op: 'put'; readonly key: string; readonly value: string }
  | { readonly op: 'append'; readonly key: string; readonly value: string };

export type AppendKvOutput = { readonly op: 'get'; readonly value: string } | { readonly op: 'put' } | { readonly op: 'append' };

export const appendKvModel: Model<KvState, AppendKvInput, AppendKvOutput> = {
  name: 'append-kv',
  init: () => EMPTY_KV,
  step(state, input, output): KvState | Illegal {
    if (output !== undefined && output.op !== input.op) {
      throw new ShoalError('InvalidArgument', `a ${input.op} operation cannot return a ${output.op} result`);
    }
    switch (input.op) {
      case 'get':
        return output === undefined || (output.op === 'get' && output.value === (kvGet(state, input.key) ?? '')) ? state : ILLEGAL;
      case 'put':
        return kvSet(state, input.key, input.value);
      case 'append':
        return kvSet(state, input.key, (kvGet(state, input.key) ?? '') + input.value);
    }
  },
  equal: kvEqual,
  hash: (s) => s.hash,
  partitionKey: (input) => input.key,
  describeOperation(input, output) {
    const key = JSON.stringify(input.key);
    switch (input.op) {
      case 'get':
        return `get(${key}) -> ${output?.op === 'get' ? JSON.stringify(output.value) : '?'}`;
      case 'put':
      case 'append':
        return `${input.op}(${key}, ${JSON.stringify(input.value)})${output === undefined ? ' -> ?' : ''}`;
    }
  },
  describeState: describeKv,
};
