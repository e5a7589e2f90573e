// A SaveBatch applied to a PersistedState held in memory: the pure core of
// MemoryRaftStorage, following the same log-rules as the LMDB storage.
import { asIndex, asTerm } from '../types.js';
import type { Entry, PersistedState, SaveBatch, Snapshot } from '../types.js';
import { checkBatchShape, planAppend, planSnapshot } from './log-rules.js';

export const EMPTY_STATE: PersistedState = {
  hardState: { term: asTerm(0), vote: null, commit: asIndex(0) },
  snapshot: null,
  entries: [],
};

/**
 * Returns the state after `batch`; throws (and changes nothing) on misuse.
 * Byte arrays are copied, so the caller may reuse its buffers, as with a disk.
 */
export function applySaveBatch(state: PersistedState, batch: SaveBatch): PersistedState {
  checkBatchShape(batch);
  let { snapshot, entries } = state;

  if (batch.snapshot) {
    const { meta } = batch.snapshot;
    const plan = planSnapshot(snapshot?.meta.index ?? null, entryAt(state, meta.index)?.term, meta);
    if (plan !== 'ignore') {
      snapshot = copySnapshot(batch.snapshot);
      entries = plan === 'keep-suffix' ? entries.filter((e) => e.index > meta.index) : [];
    }
  }

  if (batch.entries && batch.entries.length > 0) {
    const snapshotIndex = snapshot?.meta.index ?? 0;
    const plan = planAppend(snapshotIndex, entries.at(-1)?.index ?? snapshotIndex, batch.entries);
    const first = plan.entries[0];
    if (first !== undefined) {
      entries = [...entries.filter((e) => e.index < first.index), ...plan.entries.map(copyEntry)];
    }
  }

  return { hardState: batch.hardState ?? state.hardState, snapshot, entries };
}

function entryAt(state: PersistedState, index: number): Entry | undefined {
  const first = state.entries[0];
  return first === undefined ? undefined : state.entries[index - first.index];
}

function copyEntry(e: Entry): Entry {
  return { term: e.term, index: e.index, kind: e.kind, data: new Uint8Array(e.data) };
}

function copySnapshot(s: Snapshot): Snapshot {
  const { conf } = s.meta;
  return {
    meta: { index: s.meta.index, term: s.meta.term, conf: { voters: [...conf.voters], learners: [...conf.learners] } },
    data: new Uint8Array(s.data),
  };
}
