// A single register with read, write and compare-and-set: the model of the
// Jepsen etcd histories. The register starts empty (null).
import { ShoalError } from '../../../api/errors.js';
import { hashScalar } from './hash.js';
import type { Illegal, Model } from './model.js';
import { ILLEGAL } from './model.js';

/** A register value; null is the empty register. */
export type RegisterValue = string | number | null;

export type RegisterInput =
  | { readonly op: 'read' }
  | { readonly op: 'write'; readonly value: RegisterValue }
  | { readonly op: 'cas'; readonly from: RegisterValue; readonly to: RegisterValue };

export type RegisterOutput =
  | { readonly op: 'read'; readonly value: RegisterValue }
  | { readonly op: 'write' }
  /** ok: the register held `from` and now holds `to`; not ok: it did not hold `from`. */
  | { readonly op: 'cas'; readonly ok: boolean };

function mismatch(input: RegisterInput, output: RegisterOutput): never {
  throw new ShoalError('InvalidArgument', `a ${input.op} operation cannot return a ${output.op} result`);
}

function show(v: RegisterValue): string {
  return v === null ? 'nil' : JSON.stringify(v);
}

export const registerModel: Model<RegisterValue, RegisterInput, RegisterOutput> = {
  name: 'register',
  init: () => null,
  step(state, input, output): RegisterValue | Illegal {
    if (output !== undefined && output.op !== input.op) mismatch(input, output);
    switch (input.op) {
      case 'read':
        return output === undefined || (output.op === 'read' && output.value === state) ? state : ILLEGAL;
      case 'write':
        return input.value;
      case 'cas': {
        const held = state === input.from;
        if (output === undefined) return held ? input.to : state;
        const ok = output.op === 'cas' && output.ok;
        if (ok !== held) return ILLEGAL;
        return held ? input.to : state;
      }
    }
  },
  equal: (a, b) => a === b,
  hash: hashScalar,
  describeOperation(input, output) {
    const result = output === undefined ? '?' : output.op === 'read' ? show(output.value) : output.op === 'cas' ? String(output.ok) : 'ok';
    switch (input.op) {
      case 'read':
        return `read() -> ${result}`;
      case 'write':
        return `write(${show(input.value)}) -> ${result}`;
      case 'cas':
        return `cas(${show(input.from)}, ${show(input.to)}) -> ${result}`;
    }
  },
  describeState: show,
};
