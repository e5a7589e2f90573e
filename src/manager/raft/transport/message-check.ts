// Raft messages arrive from the network as `unknown`; this checks their
// shape before the core sees them.
import * as s from '../../../api/schema.js';
import type { Message } from '../core/index.js';

const id = s.string({ min: 1, max: 128 });
const n = s.number({ int: true, min: 0 });
const entry = s.object({ term: n, index: n, kind: s.literal('normal', 'config'), data: s.bytes() });
const conf = s.object({ voters: s.array(id, { max: 1000 }), learners: s.array(id, { max: 1000 }) });
const snapshot = s.object({ meta: s.object({ index: n, term: n, conf }), data: s.bytes() });
const base = { from: id, to: id, term: n };
const ctx = s.nullable(s.bytes({ max: 1024 }));

const messageSchema = s.tagged('type', {
  'pre-vote': s.object({ ...base, lastIndex: n, lastTerm: n }),
  'pre-vote-response': s.object({ ...base, reject: s.boolean() }),
  vote: s.object({ ...base, lastIndex: n, lastTerm: n, transfer: s.boolean() }),
  'vote-response': s.object({ ...base, reject: s.boolean() }),
  append: s.object({ ...base, prevIndex: n, prevTerm: n, entries: s.array(entry), commit: n }),
  'append-response': s.object({ ...base, index: n, reject: s.nullable(s.object({ hintIndex: n, hintTerm: n })) }),
  heartbeat: s.object({ ...base, commit: n, context: ctx }),
  'heartbeat-response': s.object({ ...base, context: ctx }),
  snapshot: s.object({ ...base, snapshot }),
  propose: s.object({ ...base, entries: s.array(s.object({ kind: s.literal('normal', 'config'), data: s.bytes() })) }),
  'read-index': s.object({ ...base, context: s.bytes({ max: 1024 }) }),
  'read-index-response': s.object({ ...base, index: n, context: s.bytes({ max: 1024 }) }),
  'timeout-now': s.object(base),
});

/** The message, or a reason it is not one. */
export function checkMessage(value: unknown): { ok: true; message: Message } | { ok: false; reason: string } {
  const r = messageSchema.check(value, '');
  if (!r.ok) return { ok: false, reason: s.formatFailure(r, 'raft message') };
  // The schema checked every field the core reads; ids and numbers are the
  // branded kinds by construction.
  return { ok: true, message: r.value as unknown as Message };
}
