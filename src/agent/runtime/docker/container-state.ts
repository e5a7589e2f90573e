// Read: the engine's view of a container -> the runtime's observed state and
// events. Pure.
import { identityFromLabels, LABEL_TASK_ID } from '../labels.js';
import type { HealthStatus, ObservedState, ObservedTask, RuntimeEvent } from '../types.js';
import type { EngineContainer, EngineEvent } from './engine-client.js';

function healthStatus(value: string | undefined): HealthStatus | undefined {
  return value === 'starting' || value === 'healthy' || value === 'unhealthy' ? value : undefined;
}

export function observedState(container: EngineContainer): ObservedState {
  const { state } = container;
  switch (state.status) {
    case 'created':
      // A failed start leaves the container "created" with the error recorded.
      if (state.error !== '') return { state: 'exited', exitCode: state.exitCode !== 0 ? state.exitCode : -1, error: state.error };
      return { state: 'created' };
    case 'running':
    case 'paused':
    case 'restarting': {
      const health = healthStatus(state.health);
      if (health === 'starting') return { state: 'starting', pid: state.pid, health };
      return health === undefined ? { state: 'running', pid: state.pid } : { state: 'running', pid: state.pid, health };
    }
    default:
      // exited, dead, removing
      return {
        state: 'exited',
        exitCode: state.exitCode,
        ...(state.oomKilled ? { oomKilled: true } : {}),
        ...(state.error !== '' ? { error: state.error } : {}),
      };
  }
}

/** undefined for a container without shoal's identity labels. */
export function observedTask(container: EngineContainer): ObservedTask | undefined {
  const identity = identityFromLabels(container.labels);
  if (identity === undefined) return undefined;
  return { ...identity, runtimeId: container.id, image: container.image, observed: observedState(container) };
}

/** The runtime event an engine event means, if any. */
export function runtimeEvent(event: EngineEvent): RuntimeEvent | undefined {
  const taskId = event.attributes[LABEL_TASK_ID];
  if (taskId === undefined) return undefined;
  switch (event.action) {
    case 'start':
      return { taskId, kind: 'started' };
    case 'die': {
      const exitCode = Number.parseInt(event.attributes['exitCode'] ?? '', 10);
      return { taskId, kind: 'exited', exitCode: Number.isNaN(exitCode) ? -1 : exitCode };
    }
    case 'oom':
      return { taskId, kind: 'oom' };
    case 'destroy':
      return { taskId, kind: 'removed' };
    default: {
      const match = /^health_status: ?(\w+)$/.exec(event.action);
      const status = healthStatus(match?.[1]);
      return status === undefined ? undefined : { taskId, kind: 'health', status };
    }
  }
}
