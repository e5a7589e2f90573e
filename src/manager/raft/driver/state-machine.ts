import type { LogIndex } from '../types.js';

/** What a driver replicates into: applied in log order, identically on every member. */
export interface StateMachine {
  /**
   * Apply one committed command. Deterministic. What it returns resolves the
   * proposer's promise on the member that proposed it.
   */
  apply(index: LogIndex, command: Uint8Array): unknown;
  /** The state as of the last applied index, for a Raft snapshot. */
  snapshot(): Uint8Array;
  /** Replace the whole state with a snapshot taken at `index`. */
  restore(data: Uint8Array, index: LogIndex): void;
}
