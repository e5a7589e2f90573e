// A small replicated key-value API over the Raft log, in the manner of
// etcd's raftexample: it proves and measures the log with real processes
// (test/e2e, bench/raft). Managers' certificates may call it.
import { defineContract, unary } from '../../../api/contract.js';
import * as s from '../../../api/schema.js';

const key = s.string({ min: 1, max: 1024 });
const value = s.string({ max: 1 << 20 });

export const KvContract = defineContract('Kv', {
  put: unary(s.object({ key, value }), s.object({ index: s.number({ int: true }) }), ['manager', 'local']),
  /** Linearizable: a ReadIndex round before reading. */
  get: unary(s.object({ key }), s.object({ value: s.nullable(value), index: s.number({ int: true }) }), ['manager', 'local']),
  /** Compare-and-set; `expected` null means "absent". */
  cas: unary(s.object({ key, expected: s.nullable(value), value }), s.object({ ok: s.boolean(), index: s.number({ int: true }) }), ['manager', 'local']),
  status: unary(
    s.object({}),
    s.object({
      id: s.string(),
      role: s.string(),
      term: s.number({ int: true }),
      leader: s.nullable(s.string()),
      commit: s.number({ int: true }),
      applied: s.number({ int: true }),
      voters: s.array(s.string()),
      snapshotsInstalled: s.number({ int: true }),
    }),
    ['manager', 'local'],
  ),
});
