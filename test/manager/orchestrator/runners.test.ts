import test from 'ava';
import type { ServiceId } from '../../../src/api/ids.js';
import type { Task } from '../../../src/api/task.js';
import { emptyPlan } from '../../../src/manager/orchestrator/plan.js';
import { ReconcileLoop } from '../../../src/manager/orchestrator/reconcile-loop.js';
import { Cluster } from './harness.js';
import { SECOND_NS } from './world.js';

function cluster(nodes = ['n1', 'n2', 'n3']): Cluster {
  const c = new Cluster();
  for (const n of nodes) c.world.addNode(n);
  return c;
}

const failOnce = (ids: Set<string>) => (task: Task) => (ids.delete(task.ID) ? ('failed' as const) : undefined);

test('a replicated service end to end: placed, restarted after its delay, drained, scaled down, reaped, deleted', async (t) => {
  const c = cluster();
  c.orchestrators.start();
  c.world.addService('web', { Mode: { Replicated: { Replicas: 3 } }, TaskTemplate: { ContainerSpec: { Image: 'busybox' }, RestartPolicy: { Delay: 5 * SECOND_NS } } });
  await c.run();
  t.is(c.running('web').length, 3);
  t.deepEqual(c.running('web').map((x) => x.NodeID).sort(), ['n1', 'n2', 'n3']);

  // A task fails: it is replaced in its slot, but the replacement only starts after 5 s.
  const victim = c.running('web').find((x) => x.Slot === 1);
  c.exit = failOnce(new Set([victim?.ID ?? '']));
  await c.run();
  t.is(c.world.task(victim?.ID ?? '').DesiredState, 'shutdown');
  const waiting = c.tasks('web').find((x) => x.Slot === 1 && x.DesiredState === 'ready');
  t.truthy(waiting, 'the replacement waits at ready');
  t.is(waiting?.Status.State, 'assigned');
  t.is(c.orchestrators.replicated.nextWake, c.world.now + 5_000);
  c.clock.advance(4_000);
  await c.run();
  t.is(c.running('web').length, 2);
  c.clock.advance(1_000);
  await c.run();
  t.is(c.running('web').length, 3);
  t.like(c.world.task(waiting?.ID ?? ''), { DesiredState: 'running', Status: { State: 'running' } });

  // Drain n1: its task moves; the other nodes take it.
  c.world.setNode('n1', { availability: 'drain' });
  await c.run();
  t.is(c.running('web').length, 3);
  t.false(c.running('web').some((x) => x.NodeID === 'n1'));

  // Scale down to 1: two slots go, and the reaper deletes them once they have stopped.
  c.world.updateService('web', (s) => ({ ...s, Mode: { Replicated: { Replicas: 1 } } }));
  await c.run();
  t.is(c.running('web').length, 1);
  t.false(c.tasks('web').some((x) => x.DesiredState === 'remove'), 'removed tasks are deleted');

  // Delete the service: every task goes.
  c.world.removeService('web');
  await c.run();
  t.deepEqual(c.tasks('web'), []);
  await c.orchestrators.stop();
  t.deepEqual(c.errors, []);
});

test('a leader change mid-delay: fresh orchestrators on the same store honour the delay and the restart count', async (t) => {
  const c = cluster(['n1']);
  c.orchestrators.start();
  c.world.addService('web', { Mode: { Replicated: { Replicas: 1 } }, TaskTemplate: { ContainerSpec: { Image: 'busybox' }, RestartPolicy: { Delay: 10 * SECOND_NS, MaxAttempts: 2 } } });
  await c.run();
  c.exit = () => 'failed';
  await c.run();
  t.is(c.tasks('web').length, 2);

  c.clock.advance(3_000);
  await c.failover();
  await c.run();
  t.is(c.tasks('web').filter((x) => x.Status.State === 'running').length, 0, 'still inside the delay');
  c.clock.advance(7_000);
  await c.run();
  // The replacement started, failed, and was restarted once more (the second of two attempts).
  t.is(c.tasks('web').length, 3);
  await c.failover();
  c.clock.advance(10_000);
  await c.run();
  const tasks = c.tasks('web');
  t.is(tasks.length, 3, 'no third restart, even from a new leader');
  t.true(tasks.every((x) => x.DesiredState === 'shutdown' && x.Status.State === 'failed'));
  await c.orchestrators.stop();
});

