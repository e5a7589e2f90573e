import test from 'ava';
import fc from 'fast-check';
import type { NodeId } from '../../../src/api/ids.js';
import { chooseSlotsToRemove, type ScaleDownCandidate } from '../../../src/manager/orchestrator/scale-down.js';

const noNode = () => undefined;

test('property: removing k running replicas leaves the smallest possible largest node', (t) => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 40 }), fc.nat(), (nodes, kSeed) => {
      const cands: ScaleDownCandidate[] = nodes.map((n, i) => ({ slot: i + 1, nodeId: `n${n}` as NodeId, running: true }));
      const k = kSeed % (cands.length + 1);
      const removed = new Set(chooseSlotsToRemove(cands, k, [], noNode));
      if (removed.size !== k) return false;
      const left = new Map<string, number>();
      for (const c of cands) if (!removed.has(c.slot)) left.set(c.nodeId ?? '', (left.get(c.nodeId ?? '') ?? 0) + 1);
      const maxLeft = Math.max(0, ...left.values());
      // The naive bound: the least L with sum(min(count, L)) >= n - k.
      const counts = new Map<string, number>();
      for (const c of cands) counts.set(c.nodeId ?? '', (counts.get(c.nodeId ?? '') ?? 0) + 1);
      let best = 0;
      while ([...counts.values()].reduce((s, c) => s + Math.min(c, best), 0) < cands.length - k) best++;
      return maxLeft === best;
    }),
  );
  t.pass();
});

test('unplaced first, then not running, whatever the node balance', (t) => {
  const cands: ScaleDownCandidate[] = [
    { slot: 1, nodeId: 'a' as NodeId, running: true },
    { slot: 2, nodeId: 'a' as NodeId, running: true },
    { slot: 3, nodeId: 'b' as NodeId, running: false },
    { slot: 4, running: false },
  ];
  t.deepEqual(chooseSlotsToRemove(cands, 3, [], noNode), [4, 3, 2]);
  t.deepEqual(chooseSlotsToRemove(cands, 0, [], noNode), []);
});
