// The obviously-correct checker the optimised one is compared with: try every
// choice of pending operations that took effect and every order of them and
// the completed ones; keep the orders that respect real time; run the model
// along each. Exponential: for histories of a handful of operations only.
import type { History, Model } from '../../../../src/manager/raft/lincheck/index.js';
import { ILLEGAL, isPending, precedes } from '../../../../src/manager/raft/lincheck/index.js';

function* permutations(items: readonly number[]): Generator<number[]> {
  if (items.length === 0) {
    yield [];
    return;
  }
  for (let i = 0; i < items.length; i++) {
    const rest = [...items.slice(0, i), ...items.slice(i + 1)];
    for (const p of permutations(rest)) yield [items[i] as number, ...p];
  }
}

function respectsRealTime<I, O>(history: History<I, O>, order: readonly number[]): boolean {
  for (let i = 0; i < order.length; i++) {
    for (let j = i + 1; j < order.length; j++) {
      const a = history[order[i] as number];
      const b = history[order[j] as number];
      if (a !== undefined && b !== undefined && precedes(b, a)) return false;
    }
  }
  return true;
}

/** Whether the model accepts the operations in this order, from its initial state. */
export function legalSequence<S, I, O>(model: Model<S, I, O>, history: History<I, O>, order: readonly number[]): boolean {
  let state = model.init();
  for (const index of order) {
    const op = history[index];
    if (op === undefined) return false;
    const next = model.step(state, op.input, isPending(op) ? undefined : op.output);
    if (next === ILLEGAL) return false;
    state = next;
  }
  return true;
}

/** A linearization of the whole history, or undefined if there is none. */
export function naiveLinearization<S, I, O>(model: Model<S, I, O>, history: History<I, O>): number[] | undefined {
  const completed = history.flatMap((op, i) => (isPending(op) ? [] : [i]));
  const pending = history.flatMap((op, i) => (isPending(op) ? [i] : []));
  for (let mask = 0; mask < 1 << pending.length; mask++) {
    const chosen = [...completed, ...pending.filter((_, bit) => (mask & (1 << bit)) !== 0)];
    for (const order of permutations(chosen)) {
      if (respectsRealTime(history, order) && legalSequence(model, history, order)) return order;
    }
  }
  return undefined;
}

/**
 * Whether `order` witnesses that the operations it holds are linearizable:
 * every completed one is there exactly once, real time is respected and the
 * model accepts the sequence.
 */
export function isWitness<S, I, O>(model: Model<S, I, O>, history: History<I, O>, indices: readonly number[], order: readonly number[]): boolean {
  const members = new Set(indices);
  if (new Set(order).size !== order.length || order.some((i) => !members.has(i))) return false;
  const placed = new Set(order);
  if (indices.some((i) => history[i] !== undefined && !isPending(history[i]) && !placed.has(i))) return false;
  return respectsRealTime(history, order) && legalSequence(model, history, order);
}
