// A sequential specification the checker compares a concurrent history with.

/** What `Model.step` returns when the operation cannot take effect in that state with that output. */
export const ILLEGAL = Symbol('lincheck.illegal');
export type Illegal = typeof ILLEGAL;

/**
 * A deterministic-or-not sequential object. States must be treated as
 * immutable: the checker keeps old states to backtrack to and to cache.
 */
export interface Model<S, I, O> {
  readonly name: string;
  init(): S;
  /**
   * Apply `input` to `state` if it could have produced `output`; return the new
   * state or ILLEGAL. `output` is undefined for a pending operation (outcome
   * unknown): return the state after it takes effect, whatever it would have
   * returned.
   */
  step(state: S, input: I, output: O | undefined): S | Illegal;
  /** Equality of states; states that are equal must have equal hashes. */
  equal(a: S, b: S): boolean;
  /** A 32-bit hash of a state; it need not be perfect, only cheap and well spread. */
  hash(state: S): number;
  /**
   * When set, operations on different keys never affect each other, so the
   * history is checked one key at a time (each partition starting from init()).
   */
  partitionKey?(input: I): string;
  describeOperation(input: I, output: O | undefined): string;
  describeState(state: S): string;
}
