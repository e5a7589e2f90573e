// Parse a Jepsen etcd log (the `jepsen.util` lines; everything else is noise)
// into a register history. Times are line numbers. Outcomes:
//   :ok                     the operation returned this result;
//   :fail :cas [A B]        a definite failed cas (the register did not hold A);
//   :fail ... :timed-out    unknown outcome: pending;
//   :fail (anything else)   definitely did not take effect: dropped;
//   :info                   unknown outcome: pending;
//   no return line          pending.
import type { Operation } from './operation.js';
import type { ParseResult } from './parse-result.js';
import { OpenCalls, parseError } from './parse-result.js';
import type { RegisterInput, RegisterOutput, RegisterValue } from './register-model.js';

export type RegisterHistory = Operation<RegisterInput, RegisterOutput>[];

const LINE = /^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(\w+)\s+:(\w+)\s*(.*?)\s*$/;
const CAS_ARGS = /^\[\s*(\S+)\s+(\S+)\s*\]$/;

function value(text: string): RegisterValue | undefined {
  if (text === 'nil') return null;
  if (/^-?\d+$/.test(text)) return Number(text);
  return undefined;
}

function casArgs(text: string): { from: RegisterValue; to: RegisterValue } | undefined {
  const m = CAS_ARGS.exec(text);
  const from = m?.[1] === undefined ? undefined : value(m[1]);
  const to = m?.[2] === undefined ? undefined : value(m[2]);
  return from === undefined || to === undefined ? undefined : { from, to };
}

function parseInvoke(f: string, arg: string): RegisterInput | string {
  switch (f) {
    case 'read':
      return { op: 'read' };
    case 'write': {
      const v = value(arg);
      return v === undefined ? `bad write value ${JSON.stringify(arg)}` : { op: 'write', value: v };
    }
    case 'cas': {
      const a = casArgs(arg);
      return a === undefined ? `bad cas arguments ${JSON.stringify(arg)}` : { op: 'cas', ...a };
    }
    default:
      return `unknown operation :${f}`;
  }
}

/** The result of an :ok return; a string is an error message. */
function parseOk(f: string, arg: string): RegisterOutput | string {
  switch (f) {
    case 'read': {
      const v = value(arg);
      return v === undefined ? `bad read value ${JSON.stringify(arg)}` : { op: 'read', value: v };
    }
    case 'write':
      return { op: 'write' };
    case 'cas':
      return { op: 'cas', ok: true };
    default:
      return `unknown operation :${f}`;
  }
}

export function parseJepsenEtcdLog(text: string): ParseResult<RegisterHistory> {
  const open = new OpenCalls<RegisterInput>();
  // Operations in call order; a slot is null once its operation is dropped.
  const slots: (Operation<RegisterInput, RegisterOutput> | null)[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i] ?? '';
    if (!/\bjepsen\.util\b/.test(line)) continue;
    const m = LINE.exec(line);
    if (m === null) return parseError(lineNo, `unrecognised jepsen.util line: ${line}`);
    const [, proc = '', type = '', f = '', arg = ''] = m;
    const client = Number(proc);
    if (type === 'invoke') {
      if (open.has(client)) return parseError(lineNo, `process ${client} invokes again before its last call returned`);
      const input = parseInvoke(f, arg);
      if (typeof input === 'string') return parseError(lineNo, input);
      open.add(client, input, lineNo, slots.length);
      slots.push({ clientId: client, input, call: lineNo, pending: true });
      continue;
    }
    const call = open.take(client);
    if (call === undefined) return parseError(lineNo, `process ${client} returns (:${type}) without a call`);
    if (call.input.op !== f) return parseError(lineNo, `process ${client} called :${call.input.op} but returns :${f}`);
    const base = { clientId: client, input: call.input, call: call.call };
    switch (type) {
      case 'ok': {
        const output = parseOk(f, arg);
        if (typeof output === 'string') return parseError(lineNo, output);
        slots[call.slot] = { ...base, output, return: lineNo };
        break;
      }
      case 'fail':
        if (f === 'cas' && casArgs(arg) !== undefined) slots[call.slot] = { ...base, output: { op: 'cas', ok: false }, return: lineNo };
        else if (arg !== ':timed-out') slots[call.slot] = null;
        // a timed-out call stays pending
        break;
      case 'info':
        break; // outcome unknown: stays pending
      default:
        return parseError(lineNo, `unknown event type :${type}`);
    }
  }
  return { ok: true, value: slots.filter((op) => op !== null) };
}
