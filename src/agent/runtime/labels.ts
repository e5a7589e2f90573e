// The identity every runtime stores with a task, as Docker labels (the process
// runtime keeps the same keys in its record), and the names derived from it.
import type { RuntimeTaskSpec, TaskIdentity } from './types.js';

export const LABEL_TASK_ID = 'com.shoal.task.id';
export const LABEL_SERVICE_ID = 'com.shoal.service.id';
export const LABEL_SERVICE_NAME = 'com.shoal.service.name';
export const LABEL_NODE_ID = 'com.shoal.node.id';

/** The spec's own labels plus the identity labels (which win). */
export function taskLabels(spec: RuntimeTaskSpec): Record<string, string> {
  return {
    ...spec.labels,
    [LABEL_TASK_ID]: spec.taskId,
    [LABEL_SERVICE_ID]: spec.serviceId,
    [LABEL_SERVICE_NAME]: spec.serviceName,
    [LABEL_NODE_ID]: spec.nodeId,
  };
}

/** The identity read back from labels; undefined when any of it is missing. */
export function identityFromLabels(labels: Readonly<Record<string, string>> | undefined): TaskIdentity | undefined {
  if (labels === undefined) return undefined;
  const taskId = labels[LABEL_TASK_ID];
  const serviceId = labels[LABEL_SERVICE_ID];
  const serviceName = labels[LABEL_SERVICE_NAME];
  const nodeId = labels[LABEL_NODE_ID];
  if (taskId === undefined || serviceId === undefined || serviceName === undefined || nodeId === undefined) {
    return undefined;
  }
  return { taskId, serviceId, serviceName, nodeId };
}

/** `<service>.<slot>.<taskId>`, or `<service>.<nodeId>.<taskId>` for global services (as swarmkit). */
export function taskName(spec: Pick<RuntimeTaskSpec, 'serviceName' | 'slot' | 'nodeId' | 'taskId'>): string {
  return `${spec.serviceName}.${spec.slot ?? spec.nodeId}.${spec.taskId}`;
}

/** A task id is used in paths and names: refuse anything but [A-Za-z0-9_.-]. */
export function isSafeTaskId(taskId: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(taskId) && taskId.length <= 128;
}