test('global services follow nodes; jobs run to completion; the reaper trims history', async (t) => {
  const c = cluster(['n1', 'n2']);
  c.orchestrators.start();
  c.world.addService('agent', { Mode: { Global: {} } });
  c.world.addService('batch', { Mode: { ReplicatedJob: { TotalCompletions: 4, MaxConcurrent: 2 } } });
  await c.run();
  t.deepEqual(c.running('agent').map((x) => x.NodeID).sort(), ['n1', 'n2']);
  const batch = c.tasks('batch');
  t.is(batch.length, 4);
  t.true(batch.every((x) => x.Status.State === 'complete' && x.DesiredState === 'complete'));

  c.world.addNode('n3');
  await c.run();
  t.deepEqual(c.running('agent').map((x) => x.NodeID).sort(), ['n1', 'n2', 'n3']);
  c.world.setNode('n2', { state: 'down' });
  await c.run();
  t.deepEqual(c.running('agent').map((x) => x.NodeID).sort(), ['n1', 'n3']);

  // A flapping global task: its node's history is kept to five tasks.
  c.exit = (task) => (task.ServiceID === 'agent' && task.NodeID === 'n1' ? 'failed' : undefined);
  for (let i = 0; i < 4; i++) {
    await c.run();
    c.clock.advance(5_000);
  }
  c.exit = () => undefined;
  await c.run();
  t.is(c.tasks('agent').filter((x) => x.NodeID === 'n1').length, 5);
  await c.orchestrators.stop();
});

test('a runner stops on abort, releases its watch and timers, and reports a crash through done', async (t) => {
  const c = cluster(['n1']);
  const ac = new AbortController();
  c.orchestrators.start(ac.signal);
  c.world.addService('web', { Mode: { Replicated: { Replicas: 1 } }, TaskTemplate: { ContainerSpec: { Image: 'busybox' }, RestartPolicy: { Delay: 60 * SECOND_NS } } });
  await c.run();
  c.exit = () => 'failed';
  await c.run();
  t.true(c.clock.pending > 0, 'a wake-up is scheduled for the delayed restart');
  ac.abort();
  await Promise.all(c.orchestrators.all.map((s) => s.done));
  t.is(c.clock.pending, 0, 'no timer is left behind');

  const crashing = new ReconcileLoop(
    {
      name: 'broken',
      allKeys: () => ['web' as ServiceId],
      keysOf: () => [],
      decide: () => {
        throw new Error('bug');
      },
    },
    { store: c.store, clock: c.clock },
  );
  crashing.start();
  await t.throwsAsync(crashing.done, { message: 'bug' });

  const idle = new ReconcileLoop({ name: 'idle', allKeys: () => [], keysOf: () => [], decide: (_v, k) => emptyPlan(k) }, { store: c.store, clock: c.clock });
  idle.start();
  await idle.stop();
  await t.notThrowsAsync(idle.done);
});

test('after the store is restored from a snapshot the runners watch again from the new state', async (t) => {
  const c = cluster(['n1']);
  c.orchestrators.start();
  c.world.addService('web', { Mode: { Replicated: { Replicas: 1 } } });
  await c.run();
  c.world.memory.restore(c.world.memory.snapshot());
  c.world.updateService('web', (s) => ({ ...s, Mode: { Replicated: { Replicas: 2 } } }));
  await c.run();
  t.is(c.running('web').length, 2);
  await c.orchestrators.stop();
});

test('a bug while reading the watch fails the runner instead of resubscribing forever', async (t) => {
  const c = cluster(['n1']);
  const loop = new ReconcileLoop(
    {
      name: 'broken watch',
      allKeys: () => [],
      keysOf: () => {
        throw new Error('keysOf bug');
      },
      decide: (_v, k) => emptyPlan(k),
    },
    { store: c.store, clock: c.clock },
  );
  loop.start();
  c.world.addNode('n2');
  await t.throwsAsync(loop.done, { message: 'keysOf bug' });
});
