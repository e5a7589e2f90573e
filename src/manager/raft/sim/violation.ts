// What the simulator reports when a run goes wrong. The first violation ends
// the run; its kind names the property that broke.

export type ViolationKind =
  /** Two leaders in one term (§5.2). */
  | 'election-safety'
  /** Two logs hold the same (index, term) with different entries or prefixes (§5.3). */
  | 'log-matching'
  /** A leader overwrote or dropped an entry of its own log in its term (§5.3). */
  | 'leader-append-only'
  /** A leader lacks an entry committed in an earlier term (§5.4). */
  | 'leader-completeness'
  /** Two members applied different entries, or reached different states, at one index (§5.4.3). */
  | 'state-machine-safety'
  /** A member restarted without what its messages promised (term, vote, acknowledged entries). */
  | 'durability'
  /** RaftNode.checkInvariants threw, or the core broke the driver contract. */
  | 'core-invariant'
  /** Storage refused a batch the driver gave it. */
  | 'storage'
  /** After healing: no leader, no progress, or an acknowledged write missing on a live member. */
  | 'liveness'
  /** The client history is not linearizable. */
  | 'linearizability';

export class SimViolation extends Error {
  readonly kind: ViolationKind;
  constructor(kind: ViolationKind, message: string) {
    super(`${kind}: ${message}`);
    this.name = 'SimViolation';
    this.kind = kind;
  }
}

/** Throws a violation of `kind` unless `condition` holds. */
export function check(condition: unknown, kind: ViolationKind, message: () => string): asserts condition {
  if (!condition) throw new SimViolation(kind, message());
}
