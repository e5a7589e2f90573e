// An operation as a client saw it: when it called, what it asked, and either
// when it returned and what it got back, or nothing at all (pending).

/** Who issued an operation: a process number, a client name... Only used in explanations. */
export type ClientId = string | number;

/** An operation that returned: it took effect at one instant in [call, return]. */
export interface CompletedOperation<I, O> {
  readonly clientId: ClientId;
  readonly input: I;
  readonly call: number;
  readonly output: O;
  readonly return: number;
}

/**
 * An operation whose outcome is unknown (it never returned, or timed out): it
 * may take effect at any instant after `call` (as if its return were at
 * infinity and its output unconstrained), or never.
 */
export interface PendingOperation<I> {
  readonly clientId: ClientId;
  readonly input: I;
  readonly call: number;
  readonly pending: true;
}

export type Operation<I, O> = CompletedOperation<I, O> | PendingOperation<I>;

/** A history is a list of operations in any order; indices into it name operations in results. */
export type History<I, O> = readonly Operation<I, O>[];

export function isPending<I, O>(op: Operation<I, O>): op is PendingOperation<I> {
  return 'pending' in op;
}

/**
 * Whether `a` must take effect before `b` in every linearization: `a` returned
 * strictly before `b` was called. Intervals are closed, so an operation that
 * returns at the very time another is called is concurrent with it.
 */
export function precedes<I, O>(a: Operation<I, O>, b: Operation<I, O>): boolean {
  return !isPending(a) && a.return < b.call;
}
