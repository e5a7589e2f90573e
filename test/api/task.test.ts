import test from 'ava';
import type { NodeId, ServiceId, TaskId } from '../../src/api/ids.js';
import { withServiceDefaults } from '../../src/api/service-spec.js';
import { containerName, newTask, slotKey, taskInspectView, taskName } from '../../src/api/task.js';

const nodeId = 'tzkm0ymzjdmc1r8d54snievf1' as NodeId;
const taskId = 'ho0d7u3wensl0kah0ioz1lpk5' as TaskId;
const serviceId = 'x9t2kl0b7mpq4r8w1n6v3c5zd' as ServiceId;

test('task names: <service>.<slot> or <service>.<node id>, as docker service ps', (t) => {
  t.is(taskName('web', { Slot: 1 }), 'web.1');
  t.is(taskName('monitor', { NodeID: nodeId }), `monitor.${nodeId}`);
  t.is(taskName('web', { Slot: 3, Name: 'custom' }), 'custom');
});

test('container names: <service>.<slot>.<task id>, as the seeds show', (t) => {
  t.is(containerName('web', { ID: taskId, Slot: 1 }), 'web.1.ho0d7u3wensl0kah0ioz1lpk5');
  t.is(containerName('monitor', { ID: taskId, NodeID: nodeId }), `monitor.${nodeId}.${taskId}`);
});

test('slot keys tell replicated from global tasks', (t) => {
  t.deepEqual(slotKey({ Slot: 2 }), { kind: 'slot', slot: 2 });
  t.deepEqual(slotKey({ NodeID: nodeId }), { kind: 'node', nodeId });
  t.deepEqual(slotKey({ Slot: 2, NodeID: nodeId }), { kind: 'slot', slot: 2 });
  t.is(slotKey({}), undefined);
});

test('a new task starts observed new, desired running, copying the template', (t) => {
  const spec = withServiceDefaults({ Name: 'web', TaskTemplate: { ContainerSpec: { Image: 'nginx' } } });
  const task = newTask({ id: taskId, serviceId, spec, serviceVersion: { Index: 7 }, nowMs: Date.UTC(2020, 0, 1), slot: 1 });
  t.is(task.Status.State, 'new');
  t.is(task.DesiredState, 'running');
  t.is(task.Slot, 1);
  t.is(task.NodeID, undefined);
  t.deepEqual(task.ServiceVersion, { Index: 7 });
  t.is(task.Spec, spec.TaskTemplate);
  t.is(task.CreatedAt, '2020-01-01T00:00:00Z');
  const view = taskInspectView({ ...task, RestartHistory: { SpecVersion: { Index: 7 }, TotalRestarts: 1, RecentRestarts: [] } });
  t.deepEqual(Object.keys(view), ['ID', 'Version', 'CreatedAt', 'UpdatedAt', 'Labels', 'Spec', 'ServiceID', 'Slot', 'Status', 'DesiredState']);
});
