// How much searching a check may do before it gives up with "unknown".

export type ExhaustedReason = 'timeout' | 'step-limit';

export interface BudgetLimits {
  /** Give up after this many milliseconds of searching (default: no limit). */
  readonly timeoutMs?: number;
  /** Give up after this many search steps, over all partitions (default: no limit). */
  readonly maxSteps?: number;
  /** Milliseconds from an arbitrary origin (default: performance.now). */
  readonly clock?: () => number;
}

/** Read the clock once every this many steps: a step is far cheaper than a clock read. */
const CLOCK_EVERY = 1024;

/** The search budget shared by all partitions of one check. */
export class Budget {
  /** Search steps spent so far. */
  steps = 0;
  private readonly maxSteps: number;
  private readonly deadline: number;
  private readonly clock: () => number;
  // The first step reads the clock, so a budget already spent stops at once.
  private nextClockRead = 1;

  constructor(limits: BudgetLimits = {}) {
    this.clock = limits.clock ?? (() => performance.now());
    this.maxSteps = limits.maxSteps ?? Number.POSITIVE_INFINITY;
    this.deadline = limits.timeoutMs === undefined ? Number.POSITIVE_INFINITY : this.clock() + limits.timeoutMs;
  }

  /** Spend one step; returns why the budget is exhausted, or undefined while it is not. */
  spend(): ExhaustedReason | undefined {
    if (this.steps >= this.maxSteps) return 'step-limit';
    this.steps++;
    if (this.steps >= this.nextClockRead) {
      this.nextClockRead += CLOCK_EVERY;
      if (this.clock() > this.deadline) return 'timeout';
    }
    return undefined;
  }
}
