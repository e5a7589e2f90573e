// Tasks as the dispatcher assigns them, for worker tests.
import type { ContainerSpecInput } from '../../../../src/api/container-spec.js';
import type { NodeId, ServiceId, TaskId } from '../../../../src/api/ids.js';
import { timestampOf } from '../../../../src/api/object-meta.js';
import type { Task } from '../../../../src/api/task.js';
import { withTaskDefaults, type TaskSpecInput } from '../../../../src/api/task-spec.js';
import type { DesiredState, TaskState } from '../../../../src/api/task-state.js';

let counter = 0;

export interface TaskOptions {
  readonly id?: string;
  readonly nodeId: string;
  readonly container?: Partial<ContainerSpecInput>;
  readonly spec?: Omit<TaskSpecInput, 'ContainerSpec'>;
  readonly desired?: DesiredState;
  readonly state?: TaskState;
  readonly slot?: number;
  readonly serviceId?: string;
}

export function makeTask(o: TaskOptions): Task {
  counter++;
  const at = timestampOf(Date.now());
  return {
    ID: (o.id ?? `wtask${process.pid.toString(36)}${Date.now().toString(36)}${counter}`) as TaskId,
    Version: { Index: counter },
    CreatedAt: at,
    UpdatedAt: at,
    Spec: withTaskDefaults({ ...o.spec, ContainerSpec: { Image: 'local/busybox:1', Command: ['sleep', '1000'], StopGracePeriod: 500_000_000, ...o.container } }, false),
    ServiceID: (o.serviceId ?? 'svcworker') as ServiceId,
    Slot: o.slot ?? 1,
    NodeID: o.nodeId as NodeId,
    DesiredState: o.desired ?? 'running',
    Status: { Timestamp: at, State: o.state ?? 'assigned', Message: 'scheduler assigned task to node' },
  };
}
