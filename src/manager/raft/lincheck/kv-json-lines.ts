// shoal's own history format, for client histories recorded by the Raft
// simulator and by real clusters: JSON Lines, one operation of the kv model a
// line, e.g.
//   {"clientId":"c1","input":{"op":"put","key":"a","value":"1"},"call":10,"output":{"op":"put"},"return":12}
//   {"clientId":"c2","input":{"op":"get","key":"a"},"call":11,"pending":true}
import type { Schema } from '../../../api/schema.js';
import * as s from '../../../api/schema.js';
import type { KvInput, KvOutput } from './kv-model.js';
import type { ClientId, Operation } from './operation.js';
import { isPending } from './operation.js';
import type { ParseResult } from './parse-result.js';
import { parseError } from './parse-result.js';

export type KvHistory = Operation<KvInput, KvOutput>[];

const clientId: Schema<ClientId> = {
  expected: 'a string or a number',
  check: (v, path) => (typeof v === 'string' || typeof v === 'number' ? { ok: true, value: v } : { ok: false, path, expected: 'a string or a number', got: s.describeValue(v) }),
};

const input = s.tagged('op', {
  get: s.object({ key: s.string() }),
  put: s.object({ key: s.string(), value: s.string() }),
  delete: s.object({ key: s.string() }),
  cas: s.object({ key: s.string(), expected: s.nullable(s.string()), value: s.string() }),
});

const output = s.tagged('op', {
  get: s.object({ value: s.nullable(s.string()) }),
  put: s.object({}),
  delete: s.object({}),
  cas: s.object({ ok: s.boolean() }),
});

const line = s.object({
  clientId,
  input,
  call: s.number(),
  output: s.optional(output),
  return: s.optional(s.number()),
  pending: s.optional(s.literal(true)),
});

export function parseKvJsonLines(text: string): ParseResult<KvHistory> {
  const history: KvHistory = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? '').trim();
    if (raw === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      return parseError(i + 1, `not JSON: ${(err as Error).message}`);
    }
    const r = line.check(value, '');
    if (!r.ok) return parseError(i + 1, s.formatFailure(r, 'operation'));
    const op = r.value;
    const base = { clientId: op.clientId, input: op.input, call: op.call };
    if (op.pending === true) {
      if (op.output !== undefined || op.return !== undefined) return parseError(i + 1, 'a pending operation has no output or return');
      history.push({ ...base, pending: true });
    } else {
      if (op.output === undefined || op.return === undefined) return parseError(i + 1, 'an operation needs output and return, or pending: true');
      if (op.output.op !== op.input.op) return parseError(i + 1, `a ${op.input.op} operation cannot return a ${op.output.op} result`);
      history.push({ ...base, output: op.output, return: op.return });
    }
  }
  return { ok: true, value: history };
}

export function formatKvJsonLines(history: readonly Operation<KvInput, KvOutput>[]): string {
  return history
    .map((op) =>
      JSON.stringify(
        isPending(op)
          ? { clientId: op.clientId, input: op.input, call: op.call, pending: true }
          : { clientId: op.clientId, input: op.input, call: op.call, output: op.output, return: op.return },
      ),
    )
    .map((l) => `${l}\n`)
    .join('');
}
