// Explanations a person can act on: what a check decided and, when a history
// is not linearizable, how far it could be explained and where it got stuck.
import type { CheckResult, Failure } from './check.js';
import type { Model } from './model.js';
import { ILLEGAL } from './model.js';
import type { History } from './operation.js';
import { isPending } from './operation.js';

export interface ExplainOptions {
  /** Show at most this many operations at the end of the longest prefix (default 10). */
  readonly prefixTail?: number;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** One line for an operation: `#12 client 3 [10, 14] put("k", "v") -> ok`. */
export function describeOperation<S, I, O>(model: Model<S, I, O>, history: History<I, O>, index: number): string {
  const op = history[index];
  if (op === undefined) return `#${index} (no such operation)`;
  const pending = isPending(op);
  const span = `[${op.call}, ${pending ? 'pending' : op.return}]`;
  return `#${index} client ${op.clientId} ${span} ${model.describeOperation(op.input, pending ? undefined : op.output)}`;
}

/** The lines explaining why a partition is not linearizable. */
export function explainFailure<S, I, O>(
  model: Model<S, I, O>,
  history: History<I, O>,
  failure: Failure<S>,
  options: ExplainOptions = {},
): string[] {
  const tail = options.prefixTail ?? 10;
  const where = failure.key === undefined ? 'the history' : `key ${JSON.stringify(failure.key)}`;
  const lines = [`${where} (${plural(failure.operations.length, 'operation')}) is not linearizable.`];
  const n = failure.longest.length;
  lines.push(`The longest linearizable prefix found has ${plural(n, 'operation')} and leaves the state ${model.describeState(failure.stateAfter)}:`);
  if (n > tail) lines.push(`    ... ${n - tail} earlier operations`);
  failure.longest.slice(Math.max(0, n - tail)).forEach((index, i) => {
    lines.push(`  ${String(Math.max(0, n - tail) + i + 1).padStart(4)}. ${describeOperation(model, history, index)}`);
  });
  lines.push(`Next, ${describeOperation(model, history, failure.blockedBy)}`);
  lines.push(`  must take effect before it returns, but none of the operations called by then can take effect next:`);
  for (const index of failure.candidates) {
    lines.push(`    ${describeOperation(model, history, index)}: ${why(model, history, failure.stateAfter, index)}`);
  }
  return lines;
}

function why<S, I, O>(model: Model<S, I, O>, history: History<I, O>, state: S, index: number): string {
  const op = history[index];
  if (op === undefined) return 'no such operation';
  const pending = isPending(op);
  const next = model.step(state, op.input, pending ? undefined : op.output);
  if (next === ILLEGAL) return 'impossible in this state';
  if (pending && model.equal(next, state)) return 'would change nothing';
  return `possible (state becomes ${model.describeState(next)}) but every way on from there fails`;
}

/** A one-line verdict followed, when not linearizable, by the explanation. */
export function explainResult<S, I, O>(
  model: Model<S, I, O>,
  history: History<I, O>,
  result: CheckResult<S>,
  options: ExplainOptions = {},
): string {
  const { operations, partitions, steps } = result.stats;
  const stats = `${model.name} model, ${plural(operations, 'operation')}, ${plural(partitions, 'partition')}, ${plural(steps, 'step')}`;
  switch (result.verdict) {
    case 'linearizable':
      return `linearizable (${stats})`;
    case 'unknown': {
      const keys = result.undecided.map((k) => (k === undefined ? 'the history' : JSON.stringify(k)));
      const budget = result.reason === 'timeout' ? 'the time budget' : 'the step limit';
      return `unknown: ${budget} ran out before ${keys.join(', ')} could be decided (${stats})`;
    }
    case 'not-linearizable':
      return [`not linearizable (${stats})`, ...explainFailure(model, history, result.failure, options).map((l) => `  ${l}`)].join('\n');
  }
}
