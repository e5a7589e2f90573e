// Quick-check properties: the clever code against a naive version.
import test from 'ava';
import fc from 'fast-check';
import { asIndex, asTerm } from '../../../../src/manager/raft/types.js';
import type { MemberId } from '../../../../src/manager/raft/types.js';
import { committedIndex, hasQuorum, majority, voteResult } from '../../../../src/manager/raft/core/quorum.js';
import { Inflights } from '../../../../src/manager/raft/core/inflights.js';
import { RaftLog } from '../../../../src/manager/raft/core/raft-log.js';
import { EMPTY, entriesWithTerms, id } from './harness.js';

const matches = fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 0, maxLength: 9 });

test('committedIndex is the largest index that a majority of voters hold', (t) => {
  fc.assert(
    fc.property(matches, (ms) => {
      const voters = ms.map((_, i) => id(i + 1));
      const match = (v: MemberId): number => ms[voters.indexOf(v)] ?? 0;
      // Naive: try every index from the top.
      let naive = 0;
      if (ms.length > 0) {
        for (let idx = 20; idx >= 0; idx--) {
          if (ms.filter((m) => m >= idx).length >= majority(ms.length)) {
            naive = idx;
            break;
          }
        }
      }
      return committedIndex(voters, match) === naive;
    }),
  );
  t.pass();
});

test('voteResult agrees with counting grants and possible grants', (t) => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom<boolean | null>(true, false, null), { minLength: 1, maxLength: 9 }), (vs) => {
      const voters = new Set(vs.map((_, i) => id(i + 1)));
      const votes = new Map<MemberId, boolean>();
      vs.forEach((v, i) => {
        if (v !== null) votes.set(id(i + 1), v);
      });
      const yes = vs.filter((v) => v === true).length;
      const maybe = vs.filter((v) => v !== false).length;
      const q = Math.floor(vs.length / 2) + 1;
      const naive = yes >= q ? 'won' : maybe < q ? 'lost' : 'pending';
      return voteResult(voters, votes) === naive && hasQuorum(voters, (v) => votes.get(v) === true) === (yes >= q);
    }),
  );
  t.pass();
});

test('Inflights behaves like a plain queue bounded by count and bytes', (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 0, max: 50 }),
      fc.array(fc.oneof(fc.record({ add: fc.integer({ min: 1, max: 20 }) }), fc.record({ free: fc.integer({ min: 0, max: 10 }) })), { maxLength: 60 }),
      (maxCount, maxBytes, ops) => {
        const inf = new Inflights(maxCount, maxBytes);
        let model: { index: number; bytes: number }[] = [];
        let next = 1;
        for (const op of ops) {
          const full = model.length >= maxCount || (maxBytes > 0 && model.reduce((n, e) => n + e.bytes, 0) >= maxBytes);
          if (inf.full() !== full) return false;
          if ('add' in op) {
            if (full) continue;
            inf.add(asIndex(next), op.add);
            model.push({ index: next, bytes: op.add });
            next += 1;
          } else {
            const upTo = next - 1 - op.free;
            inf.freeLE(asIndex(upTo));
            model = model.filter((e) => e.index > upTo);
          }
          if (inf.size !== model.length || inf.totalBytes !== model.reduce((n, e) => n + e.bytes, 0)) return false;
        }
        return true;
      },
    ),
  );
  t.pass();
});

test('findConflictByTerm returns the last index <= i whose term is <= the given term', (t) => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 15 }),
      fc.integer({ min: 0, max: 20 }),
      fc.integer({ min: 0, max: 10 }),
      (steps, index, term) => {
        // Non-decreasing terms, as in any Raft log.
        let cur = 1;
        const terms = steps.map((s) => (cur += s));
        const log = new RaftLog({ ...EMPTY, entries: entriesWithTerms(1, ...terms) });
        let naive = { index: 0, term: 0 };
        for (let i = Math.min(index, terms.length); i >= 1; i--) {
          const ti = terms[i - 1] ?? 0;
          if (ti <= term) {
            naive = { index: i, term: ti };
            break;
          }
        }
        const got = log.findConflictByTerm(index, asTerm(term));
        return got.index === naive.index && got.term === naive.term;
      },
    ),
  );
  t.pass();
});
