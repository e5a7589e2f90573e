// Check a whole history: split it into independent partitions (by the model's
// key, when it has one), search each, and combine the verdicts. A verdict of
// "linearizable" or "not-linearizable" is always right; when the budget runs
// out first the verdict is "unknown", never a guess.
import { ShoalError } from '../../../api/errors.js';
import type { BudgetLimits, ExhaustedReason } from './budget.js';
import { Budget } from './budget.js';
import { checkPartition } from './check-partition.js';
import type { Model } from './model.js';
import type { History } from './operation.js';
import { isPending } from './operation.js';

export type CheckOptions = BudgetLimits;

/** All operation numbers below are indices into the history given to checkHistory. */
export interface PartitionLinearization {
  /** The partition's key, or undefined when the model does not partition. */
  readonly key: string | undefined;
  /** The order its operations took effect in; a pending operation left out never took effect. */
  readonly order: readonly number[];
}

export interface Failure<S> {
  readonly key: string | undefined;
  /** The operations of the partition that is not linearizable. */
  readonly operations: readonly number[];
  /** The longest sequence of the partition's operations that could be linearized. */
  readonly longest: readonly number[];
  readonly stateAfter: S;
  /** After `longest`, this operation must take effect before it returns... */
  readonly blockedBy: number;
  /** ...yet none of these (every operation called by then) can take effect next. */
  readonly candidates: readonly number[];
}

export interface CheckStats {
  readonly operations: number;
  readonly partitions: number;
  /** Search steps over all partitions checked. */
  readonly steps: number;
}

export type CheckResult<S> =
  | { readonly verdict: 'linearizable'; readonly linearizations: readonly PartitionLinearization[]; readonly stats: CheckStats }
  | { readonly verdict: 'not-linearizable'; readonly failure: Failure<S>; readonly stats: CheckStats }
  | {
      readonly verdict: 'unknown';
      readonly reason: ExhaustedReason;
      /** Keys of the partitions left undecided (undefined: the unpartitioned history). */
      readonly undecided: readonly (string | undefined)[];
      readonly stats: CheckStats;
    };

export type Verdict = CheckResult<unknown>['verdict'];

interface Partition {
  readonly key: string | undefined;
  readonly indices: readonly number[];
}

export function checkHistory<S, I, O>(model: Model<S, I, O>, history: History<I, O>, options: CheckOptions = {}): CheckResult<S> {
  validate(history);
  const partitions = partition(model, history);
  const budget = new Budget(options);
  const stats = (): CheckStats => ({ operations: history.length, partitions: partitions.length, steps: budget.steps });
  const linearizations: PartitionLinearization[] = [];
  const undecided: (string | undefined)[] = [];
  let reason: ExhaustedReason | undefined;

  for (const p of partitions) {
    if (reason !== undefined) {
      undecided.push(p.key);
      continue;
    }
    const ops = p.indices.map((i) => history[i] as (typeof history)[number]);
    const outcome = checkPartition(model, ops, budget);
    const global = (local: number): number => p.indices[local] ?? -1;
    switch (outcome.verdict) {
      case 'linearizable':
        linearizations.push({ key: p.key, order: outcome.order.map(global) });
        break;
      case 'not-linearizable':
        // One partition that is not linearizable settles the whole history.
        return {
          verdict: 'not-linearizable',
          failure: {
            key: p.key,
            operations: p.indices,
            longest: outcome.longest.map(global),
            stateAfter: outcome.stateAfter,
            blockedBy: global(outcome.blockedBy),
            candidates: outcome.candidates.map(global),
          },
          stats: stats(),
        };
      case 'unknown':
        reason = outcome.reason;
        undecided.push(p.key);
        break;
    }
  }
  if (reason !== undefined) return { verdict: 'unknown', reason, undecided, stats: stats() };
  return { verdict: 'linearizable', linearizations, stats: stats() };
}

function validate<I, O>(history: History<I, O>): void {
  history.forEach((op, i) => {
    if (!Number.isFinite(op.call)) {
      throw new ShoalError('InvalidArgument', `operation ${i} has call time ${op.call}: expected a finite number`);
    }
    if (!isPending(op) && !(op.return >= op.call)) {
      throw new ShoalError('InvalidArgument', `operation ${i} returns at ${op.return}, before its call at ${op.call}`);
    }
  });
}

/** Partitions by key, smallest first: cheap ones are decided before the budget goes on big ones. */
function partition<S, I, O>(model: Model<S, I, O>, history: History<I, O>): Partition[] {
  const keyOf = model.partitionKey?.bind(model);
  if (keyOf === undefined) return history.length === 0 ? [] : [{ key: undefined, indices: history.map((_, i) => i) }];
  const byKey = new Map<string, number[]>();
  history.forEach((op, i) => {
    const key = keyOf(op.input);
    const indices = byKey.get(key);
    if (indices === undefined) byKey.set(key, [i]);
    else indices.push(i);
  });
  return [...byKey]
    .map(([key, indices]) => ({ key, indices }))
    .sort((a, b) => a.indices.length - b.indices.length || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
