// Following a service to convergence from the manager's watch stream (never
// polling): the stream's snapshot and changes feed a small view of the
// service, its tasks and the nodes; after each burst of changes the tracker
// takes a step and the screen draws it. The only timer is the tracker's own
// wake-up (the monitor countdown), and it is always cleared.
//
// Ctrl-C (the `signal`) leaves the operation running, as docker does:
// "Operation continuing in background."
import type { WatchEvent } from '../../../api/contracts/control.js';
import type { Node } from '../../../api/node.js';
import type { Service } from '../../../api/service.js';
import type { Task } from '../../../api/task.js';
import type { Output } from '../../framework/command.js';
import type { StepOutcome } from './progress.js';
import { ConvergenceTracker } from './progress.js';
import { ProgressScreen } from './progress-screen.js';
import { activeNodeIds } from './task-view.js';

export interface LoopClock {
  now(): number;
  /** Run `fn` after `ms`; returns the cancel function. */
  setTimer(fn: () => void, ms: number): () => void;
  /** Run `fn` once the events already received have been taken in (setImmediate). */
  defer(fn: () => void): void;
}

export const realClock: LoopClock = {
  now: () => Date.now(),
  setTimer: (fn, ms) => {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
  defer: (fn) => void setImmediate(fn),
};

/** Where the display goes: a terminal (redrawn in place), a pipe (the final frame), or nowhere (-q). */
export type ProgressDisplay = { readonly kind: 'terminal'; readonly columns: number } | { readonly kind: 'final-frame' } | { readonly kind: 'quiet' };

export interface FollowOptions {
  readonly serviceId: string;
  /** The manager's watch stream: a snapshot as create events, then every change. */
  readonly events: AsyncIterator<WatchEvent, unknown>;
  readonly out: Output;
  readonly display: ProgressDisplay;
  readonly clock?: LoopClock;
  /** Aborted on Ctrl-C. */
  readonly signal?: AbortSignal;
}

export type FollowResult =
  | { readonly kind: 'converged'; readonly rolledBack?: string }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'interrupted' };

/** The service's part of the store, as the watch stream tells it. */
class WatchedState {
  service: Service | undefined;
  removed = false;
  readonly tasks = new Map<string, Task>();
  readonly nodes = new Map<string, Node>();

  constructor(private readonly serviceId: string) {}

  apply(e: WatchEvent): void {
    switch (e.Table) {
      case 'services':
        if (e.Object.ID !== this.serviceId) return;
        if (e.Action === 'remove') {
          this.service = undefined;
          this.removed = true;
        } else this.service = e.Object as Service;
        return;
      case 'tasks': {
        const task = e.Object as Task;
        if (task.ServiceID !== this.serviceId) return;
        if (e.Action === 'remove') this.tasks.delete(task.ID);
        else this.tasks.set(task.ID, task);
        return;
      }
      case 'nodes':
        if (e.Action === 'remove') this.nodes.delete(e.Object.ID);
        else this.nodes.set(e.Object.ID, e.Object as Node);
        return;
      default:
        return;
    }
  }
}

export function followConvergence(opts: FollowOptions): Promise<FollowResult> {
  const clock = opts.clock ?? realClock;
  const state = new WatchedState(opts.serviceId);
  const tracker = new ConvergenceTracker();
  const columns = opts.display.kind === 'terminal' ? opts.display.columns : 200;
  const screen = new ProgressScreen(columns);
  const write = (text: string) => {
    if (opts.display.kind === 'terminal' && text !== '') opts.out.write(text);
  };

  return new Promise<FollowResult>((resolve, reject) => {
    let settled = false;
    let scheduled = false;
    let cancelTimer: (() => void) | undefined;
    let converging = false;

    const settle = (result: FollowResult | Error) => {
      if (settled) return;
      settled = true;
      cancelTimer?.();
      opts.signal?.removeEventListener('abort', onAbort);
      void opts.events.return?.();
      if (opts.display.kind === 'final-frame') opts.out.write(screen.frame());
      if (result instanceof Error) reject(result);
      else resolve(result);
    };

    const emit = (messages: Parameters<ProgressScreen['applyAll']>[0]) => write(screen.applyAll(messages));

    const evaluate = () => {
      scheduled = false;
      if (settled) return;
      if (state.removed) return settle({ kind: 'failed', message: `service ${opts.serviceId} was removed` });
      const service = state.service;
      if (service === undefined) return; // not in the snapshot yet
      cancelTimer?.();
      cancelTimer = undefined;
      const now = clock.now();
      const tasks = [...state.tasks.values()];
      const step = tracker.step({ service, tasks, activeNodes: activeNodeIds([...state.nodes.values()]), nowMs: now });
      emit(step.messages);
      const outcome: StepOutcome = step.outcome;
      switch (outcome.kind) {
        case 'converged':
          return settle(outcome.rolledBack !== undefined ? { kind: 'converged', rolledBack: outcome.rolledBack } : { kind: 'converged' });
        case 'failed':
          return settle({ kind: 'failed', message: outcome.message });
        case 'waiting':
          converging = outcome.wakeAtMs !== undefined;
          if (outcome.wakeAtMs !== undefined) cancelTimer = clock.setTimer(evaluate, Math.max(0, outcome.wakeAtMs - now));
          return;
      }
    };

    const schedule = () => {
      if (scheduled || settled) return;
      scheduled = true;
      clock.defer(evaluate);
    };

    function onAbort(): void {
      if (!converging) {
        emit([
          { kind: 'message', id: '', text: 'Operation continuing in background.' },
          { kind: 'message', id: '', text: `Use \`shoal service ps ${opts.serviceId}\` to check progress.` },
        ]);
      }
      settle({ kind: 'interrupted' });
    }
    if (opts.signal?.aborted === true) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    void (async () => {
      try {
        for (;;) {
          const next = await opts.events.next();
          if (settled) return;
          if (next.done === true) return settle(new Error('the watch stream ended before the service converged'));
          state.apply(next.value);
          schedule();
        }
      } catch (err) {
        settle(err instanceof Error ? err : new Error(String(err)));
      }
    })();
  });
}
