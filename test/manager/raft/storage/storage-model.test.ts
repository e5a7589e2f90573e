// Quick-check properties: random save/compact/reopen sequences applied to each
// storage and to the naive model end in the same state (after a final reopen
// for LMDB). Comparisons throw (node:assert) so fast-check can shrink a failure.
import test from 'ava';
import fc from 'fast-check';
import { deepStrictEqual } from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LmdbRaftStorage } from '../../../../src/manager/raft/storage/lmdb-raft-storage.js';
import { MemoryRaftStorage } from '../../../../src/manager/raft/storage/memory-raft-storage.js';
import type { RaftStorage } from '../../../../src/manager/raft/types.js';
import { NaiveLog, concretize, opArb } from './helpers/naive-model.js';
import type { Op, RunContext } from './helpers/naive-model.js';

/** Runs `ops` on a storage and the model; returns the model's final state. */
async function run(ops: readonly Op[], storage: { current: RaftStorage }, reopen: () => Promise<void>): Promise<NaiveLog> {
  const model = new NaiveLog();
  const ctx: RunContext = { term: 1 };
  for (const op of ops) {
    const step = concretize(op, model, ctx);
    switch (step.kind) {
      case 'save':
        await storage.current.save(step.batch);
        model.apply(step.batch);
        break;
      case 'compact':
        await storage.current.compact(step.snapshot);
        model.apply({ snapshot: step.snapshot });
        break;
      case 'reopen':
        await reopen();
        break;
    }
  }
  return model;
}

test('LmdbRaftStorage matches the naive model across random operations and reopens', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'shoal-raft-prop-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  let runNo = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 25 }), async (ops) => {
      const dir = join(root, String(runNo++));
      const storage = { current: (await LmdbRaftStorage.open(dir)) as RaftStorage };
      try {
        const reopen = async (): Promise<void> => {
          await storage.current.close();
          storage.current = await LmdbRaftStorage.open(dir);
        };
        const model = await run(ops, storage, reopen);
        deepStrictEqual(await storage.current.load(), model.state(), 'before the final reopen');
        await reopen();
        deepStrictEqual(await storage.current.load(), model.state(), 'after the final reopen');
      } finally {
        await storage.current.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }),
    { numRuns: 120 },
  );
  t.pass();
});

test('MemoryRaftStorage matches the naive model across random operations', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), async (ops) => {
      const storage = new MemoryRaftStorage();
      const model = await run(ops, { current: storage }, async () => {
        await storage.close();
        storage.reopen();
      });
      deepStrictEqual(await storage.load(), model.state());
    }),
    { numRuns: 300 },
  );
  t.pass();
});
