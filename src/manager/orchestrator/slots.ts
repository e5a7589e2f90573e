// The task-level pass over one slot (swarmkit replicated/tasks.go
// handleTaskChange + restart.Supervisor + slot occupancy), shared by every
// mode. A slot is a replica number, or a node for global modes; it may hold
// several tasks: its history, and during an update an old and a new one.
import type { Node } from '../../api/node.js';
import type { Service } from '../../api/service.js';
import { isJobMode } from '../../api/service-spec.js';
import type { RestartHistory, Task } from '../../api/task.js';
import { isTerminal } from '../../api/task-state.js';
import type { ReadTx } from '../store/read-tx.js';
import { getObject } from '../store/typed.js';
import type { PlanStep } from './plan.js';
import { shouldRestart } from './restart-policy.js';
import type { DecideContext } from './restart-supervisor.js';
import { releaseDelayedStarts, rescheduleOffNode, restartStopped } from './restart-supervisor.js';
import { byCreation, hasCompleted, nodeUsable, wantsToRun } from './task-facts.js';

/**
 * What holds a slot once this round's steps are applied:
 * - `running`: a task that wants to run and has not stopped (or a new replacement);
 * - `completed`: a job task finished its work;
 * - `stopped`: its newest task exited by itself and its restart policy says it stays
 *   stopped (condition none, on-failure after success, attempts used up), so
 *   the slot is not refilled (`docker service ps` shows it, REPLICAS counts it short);
 * - `free`: nothing; scaling may refill it, carrying `history`.
 */
export type Occupancy = 'running' | 'completed' | 'stopped' | 'free';

export interface SlotPass {
  readonly steps: readonly PlanStep[];
  readonly occupancy: Occupancy;
  /** The restart history a new task in a `free` slot carries (swarmkit keys it by slot). */
  readonly history?: RestartHistory;
  readonly wakeAt?: number;
}

export interface SlotPassOptions {
  readonly service: Service;
  readonly view: ReadTx;
  readonly ctx: DecideContext;
  /** False where the node keeps its tasks but takes no new ones (paused): stopped tasks are retired, not restarted. */
  readonly allowRestart: boolean;
  /** Replicated modes move tasks off drained, down or deleted nodes; global modes shut them down instead. */
  readonly moveOffBadNodes: boolean;
}

/**
 * Exited by itself (complete, failed) or was refused by its node (rejected),
 * as opposed to being shut down when asked or orphaned with its node: only
 * such a task can hold its slot as stopped for good. (swarmkit also counts a
 * task shut down by a drain under condition none, so a global service never
 * returns to a node drained and reactivated; shoal does not.)
 */
function stoppedOnItsOwn(task: Task): boolean {
  const s = task.Status.State;
  return s === 'complete' || s === 'failed' || s === 'rejected';
}

export function nodeOfTask(view: ReadTx, task: Task): Node | undefined {
  return task.NodeID !== undefined ? getObject(view, 'nodes', task.NodeID) : undefined;
}

/** Restart stopped tasks, move tasks off unusable nodes, release due delayed starts; then say what holds the slot. */
export function superviseSlot(tasks: readonly Task[], o: SlotPassOptions): SlotPass {
  const isJob = isJobMode(o.service.Spec.Mode);
  const ordered = [...tasks].sort(byCreation);
  const steps: PlanStep[] = [];
  const retired = new Set<string>();
  const created: Task[] = [];
  for (const t of ordered) {
    if (!wantsToRun(t) || hasCompleted(t)) continue;
    const node = nodeOfTask(o.view, t);
    if (isTerminal(t.Status.State)) {
      const r = restartStopped(t, o.service, node, o.ctx, o.allowRestart);
      steps.push(r.step);
      retired.add(t.ID);
      if (r.replacement !== undefined) created.push(r.replacement);
    } else if (o.moveOffBadNodes && t.NodeID !== undefined && !nodeUsable(node)) {
      const r = rescheduleOffNode(t, o.service, node, o.ctx);
      steps.push(r.step);
      retired.add(t.ID);
      if (r.replacement !== undefined) created.push(r.replacement);
    }
  }
  const kept = ordered.filter((t) => !retired.has(t.ID));
  const release = releaseDelayedStarts(kept, o.view, o.ctx.now);
  steps.push(...release.steps);
  const wake = release.wakeAt !== undefined ? { wakeAt: release.wakeAt } : {};

  if (created.length > 0 || kept.some((t) => wantsToRun(t) && !isTerminal(t.Status.State))) return { steps, occupancy: 'running', ...wake };
  if (isJob && kept.some(hasCompleted)) return { steps, occupancy: 'completed', ...wake };
  const newest = ordered.filter((t) => t.DesiredState !== 'remove').at(-1);
  if (newest === undefined) return { steps, occupancy: 'free', ...wake };
  if (stoppedOnItsOwn(newest) && !shouldRestart(newest, isJob).restart) return { steps, occupancy: 'stopped', ...wake };
  return { steps, occupancy: 'free', ...(newest.RestartHistory !== undefined ? { history: newest.RestartHistory } : {}), ...wake };
}
