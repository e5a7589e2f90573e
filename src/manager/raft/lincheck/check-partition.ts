// Wing & Gong's depth-first search for a linearization of one partition, with
// Lowe's cache of explored configurations, as in Porcupine's checker.
//
// The list holds the events not yet linearized, in time order. Walking it from
// the head, a call may be linearized next (if the model accepts it and the
// configuration it leads to is new); a return stops the walk, because its
// operation must take effect before anything called later. On a return we
// backtrack: undo the last linearized operation and try the one after it.
import { invariant } from '../../../api/errors.js';
import type { Budget, ExhaustedReason } from './budget.js';
import { EventList, NIL } from './event-list.js';
import { combine, mix32 } from './hash.js';
import type { Model } from './model.js';
import { ILLEGAL } from './model.js';
import type { Operation } from './operation.js';
import { isPending } from './operation.js';
import { StateCache } from './state-cache.js';

/** Indices below are into the partition's operation array. */
export type PartitionOutcome<S> =
  | {
      readonly verdict: 'linearizable';
      /** The order the operations took effect in; pending operations missing from it never did. */
      readonly order: readonly number[];
    }
  | {
      readonly verdict: 'not-linearizable';
      /** The longest sequence of operations that could be linearized, in order. */
      readonly longest: readonly number[];
      /** The model's state after `longest`. */
      readonly stateAfter: S;
      /** After `longest`, this operation's return was reached without it taking effect... */
      readonly blockedBy: number;
      /** ...because none of these operations (called before it returned) could take effect next. */
      readonly candidates: readonly number[];
    }
  | { readonly verdict: 'unknown'; readonly reason: ExhaustedReason };

interface Deepest<S> {
  longest: number[];
  stateAfter: S;
  blockedBy: number;
  candidates: number[];
}

/** A distinct 32-bit value per operation; the linearized set hashes to the XOR of its members'. */
function zobrist(op: number): number {
  return mix32(Math.imul(op + 1, 0x9e3779b9));
}

export function checkPartition<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly Operation<I, O>[],
  budget: Budget,
): PartitionOutcome<S> {
  const n = ops.length;
  const inputs = ops.map((op) => op.input);
  const outputs = ops.map((op) => (isPending(op) ? undefined : op.output));
  const hasReturn = ops.map((op) => !isPending(op));
  const keys = Int32Array.from(ops, (_, i) => zobrist(i));
  let completedLeft = hasReturn.filter(Boolean).length;

  const list = new EventList(ops);
  const cache = new StateCache<S>((a, b) => model.equal(a, b));
  const linearized = new Uint32Array((n + 31) >>> 5);
  let setHash = 0;
  // The operations linearized so far, and the state before each.
  const stackOps = new Int32Array(n);
  const stackStates: S[] = [];
  let depth = 0;
  let state = model.init();
  let deepest: Deepest<S> | undefined;

  let node = list.first();
  // Invariant: while a completed operation is left, a return is left, so the
  // walk meets a return before the end of the list; node is never NIL here.
  while (completedLeft > 0) {
    const exhausted = budget.spend();
    if (exhausted !== undefined) return { verdict: 'unknown', reason: exhausted };
    const op = EventList.opOf(node);
    if (EventList.isCall(node)) {
      const next = model.step(state, inputs[op] as I, outputs[op]);
      // A pending operation that leaves the state as it is may as well never
      // take effect: its output is unconstrained and nothing waits for it.
      // Skipping it keeps pending reads from doubling the search space.
      if (next !== ILLEGAL && (hasReturn[op] === true || !model.equal(next, state))) {
        const word = op >>> 5;
        const bit = 1 << (op & 31);
        linearized[word] = (linearized[word] ?? 0) | bit;
        const nextSetHash = setHash ^ (keys[op] ?? 0);
        if (cache.maybeAdd(combine(nextSetHash, model.hash(next)), linearized, next)) {
          stackOps[depth] = op;
          stackStates[depth] = state;
          depth++;
          state = next;
          setHash = nextSetHash;
          list.lift(op, hasReturn[op] === true);
          if (hasReturn[op] === true) completedLeft--;
          node = list.first();
          continue;
        }
        linearized[word] = (linearized[word] ?? 0) & ~bit;
      }
      node = list.nextOf(node);
    } else {
      if (deepest === undefined || depth > deepest.longest.length) {
        deepest = {
          longest: Array.from(stackOps.subarray(0, depth)),
          stateAfter: state,
          blockedBy: op,
          candidates: callsBefore(list, node),
        };
      }
      if (depth === 0) return { verdict: 'not-linearizable', ...deepest };
      depth--;
      const undone = stackOps[depth] ?? 0;
      state = stackStates[depth] as S;
      linearized[undone >>> 5] = (linearized[undone >>> 5] ?? 0) & ~(1 << (undone & 31));
      setHash ^= keys[undone] ?? 0;
      list.unlift(undone, hasReturn[undone] === true);
      if (hasReturn[undone] === true) completedLeft++;
      node = list.nextOf(2 * undone);
    }
    invariant(node !== NIL, 'lincheck walked off the event list');
  }
  return { verdict: 'linearizable', order: Array.from(stackOps.subarray(0, depth)) };
}

/** The operations whose calls are in the list before `stop`. */
function callsBefore(list: EventList, stop: number): number[] {
  const out: number[] = [];
  for (let node = list.first(); node !== stop && node !== NIL; node = list.nextOf(node)) {
    if (EventList.isCall(node)) out.push(EventList.opOf(node));
  }
  return out;
}
