// Terse builders for hand-written histories in tests.
import type {
  ClientId,
  CompletedOperation,
  KvInput,
  KvOutput,
  PendingOperation,
  RegisterInput,
  RegisterOutput,
  RegisterValue,
} from '../../../../src/manager/raft/lincheck/index.js';

export function done<I, O>(clientId: ClientId, call: number, ret: number, input: I, output: O): CompletedOperation<I, O> {
  return { clientId, input, call, output, return: ret };
}

export function pending<I>(clientId: ClientId, call: number, input: I): PendingOperation<I> {
  return { clientId, input, call, pending: true };
}

/** Register operations: inputs and the outputs they returned. */
export const reg = {
  read: { op: 'read' } as RegisterInput,
  write: (value: RegisterValue): RegisterInput => ({ op: 'write', value }),
  cas: (from: RegisterValue, to: RegisterValue): RegisterInput => ({ op: 'cas', from, to }),
  got: (value: RegisterValue): RegisterOutput => ({ op: 'read', value }),
  wrote: { op: 'write' } as RegisterOutput,
  casOk: (ok: boolean): RegisterOutput => ({ op: 'cas', ok }),
};

/** shoal kv operations. */
export const kv = {
  get: (key: string): KvInput => ({ op: 'get', key }),
  put: (key: string, value: string): KvInput => ({ op: 'put', key, value }),
  del: (key: string): KvInput => ({ op: 'delete', key }),
  cas: (key: string, expected: string | null, value: string): KvInput => ({ op: 'cas', key, expected, value }),
  got: (value: string | null): KvOutput => ({ op: 'get', value }),
  put_: { op: 'put' } as KvOutput,
  deleted: { op: 'delete' } as KvOutput,
  casOk: (ok: boolean): KvOutput => ({ op: 'cas', ok }),
};
