// Shared test fixtures for the PKI tests: a fixed clock, seeded randomness
// and valid ids. Not a test file (ava runs *.test.ts only).
import { createHash } from 'node:crypto';
import { asNodeId, newObjectId, type NodeId } from '../../../src/api/ids.js';
import type { RandomBytes } from '../../../src/net/pki/keys.js';

/** 2025-01-01T00:00:00Z: every test runs at this instant unless it says otherwise. */
export const NOW = Date.UTC(2025, 0, 1);

/** Deterministic bytes: SHA-256 of (seed, counter) blocks. */
export function seededBytes(seed: string): RandomBytes {
  let counter = 0;
  return (size) => {
    const out = Buffer.alloc(size);
    for (let filled = 0; filled < size; filled += 32) {
      createHash('sha256').update(`${seed}:${counter++}`).digest().copy(out, filled);
    }
    return out;
  };
}

export function nodeId(seed: string): NodeId {
  return asNodeId(newObjectId(seededBytes(`node:${seed}`)));
}

export function clusterId(seed: string): string {
  return newObjectId(seededBytes(`cluster:${seed}`));
}
