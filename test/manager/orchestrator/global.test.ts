import test from 'ava';
import { decideGlobal } from '../../../src/manager/orchestrator/global.js';
import { World } from './world.js';

function world(nodes: string[], constraints: string[] = []): World {
  const w = new World();
  for (const n of nodes) w.addNode(n, { labels: { disk: n === 'n3' ? 'hdd' : 'ssd' } });
  w.addService('agent', { Mode: { Global: {} }, TaskTemplate: { ContainerSpec: { Image: 'busybox' }, RestartPolicy: { Delay: 0 }, Placement: { Constraints: constraints } } });
  w.converge(decideGlobal, 'agent');
  return w;
}

const onNodes = (w: World): string[] => w.live('agent').map((t) => t.NodeID ?? '').sort();

test('one task per ready, active node, pinned to it and pending for the scheduler', (t) => {
  const w = world(['n1', 'n2', 'n3']);
  t.deepEqual(onNodes(w), ['n1', 'n2', 'n3']);
  for (const task of w.tasks('agent')) {
    t.is(task.Slot, undefined);
    t.is(task.Status.State, 'pending');
    t.is(task.DesiredState, 'running');
  }
});

test('constraints choose the nodes, and a node that stops meeting them loses its task', (t) => {
  const w = world(['n1', 'n2', 'n3'], ['node.labels.disk==ssd']);
  t.deepEqual(onNodes(w), ['n1', 'n2']);
  w.setNode('n2', { labels: { disk: 'hdd' } });
  w.converge(decideGlobal, 'agent');
  t.deepEqual(onNodes(w), ['n1']);
  t.is(w.tasks('agent').find((x) => x.NodeID === 'n2')?.DesiredState, 'shutdown');
});

test('a node that joins gets a task; one that is not ready yet waits until it is', (t) => {
  const w = world(['n1']);
  w.addNode('n2', { state: 'unknown' });
  w.converge(decideGlobal, 'agent');
  t.deepEqual(onNodes(w), ['n1']);
  w.setNode('n2', { state: 'ready' });
  w.converge(decideGlobal, 'agent');
  t.deepEqual(onNodes(w), ['n1', 'n2']);
});

test('drain shuts the node\'s task down without a replacement; active again brings a new one', (t) => {
  const w = world(['n1', 'n2']);
  const onN1 = w.live('agent').find((x) => x.NodeID === 'n1');
  w.run(onN1?.ID ?? '', 'n1');
  w.setNode('n1', { availability: 'drain' });
  w.converge(decideGlobal, 'agent');
  t.is(w.task(onN1?.ID ?? '').DesiredState, 'shutdown');
  t.deepEqual(onNodes(w), ['n2']);
  w.report(onN1?.ID ?? '', 'shutdown');
  w.setNode('n1', { availability: 'active' });
  w.converge(decideGlobal, 'agent');
  t.deepEqual(onNodes(w), ['n1', 'n2']);
  t.is(w.tasks('agent').length, 3);
});

test('a node that goes down or is removed: its task is shut down', (t) => {
  const w = world(['n1', 'n2', 'n3']);
  w.setNode('n1', { state: 'down' });
  w.removeNode('n2');
  w.converge(decideGlobal, 'agent');
  t.deepEqual(onNodes(w), ['n3']);
  t.deepEqual(
    w.tasks('agent').filter((x) => x.DesiredState === 'shutdown').map((x) => x.NodeID).sort(),
    ['n1', 'n2'],
  );
});

test('pause keeps running tasks, adds none, and does not restart a stopped one', (t) => {
  const w = world(['n1']);
  const task = w.live('agent')[0];
  w.run(task?.ID ?? '', 'n1');
  w.setNode('n1', { availability: 'pause' });
  t.deepEqual(w.step(decideGlobal, 'agent').plan.steps, [], 'the running task stays');
  w.report(task?.ID ?? '', 'failed');
  w.converge(decideGlobal, 'agent');
  t.is(w.task(task?.ID ?? '').DesiredState, 'shutdown');
  t.deepEqual(onNodes(w), [], 'not restarted while paused');
  w.setNode('n1', { availability: 'active' });
  w.converge(decideGlobal, 'agent');
  t.deepEqual(onNodes(w), ['n1']);
});

test('a failed global task is restarted on the same node with its history', (t) => {
  const w = world(['n1']);
  const task = w.live('agent')[0];
  w.run(task?.ID ?? '', 'n1');
  w.report(task?.ID ?? '', 'failed');
  w.converge(decideGlobal, 'agent');
  const repl = w.live('agent')[0];
  t.not(repl?.ID, task?.ID);
  t.is(String(repl?.NodeID), 'n1');
  t.is(repl?.DesiredState, 'running');
  t.like(repl?.RestartHistory, { TotalRestarts: 1 });
});

test('a deleted global service: its tasks are desired remove', (t) => {
  const w = world(['n1', 'n2']);
  w.removeService('agent');
  w.step(decideGlobal, 'agent');
  t.deepEqual(w.tasks('agent').map((x) => x.DesiredState), ['remove', 'remove']);
});

test('restart condition none: a node drained and made active again still gets a task', (t) => {
  const w = new World();
  w.addNode('n1');
  w.addService('agent', { Mode: { Global: {} }, TaskTemplate: { ContainerSpec: { Image: 'busybox' }, RestartPolicy: { Condition: 'none' } } });
  w.converge(decideGlobal, 'agent');
  const task = w.live('agent')[0];
  w.run(task?.ID ?? '', 'n1');
  w.setNode('n1', { availability: 'drain' });
  w.converge(decideGlobal, 'agent');
  w.report(task?.ID ?? '', 'shutdown');
  w.setNode('n1', { availability: 'active' });
  w.converge(decideGlobal, 'agent');
  t.deepEqual(onNodes(w), ['n1']);
  // But one that failed by itself stays down under none.
  const again = w.live('agent')[0];
  w.run(again?.ID ?? '', 'n1');
  w.report(again?.ID ?? '', 'failed');
  w.converge(decideGlobal, 'agent');
  t.deepEqual(onNodes(w), []);
});
