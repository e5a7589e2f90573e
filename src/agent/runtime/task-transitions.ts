// What changed between two observations of a task, as the events a
// subscriber would have seen. Used to resync after an event stream was lost:
// the runtime remembers what it last reported (KnownTask), lists again, and
// reports the difference.
import type { HealthStatus, ObservedState, RuntimeEvent } from './types.js';

export interface KnownTask {
  readonly phase: 'created' | 'up' | 'exited';
  readonly health?: HealthStatus;
  readonly exitCode?: number;
  readonly oomKilled?: boolean;
}

export function knownFromObserved(observed: ObservedState): KnownTask {
  switch (observed.state) {
    case 'created':
      return { phase: 'created' };
    case 'starting':
      return { phase: 'up', health: 'starting' };
    case 'running':
      return observed.health === undefined ? { phase: 'up' } : { phase: 'up', health: observed.health };
    case 'exited':
      return { phase: 'exited', exitCode: observed.exitCode, oomKilled: observed.oomKilled === true };
    default: {
      const never: never = observed;
      throw new Error(`unexpected observed state ${JSON.stringify(never)}`);
    }
  }
}

/** The known state after a subscriber saw `event`; undefined once removed. */
export function applyEvent(known: KnownTask | undefined, event: RuntimeEvent): KnownTask | undefined {
  switch (event.kind) {
    case 'started':
      return { phase: 'up', ...(known?.health === undefined ? {} : { health: known.health }) };
    case 'exited':
      return { phase: 'exited', exitCode: event.exitCode, oomKilled: known?.oomKilled === true };
    case 'health':
      return { phase: known?.phase ?? 'up', health: event.status };
    case 'oom':
      return { ...(known ?? { phase: 'up' }), oomKilled: true };
    case 'removed':
      return undefined;
    default: {
      const never: never = event;
      throw new Error(`unexpected event ${JSON.stringify(never)}`);
    }
  }
}

/** The events that take a subscriber from `before` to `after` for one task. */
export function transitionEvents(taskId: string, before: KnownTask | undefined, after: KnownTask | undefined): RuntimeEvent[] {
  if (after === undefined) return before === undefined ? [] : [{ taskId, kind: 'removed' }];
  const events: RuntimeEvent[] = [];
  if (after.phase === 'up') {
    if (before?.phase !== 'up') events.push({ taskId, kind: 'started' });
    if (after.health !== undefined && after.health !== before?.health) {
      events.push({ taskId, kind: 'health', status: after.health });
    }
  } else if (after.phase === 'exited' && before?.phase !== 'exited') {
    if (after.oomKilled === true) events.push({ taskId, kind: 'oom' });
    events.push({ taskId, kind: 'exited', exitCode: after.exitCode ?? -1 });
  }
  return events;
}

/** Events for every task between two snapshots (keyed by task id). */
export function snapshotEvents(
  before: ReadonlyMap<string, KnownTask>,
  after: ReadonlyMap<string, KnownTask>,
): RuntimeEvent[] {
  const events: RuntimeEvent[] = [];
  for (const [taskId, known] of after) events.push(...transitionEvents(taskId, before.get(taskId), known));
  for (const [taskId, known] of before) if (!after.has(taskId)) events.push(...transitionEvents(taskId, known, undefined));
  return events;
}
