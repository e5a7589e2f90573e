// Parse Porcupine's key-value histories: one EDN-like map a line,
//   {:process P, :type :invoke|:ok|:fail|:info, :f :get|:put|:append, :key "K", :value nil|"V"}
// Times are line numbers. :fail drops the operation (it did not take effect);
// :info and a call with no return leave it pending.
import type { AppendKvInput, AppendKvOutput } from './append-kv-model.js';
import type { Operation } from './operation.js';
import type { ParseResult } from './parse-result.js';
import { OpenCalls, parseError } from './parse-result.js';

export type AppendKvHistory = Operation<AppendKvInput, AppendKvOutput>[];

const STRING = String.raw`"(?:[^"\\]|\\.)*"`;
const LINE = new RegExp(
  String.raw`^\{:process (\d+), :type :(\w+), :f :(\w+), :key (${STRING}), :value (nil|${STRING})\}$`,
);

function unquote(s: string): string {
  return s.slice(1, -1).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

function parseInvoke(f: string, key: string, value: string | null): AppendKvInput | string {
  switch (f) {
    case 'get':
      return { op: 'get', key };
    case 'put':
    case 'append':
      return value === null ? `:${f} needs a string value` : { op: f, key, value };
    default:
      return `unknown operation :${f}`;
  }
}

export function parseKvEdn(text: string): ParseResult<AppendKvHistory> {
  const open = new OpenCalls<AppendKvInput>();
  const slots: (Operation<AppendKvInput, AppendKvOutput> | null)[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    const m = LINE.exec(line);
    if (m === null) return parseError(lineNo, `unrecognised line: ${line}`);
    const [, proc = '', type = '', f = '', rawKey = '""', rawValue = 'nil'] = m;
    const client = Number(proc);
    const key = unquote(rawKey);
    const value = rawValue === 'nil' ? null : unquote(rawValue);
    if (type === 'invoke') {
      if (open.has(client)) return parseError(lineNo, `process ${client} invokes again before its last call returned`);
      const input = parseInvoke(f, key, value);
      if (typeof input === 'string') return parseError(lineNo, input);
      open.add(client, input, lineNo, slots.length);
      slots.push({ clientId: client, input, call: lineNo, pending: true });
      continue;
    }
    const call = open.take(client);
    if (call === undefined) return parseError(lineNo, `process ${client} returns (:${type}) without a call`);
    if (call.input.op !== f || call.input.key !== key) {
      return parseError(lineNo, `process ${client} called :${call.input.op} on ${JSON.stringify(call.input.key)} but returns :${f} on ${JSON.stringify(key)}`);
    }
    const base = { clientId: client, input: call.input, call: call.call };
    switch (type) {
      case 'ok':
        if (call.input.op === 'get') {
          if (value === null) return parseError(lineNo, `:get returns nil: expected a string`);
          slots[call.slot] = { ...base, output: { op: 'get', value }, return: lineNo };
        } else {
          slots[call.slot] = { ...base, output: { op: call.input.op }, return: lineNo };
        }
        break;
      case 'fail':
        slots[call.slot] = null;
        break;
      case 'info':
        break; // outcome unknown: stays pending
      default:
        return parseError(lineNo, `unknown event type :${type}`);
    }
  }
  return { ok: true, value: slots.filter((op) => op !== null) };
}
