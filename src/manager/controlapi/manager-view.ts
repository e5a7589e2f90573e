// What the control API needs to know of Raft, without seeing the driver.
export interface RaftMemberView {
  readonly id: string;
  readonly addr: string;
  readonly voter: boolean;
  readonly leader: boolean;
  readonly reachable: boolean;
  readonly match: number;
  readonly lag: number;
}

export interface ManagerView {
  /** Linearizable reads: resolves when this leader may answer a read. */
  readBarrier(): Promise<void>;
  member(id: string): RaftMemberView | undefined;
  members(): RaftMemberView[];
  /** Whether removing `id` from Raft keeps a quorum of reachable voters. */
  canRemove(id: string): boolean;
  status(): { term: number; leader: string | null; commit: number; applied: number };
}
