// Hollow nodes against a real manager: one shoald process on 127.0.90.1,
// 20 hollow nodes join with the worker token (real CSRs and certificates),
// show up ready, and a 40-replica service reaches running on them through
// their dispatcher sessions and status reports. Every wait is a bounded poll.
import test from 'ava';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ControlContract } from '../../../src/api/contracts/control.js';
import type { Node } from '../../../src/api/node.js';
import type { Task } from '../../../src/api/task.js';
import { HollowFleet } from '../../../src/agent/hollow/index.js';
import { LocalCluster } from '../../../src/cli/local-cluster.js';

const cluster = new LocalCluster({ dir: mkdtempSync(join(tmpdir(), 'shoal-hollow-')), names: ['manager1'], subnet: 90, port: 24490 });
let fleet: HollowFleet | null = null;

/** "<desired>/<observed>: count" for a failure message. */
const summary = (ts: readonly Task[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const x of ts) out[`${x.DesiredState}/${x.Status.State}`] = (out[`${x.DesiredState}/${x.Status.State}`] ?? 0) + 1;
  return out;
};

async function until<T>(what: string, fn: () => Promise<T>, check: (v: T) => boolean, limitMs = 30_000, show: (v: T) => unknown = (v) => v): Promise<T> {
  const end = Date.now() + limitMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (check(v)) return v;
      last = show(v);
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)?.slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const listNodes = async (): Promise<Node[]> => (await cluster.client('manager1').call(ControlContract, 'listNodes', {}, { deadlineMs: 5000 })).nodes;
const listTasks = async (): Promise<Task[]> => (await cluster.client('manager1').call(ControlContract, 'listTasks', {}, { deadlineMs: 5000 })).tasks;

test.before(async () => {
  await cluster.start('manager1');
});

test.after.always(async () => {
  await fleet?.stop();
  await cluster.stop();
});

test.serial('20 hollow nodes join with the worker token and are ready', async (t) => {
  const { workerToken } = await cluster.init('manager1');
  fleet = new HollowFleet({ count: 20, managers: [cluster.addr('manager1')], token: workerToken, concurrency: 8 });
  const joined = await fleet.start();
  t.deepEqual({ joined: joined.joined, failed: joined.failed, errors: joined.errors }, { joined: 20, failed: 0, errors: [] });
  const nodes = await until('20 hollow workers ready', listNodes, (ns) => ns.filter((n) => n.Spec.Role === 'worker' && n.Status.State === 'ready').length === 20);
  const hollow = nodes.filter((n) => n.Description.Hostname.startsWith('hollow-'));
  t.is(hollow.length, 20);
  t.true(hollow.every((n) => n.Description.Engine.Labels['shoal.hollow'] === 'true' && n.Description.Resources.NanoCPUs === 8e9));
  t.deepEqual(fleet.nodes.map((n) => n?.nodeId ?? '').sort(), hollow.map((n) => n.ID).sort());
  t.is(fleet.stats().connected, 20);
});

test.serial('a 40-replica service reaches running on the hollow nodes', async (t) => {
  const f = fleet;
  if (f === null) return t.fail('no fleet');
  // Keep the manager out of scheduling: its own agent would run the tasks as real processes.
  const m = (await listNodes()).find((n) => n.Spec.Role === 'manager');
  if (m === undefined) return t.fail('no manager node');
  await cluster.client('manager1').call(ControlContract, 'updateNode', { ref: m.ID, version: m.Version.Index, spec: { ...m.Spec, Availability: 'drain' } });
  const spec = { Name: 'hollow-web', Mode: { Replicated: { Replicas: 40 } }, TaskTemplate: { ContainerSpec: { Image: 'local/busybox:1', Args: ['sleep', '1000000'] } } };
  await cluster.client('manager1').call(ControlContract, 'createService', { spec }, { deadlineMs: 10_000 });
  const tasks = await until('40 tasks running', listTasks, (ts) => ts.filter((x) => x.Status.State === 'running' && x.DesiredState === 'running').length === 40, 30_000, summary);
  const hollowIds = new Set(f.nodes.map((n) => n?.nodeId));
  t.true(tasks.every((x) => x.NodeID !== undefined && hollowIds.has(x.NodeID)), 'every task runs on a hollow node');
  t.is(new Set(tasks.map((x) => x.NodeID)).size, 20, 'spread over all 20 nodes');
  // The fleet hears of its last commits just after the store has them.
  const stats = await until('the fleet to count 40 tasks and 40 running reports', async () => f.stats(), (st) => st.tasks === 40 && st.runningCommitted >= 40, 5000);
  t.is(stats.reportErrors, 0);

  // Scale down to 10: the dropped tasks are reported shut down, then leave the nodes' sets.
  const svc = await cluster.client('manager1').call(ControlContract, 'getService', { ref: 'hollow-web' });
  await cluster.client('manager1').call(ControlContract, 'updateService', { ref: svc.ID, version: svc.Version.Index, spec: { ...spec, Mode: { Replicated: { Replicas: 10 } } } });
  // Scaled-down tasks leave the nodes' sets (the dispatcher drops desired `remove`); the nodes
  // report them shut down and the reaper deletes them.
  const after = await until('10 running, the rest gone', listTasks, (ts) => ts.length === 10 && ts.every((x) => x.Status.State === 'running'), 30_000, summary);
  t.is(after.length, 10);
  await until('the fleet to hold 10 tasks', async () => f.stats(), (st) => st.tasks === 10, 5000);
});
