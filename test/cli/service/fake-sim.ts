// The fake manager's orchestrator: after a create or update, bring the
// service's tasks to the spec one commit at a time, the way the real one
// looks from the watch stream, or fail the way a test asks:
// - converge: new tasks assigned, then running (a rollback completes);
// - pending:  new tasks stay pending with the scheduler's explanation;
// - fail:     the first new task fails and the update pauses;
// - rollback: the first new task fails and the update is rolled back;
// - none:     nothing happens (the test drives the tasks).
import { timestampOf } from '../../../src/api/object-meta.js';
import { rollbackServiceSpec, type Service } from '../../../src/api/service.js';
import type { Task } from '../../../src/api/task.js';
import type { FakeControl } from './fake-control.js';

export type Policy = 'converge' | 'pending' | 'fail' | 'rollback' | 'none';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function live(t: Task): boolean {
  return (t.DesiredState === 'running' || t.DesiredState === 'ready' || t.DesiredState === 'complete') && !['failed', 'rejected', 'shutdown', 'orphaned', 'remove'].includes(t.Status.State);
}

function current(svc: Service, t: Task): boolean {
  if (svc.JobStatus !== undefined) return t.JobIteration?.Index === svc.JobStatus.JobIteration.Index;
  return t.ServiceVersion?.Index === svc.SpecVersion.Index;
}

/** Where tasks should be: slots 1..n, or one per ready node. */
function places(fake: FakeControl, svc: Service): { slot?: number; nodeId?: string }[] {
  const mode = svc.Spec.Mode;
  const n = mode.Replicated?.Replicas ?? mode.ReplicatedJob?.TotalCompletions;
  const nodes = [...fake.nodes.values()].filter((x) => x.Status.State === 'ready').map((x) => x.ID);
  if (n !== undefined) return Array.from({ length: n }, (_, i) => ({ slot: i + 1, nodeId: nodes[i % Math.max(1, nodes.length)] ?? '' }));
  return nodes.map((nodeId) => ({ nodeId }));
}

function sameSlot(t: Task, p: { slot?: number; nodeId?: string }): boolean {
  return p.slot !== undefined ? t.Slot === p.slot : t.NodeID === p.nodeId;
}

async function failAt(fake: FakeControl, svc: Service, place: { slot?: number; nodeId?: string }): Promise<Task> {
  const t = fake.addTask(svc, { ...place, state: 'starting' });
  await tick();
  return fake.setTask(t, { state: 'failed', err: 'task: non-zero exit (1)', DesiredState: 'shutdown' });
}

async function converge(fake: FakeControl, svc: Service, policy: 'converge' | 'pending'): Promise<void> {
  const job = svc.JobStatus !== undefined;
  const wanted = places(fake, svc);
  // Retire outdated and surplus tasks.
  for (const t of fake.tasksOf(svc.ID)) {
    if (!live(t)) continue;
    if (!current(svc, t) || !wanted.some((p) => sameSlot(t, p))) fake.setTask(t, { DesiredState: 'shutdown', state: 'shutdown' });
  }
  const created: Task[] = [];
  for (const place of wanted) {
    if (fake.tasksOf(svc.ID).some((t) => sameSlot(t, place) && current(svc, t) && live(t))) continue;
    created.push(fake.addTask(svc, { ...place, state: policy === 'pending' ? 'pending' : 'assigned', desired: job ? 'complete' : 'running' }));
  }
  await tick();
  for (const t of created) {
    if (policy === 'pending') {
      fake.setTask(t, { PendingExplanation: { Summary: 'no suitable node (1 node not available for new tasks)', Rejections: [{ Filter: 'availability', Nodes: 1 }], CheckedAt: timestampOf(fake.clock()) } });
      continue;
    }
    const running = fake.setTask(t, { state: 'running' });
    if (job) fake.setTask(running, { state: 'complete' });
  }
  const after = fake.services.get(svc.ID);
  if (policy === 'converge' && after?.UpdateStatus?.State === 'rollback_started') {
    fake.setStatus(after, { ...after.UpdateStatus, State: 'rollback_completed', CompletedAt: timestampOf(fake.clock()), Message: 'rollback completed' });
  }
}

export async function simulate(fake: FakeControl, serviceId: string, policy: Policy): Promise<void> {
  const svc = fake.services.get(serviceId);
  if (svc === undefined || policy === 'none') return;
  if (policy === 'converge' || policy === 'pending') return converge(fake, svc, policy);
  // fail / rollback: the update starts, the first new task fails.
  const started = fake.setStatus(svc, { State: 'updating', StartedAt: timestampOf(fake.clock()), Message: 'update in progress' });
  const [first] = places(fake, started);
  if (first === undefined) return;
  for (const t of fake.tasksOf(svc.ID)) if (live(t) && sameSlot(t, first)) fake.setTask(t, { DesiredState: 'shutdown', state: 'shutdown' });
  const failed = await failAt(fake, started, first);
  const words = policy === 'fail' ? 'update paused' : 'update rolled back';
  const message = `${words} due to failure or early termination of task ${failed.ID}`;
  await tick();
  if (policy === 'fail') {
    fake.setStatus(started, { State: 'paused', StartedAt: timestampOf(fake.clock()), Message: message });
    return;
  }
  const latest = fake.services.get(svc.ID) ?? started;
  const r = rollbackServiceSpec(latest, fake.clock());
  if (!r.ok) return;
  const rolled = fake.put('services', { ...r.service, UpdateStatus: { State: 'rollback_started', StartedAt: timestampOf(fake.clock()), Message: message } });
  await tick();
  await converge(fake, rolled, 'converge');
}
