// A deliberately naive model of RaftStorage, written from the contract in
// types.ts and Raft §7 without sharing code with the storages: a Map of
// entries, each entry applied one at a time.
import fc from 'fast-check';
import type { Entry, PersistedState, SaveBatch, Snapshot } from '../../../../../src/manager/raft/types.js';
import { entry, hardState, snapshot } from './fixtures.js';

export class NaiveLog {
  #hardState = hardState(0, 0);
  #snapshot: Snapshot | null = null;
  readonly #log = new Map<number, Entry>();

  get snapshotIndex(): number {
    return this.#snapshot?.meta.index ?? 0;
  }

  lastIndex(): number {
    return Math.max(this.snapshotIndex, ...this.#log.keys());
  }

  termAt(index: number): number | undefined {
    return this.#log.get(index)?.term;
  }

  apply(batch: SaveBatch): void {
    const s = batch.snapshot;
    if (s && s.meta.index > this.snapshotIndex) {
      // §7: keep what follows the snapshot only if the log holds its last entry.
      const keepSuffix = this.#log.get(s.meta.index)?.term === s.meta.term;
      for (const index of [...this.#log.keys()]) {
        if (!keepSuffix || index <= s.meta.index) this.#log.delete(index);
      }
      this.#snapshot = s;
    }
    for (const e of batch.entries ?? []) {
      if (e.index <= this.snapshotIndex) continue;
      // The entry replaces its index and drops everything after it.
      for (const index of [...this.#log.keys()]) if (index >= e.index) this.#log.delete(index);
      this.#log.set(e.index, e);
    }
    if (batch.hardState) this.#hardState = batch.hardState;
  }

  state(): PersistedState {
    const entries = [...this.#log.values()].sort((a, b) => a.index - b.index);
    return { hardState: this.#hardState, snapshot: this.#snapshot, entries };
  }
}

/** Abstract operations; `concretize` turns them into valid calls for a given log. */
export type Op =
  | { readonly type: 'append'; readonly back: number; readonly count: number; readonly newTerm: boolean; readonly data: Uint8Array; readonly withHardState: boolean }
  | { readonly type: 'compact'; readonly back: number }
  | { readonly type: 'install'; readonly offset: number; readonly matchTerm: boolean; readonly follow: number; readonly data: Uint8Array }
  | { readonly type: 'hard-state'; readonly vote: boolean }
  | { readonly type: 'reopen' };

export const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      type: fc.constant('append' as const),
      back: fc.nat(4),
      count: fc.integer({ min: 1, max: 5 }),
      newTerm: fc.boolean(),
      data: fc.uint8Array({ maxLength: 12 }),
      withHardState: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('compact' as const), back: fc.nat(6) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('install' as const),
      offset: fc.integer({ min: -4, max: 3 }),
      matchTerm: fc.boolean(),
      follow: fc.oneof(fc.constant(0), fc.nat(3)),
      data: fc.uint8Array({ maxLength: 40 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('hard-state' as const), vote: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('reopen' as const) }) },
);

export type Step = { readonly kind: 'save'; readonly batch: SaveBatch } | { readonly kind: 'compact'; readonly snapshot: Snapshot } | { readonly kind: 'reopen' };

/** Tracks the current term across a run; terms only grow. */
export interface RunContext {
  term: number;
}

export function concretize(op: Op, model: NaiveLog, ctx: RunContext): Step {
  const last = model.lastIndex();
  switch (op.type) {
    case 'append': {
      if (op.newTerm) ctx.term++;
      const first = Math.max(1, last + 1 - op.back);
      const batch = Array.from({ length: op.count }, (_, i) => entry(first + i, ctx.term, i % 3 === 2 ? 'config' : 'normal', op.data));
      return { kind: 'save', batch: { entries: batch, ...(op.withHardState && { hardState: hardState(ctx.term, first - 1, 'm1') }) } };
    }
    case 'compact': {
      const index = Math.max(1, last - op.back);
      return { kind: 'compact', snapshot: snapshot(index, model.termAt(index) ?? ctx.term) };
    }
    case 'install': {
      const index = Math.max(1, last + op.offset);
      const term = op.matchTerm ? (model.termAt(index) ?? ctx.term) : ++ctx.term;
      const follow = Array.from({ length: op.follow }, (_, i) => entry(index + 1 + i, ctx.term));
      return { kind: 'save', batch: { snapshot: snapshot(index, term, op.data), entries: follow, hardState: hardState(ctx.term, index) } };
    }
    case 'hard-state':
      return { kind: 'save', batch: { hardState: hardState(ctx.term, Math.min(last, model.snapshotIndex + 1), op.vote ? 'm2' : null) } };
    case 'reopen':
      return { kind: 'reopen' };
  }
}
