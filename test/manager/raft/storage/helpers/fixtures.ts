// Builders and temp dirs for the raft storage tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { open } from 'lmdb';
import type { Database, RootDatabase } from 'lmdb';
import { asNodeId } from '../../../../../src/api/ids.js';
import { ENTRIES_DB, STATE_DB, environmentOptions } from '../../../../../src/manager/raft/storage/lmdb-layout.js';
import { asIndex, asTerm } from '../../../../../src/manager/raft/types.js';
import type { Entry, EntryKind, HardState, Snapshot } from '../../../../../src/manager/raft/types.js';

/** A fresh directory under os.tmpdir(), removed when the test ends. */
export function tempDir(t: ExecutionContext, prefix = 'shoal-raft-storage-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The term kill-writer.ts writes every entry with. */
export const KILL_TERM = 3;

/** Deterministic bytes for entry `index`, so a reader can check contents. */
export function dataFor(index: number, size = 12): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (index * 31 + i * 7) & 0xff;
  return out;
}

export function entry(index: number, term: number, kind: EntryKind = 'normal', data: Uint8Array = dataFor(index)): Entry {
  return { index: asIndex(index), term: asTerm(term), kind, data };
}

export function entries(from: number, to: number, term: number): Entry[] {
  const out: Entry[] = [];
  for (let i = from; i <= to; i++) out.push(entry(i, term));
  return out;
}

export function hardState(term: number, commit: number, vote: string | null = null): HardState {
  return { term: asTerm(term), commit: asIndex(commit), vote: vote === null ? null : asNodeId(vote) };
}

export function snapshot(index: number, term: number, data: Uint8Array = dataFor(index, 32)): Snapshot {
  return {
    meta: { index: asIndex(index), term: asTerm(term), conf: { voters: [asNodeId('m1'), asNodeId('m2')], learners: [asNodeId('m3')] } },
    data,
  };
}

export interface RawLmdb {
  readonly root: RootDatabase<Buffer, string>;
  readonly entries: Database<Buffer, Buffer>;
  readonly state: Database<Buffer, string>;
}

/** Opens the storage's LMDB directly (close the storage first), to damage records. */
export async function withRawLmdb(dir: string, edit: (raw: RawLmdb) => Promise<void>): Promise<void> {
  const root = open<Buffer, string>(environmentOptions(dir, {}));
  const raw: RawLmdb = {
    root,
    entries: root.openDB<Buffer, Buffer>({ name: ENTRIES_DB, keyEncoding: 'binary', encoding: 'binary' }),
    state: root.openDB<Buffer, string>({ name: STATE_DB, encoding: 'binary' }),
  };
  try {
    await edit(raw);
  } finally {
    await root.close();
  }
}
