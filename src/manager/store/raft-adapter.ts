// The store's link to Raft: the store as the log's state machine, and a
// Proposer that commits change sets through the driver. The store sees Raft
// through this narrow pair only (STYLE.md rule 4).
import { decode, encode } from 'cbor-x';
import { ShoalError } from '../../api/errors.js';
import type { StateMachine } from '../raft/driver/state-machine.js';
import type { ChangeSet } from './actions.js';
import { changeSetSchema } from './actions.js';
import type { ApplyResult, MemoryStore, StoreSnapshot } from './memory-store.js';
import type { Proposer } from './store.js';

/** Docker's words when no leader can be reached. */
export const NO_LEADER_MESSAGE = "The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online.";

export class StoreStateMachine implements StateMachine {
  constructor(private readonly memory: MemoryStore) {}

  apply(index: number, command: Uint8Array): ApplyResult {
    const r = changeSetSchema.check(decode(command), '');
    // Our own leader wrote this entry; a shape error is a bug or corruption.
    if (!r.ok) throw new Error(`raft entry ${index} is not a store change set: ${r.path} ${r.expected}`);
    return this.memory.apply(index, r.value);
  }

  snapshot(): Uint8Array {
    return new Uint8Array(encode(this.memory.snapshot()));
  }

  restore(data: Uint8Array): void {
    this.memory.restore(decode(data) as StoreSnapshot);
  }
}

export interface RaftProposeTarget {
  propose(command: Uint8Array): Promise<{ readonly index: number; readonly result: unknown }>;
}

export class RaftProposer implements Proposer {
  constructor(private readonly raft: RaftProposeTarget) {}

  async propose(changes: ChangeSet): Promise<ApplyResult> {
    let out: { result: unknown };
    try {
      out = await this.raft.propose(new Uint8Array(encode(changes)));
    } catch (err) {
      if (err instanceof ShoalError && err.code === 'Unavailable' && /no leader|election/.test(err.message)) throw new ShoalError('Unavailable', NO_LEADER_MESSAGE);
      throw err;
    }
    return out.result as ApplyResult;
  }
}
