// Manager to manager: Raft messages, batched, and snapshots in chunks on a
// connection of their own. Messages travel as CBOR bytes the Raft transport
// checks itself (it knows their shapes; the API layer does not).
import { defineContract, unary } from '../contract.js';
import * as s from '../schema.js';

export const SNAPSHOT_CHUNK_BYTES = 1 << 20;

export const RaftContract = defineContract('Raft', {
  /** A batch of Raft messages from the calling manager, in order. */
  step: unary(s.object({ batch: s.bytes({ max: 64 << 20 }) }), s.object({}), ['manager']),
  /** One chunk of a snapshot message; the last chunk delivers it. */
  snapshotChunk: unary(
    s.object({
      /** Identifies the transfer: sender-chosen, unique per snapshot. */
      transfer: s.string({ min: 1, max: 64 }),
      offset: s.number({ int: true, min: 0 }),
      total: s.number({ int: true, min: 1, max: 8 * 1024 ** 3 }),
      data: s.bytes({ max: SNAPSHOT_CHUNK_BYTES }),
    }),
    s.object({}),
    ['manager'],
  ),
});
