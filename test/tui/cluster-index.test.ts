// The reducer over watch events and what is derived from it: indexes,
// membership counts, resync sweeps, ManagerStatus from the Raft status,
// the per-service and per-node figures.
import test from 'ava';
import type { WatchEvent } from '../../src/api/contracts/control.js';
import type { Task } from '../../src/api/task.js';
import { Aggregates } from '../../src/tui/state/aggregates.js';
import { ClusterIndex } from '../../src/tui/state/cluster-index.js';
import { demoCluster, watchEvent } from './harness/fixtures.js';

function loaded(): { index: ClusterIndex; events: WatchEvent[] } {
  const c = demoCluster();
  const index = new ClusterIndex();
  const events = c.snapshot();
  for (const e of events) index.apply(e);
  return { index, events };
}

test('the snapshot fills the maps and the task indexes', (t) => {
  const { index } = loaded();
  t.is(index.nodes.size, 6);
  t.is(index.services.size, 3);
  t.is(index.tasks.size, 8);
  const web = [...index.services.values()].find((s) => s.Spec.Name === 'web');
  t.is(index.tasksOfService(web?.ID ?? '').size, 4);
  const w1 = [...index.nodes.values()].find((n) => n.Description.Hostname === 'worker1');
  t.is(index.tasksOfNode(w1?.ID ?? '').size, 3);
});

test('a task moved to another node leaves the old node index; removal leaves both', (t) => {
  const { index } = loaded();
  const task = [...index.tasks.values()].find((x) => x.Status.State === 'pending') as Task;
  const w1 = [...index.nodes.values()].find((n) => n.Description.Hostname === 'worker1');
  const w2 = [...index.nodes.values()].find((n) => n.Description.Hostname === 'worker2');
  if (w1 === undefined || w2 === undefined) return t.fail();
  const members = index.membership('tasks');
  index.apply(watchEvent('update', 'tasks', { ...task, NodeID: w1.ID }, 200));
  t.true(index.tasksOfNode(w1.ID).has(task.ID));
  index.apply(watchEvent('update', 'tasks', { ...task, NodeID: w2.ID }, 201));
  t.false(index.tasksOfNode(w1.ID).has(task.ID));
  t.true(index.tasksOfNode(w2.ID).has(task.ID));
  t.is(index.membership('tasks'), members, 'updates do not change membership');
  index.apply(watchEvent('remove', 'tasks', { ...task, NodeID: w2.ID }, 202));
  t.false(index.tasksOfNode(w2.ID).has(task.ID));
  t.false(index.tasksOfService(task.ServiceID).has(task.ID));
  t.is(index.membership('tasks'), members + 1);
  t.is(index.lastIndex, 202);
});

test('a resync drops what the new snapshot did not mention', (t) => {
  const { index, events } = loaded();
  const gone = events.filter((e) => e.Table === 'tasks').slice(0, 2).map((e) => e.Object.ID);
  index.beginResync();
  for (const e of events) if (!gone.includes(e.Object.ID)) index.apply(e);
  t.is(index.sweep(), 2);
  t.is(index.tasks.size, 6);
  for (const id of gone) t.false(index.tasks.has(id));
  t.is(index.sweep(), 0, 'nothing more to drop');
});

test('ManagerStatus comes from the Raft status when the watched nodes lack it', (t) => {
  const { index } = loaded();
  const m2 = [...index.nodes.values()].find((n) => n.Description.Hostname === 'manager2');
  if (m2 === undefined) return t.fail();
  const { ManagerStatus: _ms, ...bare } = m2;
  index.apply(watchEvent('update', 'nodes', bare, 300));
  t.is(index.nodes.get(m2.ID)?.ManagerStatus, undefined, 'before any Raft status the node is as watched');
  const rev = index.rev;
  t.true(index.setRaftMembers({ Term: 4, LeaderID: m2.ID, CommitIndex: 1, AppliedIndex: 1, Members: [{ NodeID: m2.ID, Addr: '10.0.0.3:2377', Role: 'voter', Leader: true, Reachability: 'reachable', MatchIndex: 1, Lag: 0 }] }));
  t.true(index.rev > rev);
  t.deepEqual(index.nodes.get(m2.ID)?.ManagerStatus, { Leader: true, Reachability: 'reachable', Addr: '10.0.0.3:2377' });
  const m1 = [...index.nodes.values()].find((n) => n.Description.Hostname === 'manager1');
  t.is(m1?.ManagerStatus, undefined, 'a node that is no member has none');
  index.apply(watchEvent('update', 'nodes', bare, 301));
  t.is(index.nodes.get(m2.ID)?.ManagerStatus?.Leader, true, 'a later watch event keeps it');
});

test('running counts only tasks on nodes that are not down; desired follows the mode', (t) => {
  const { index } = loaded();
  const agg = new Aggregates(index);
  const byName = (n: string) => [...index.services.values()].find((s) => s.Spec.Name === n)?.ID ?? '';
  t.like(agg.service(byName('web')), { running: 2, desired: 3, upToDate: 2 });
  t.like(agg.service(byName('api')), { running: 1, desired: 2 });
  const w1 = [...index.nodes.values()].find((n) => n.Description.Hostname === 'worker1');
  t.deepEqual(agg.node(w1?.ID ?? ''), { running: 2, nanoCpus: 2e9, memoryBytes: 4 * 1024 ** 3 });
  // worker3 comes back: its task counts again.
  const w3 = [...index.nodes.values()].find((n) => n.Description.Hostname === 'worker3');
  if (w3 === undefined) return t.fail();
  index.apply(watchEvent('update', 'nodes', { ...w3, Status: { ...w3.Status, State: 'ready' } }, 400));
  t.is(agg.service(byName('web')).running, 3, 'memoized figures are dropped when the index changes');
});
