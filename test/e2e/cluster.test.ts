// Multi-process cluster on 127.0.x.y: 3 managers + 2 workers as separate
// shoald processes, driven through their local control sockets. Proves
// init/join (and refused joins), Docker's guard rails, node down detection,
// leader failover, promotion/demotion, restart of every node, leave, and
// force-new-cluster recovery with the state kept.
import test from 'ava';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ControlContract } from '../../src/api/contracts/control.js';
import { DaemonContract } from '../../src/api/contracts/daemon.js';
import type { Node } from '../../src/api/node.js';
import { LocalCluster } from '../../src/cli/local-cluster.js';

const NAMES = ['manager1', 'manager2', 'manager3', 'worker1', 'worker2'];
const cluster = new LocalCluster({ dir: mkdtempSync(join(tmpdir(), 'shoal-e2e-')), names: NAMES, subnet: 79, port: 24377 });
let tokens = { workerToken: '', managerToken: '' };

async function nodes(via: string): Promise<Node[]> {
  return (await cluster.client(via).call(ControlContract, 'listNodes', {}, { deadlineMs: 5000 })).nodes;
}
const byName = (ns: Node[], name: string) => ns.find((n) => n.Description.Hostname === name);

/** Wait until `check` holds, polling a live cluster (bounded). */
async function until<T>(what: string, fn: () => Promise<T>, check: (v: T) => boolean, limitMs = 20_000): Promise<T> {
  const end = Date.now() + limitMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (check(v)) return v;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const errorOf = async (p: Promise<unknown>): Promise<string> => p.then(() => 'no error', (e: unknown) => (e instanceof Error ? e.message : String(e)));

test.before(async () => {
  await Promise.all(NAMES.map((n) => cluster.start(n)));
  tokens = await cluster.init('manager1');
});

test.afterEach.always((t) => {
  if (!t.passed) for (const n of cluster.nodes) t.log(`${n.name}:\n  ${n.log.slice(-12).join('\n  ')}`);
});

test.after.always(async () => {
  await cluster.stop();
});

test.serial('a wrong secret or a token for another CA is refused, and nothing joins', async (t) => {
  const bad = tokens.workerToken.replace(/-[0-9a-z]{25}$/, '-0000000000000000000000000');
  t.regex(await errorOf(cluster.join('worker2', 'manager1', bad)), /valid join token is necessary/);
  const [, , digest] = tokens.workerToken.split('-');
  const otherCa = tokens.workerToken.replace(digest!, '1'.repeat(digest!.length));
  t.regex(await errorOf(cluster.join('worker2', 'manager1', otherCa)), /remote CA does not match fingerprint/);
  t.is((await cluster.client('worker2').call(DaemonContract, 'info', {})).Swarm.LocalNodeState, 'inactive');
  t.is((await nodes('manager1')).length, 1);
});

test.serial('managers and workers join with their tokens; one leader, the others reachable', async (t) => {
  t.is(await cluster.join('manager2', 'manager1', tokens.managerToken), 'manager');
  t.is(await cluster.join('manager3', 'manager1', tokens.managerToken), 'manager');
  t.is(await cluster.join('worker1', 'manager1', tokens.workerToken), 'worker');
  t.is(await cluster.join('worker2', 'manager2', tokens.workerToken), 'worker');
  const ns = await until('all five ready with three raft managers', () => nodes('manager2'), (ns) => ns.length === 5 && ns.every((n) => n.Status.State === 'ready') && ns.filter((n) => n.ManagerStatus?.Reachability === 'reachable').length === 3);
  t.is(ns.filter((n) => n.ManagerStatus?.Leader === true).length, 1);
  t.is(byName(ns, 'worker1')?.ManagerStatus, undefined);
  // `swarm join` as a manager answers once the node votes.
  const raft = await cluster.client('manager1').call(ControlContract, 'raftStatus', {});
  t.is(raft.Members.filter((m) => m.Role === 'voter').length, 3);
  t.regex(await errorOf(cluster.join('worker1', 'manager1', tokens.workerToken)), /already part of a swarm/);
});

test.serial("Docker's guard rails: node rm, demote, leave, and worker control calls", async (t) => {
  const ns = await nodes('manager1');
  const w1 = byName(ns, 'worker1')!;
  const m2 = byName(ns, 'manager2')!;
  t.is(await errorOf(cluster.client('manager1').call(ControlContract, 'removeNode', { ref: 'worker1' })), `node ${w1.ID} is not down and can't be removed`);
  t.is(await errorOf(cluster.client('manager1').call(ControlContract, 'removeNode', { ref: m2.ID.slice(0, 6) })), `node ${m2.ID} is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal`);
  t.is(
    await errorOf(cluster.client('manager3').call(DaemonContract, 'swarmLeave', {})),
    'You are attempting to leave the swarm on a node that is participating as a manager. The only way to restore a swarm that has lost consensus is to reinitialize it with `--force-new-cluster`. Use `--force` to suppress this message.',
  );
  t.regex(await errorOf(cluster.client('worker1').call(ControlContract, 'listNodes', {})), /^This node is not a swarm manager. Worker nodes can't be used/);
});

test.serial('promote moves a worker into raft; demote moves it out', async (t) => {
  const w2 = byName(await nodes('manager1'), 'worker2')!;
  await cluster.client('manager1').call(ControlContract, 'updateNode', { ref: w2.ID, version: w2.Version.Index, spec: { ...w2.Spec, Role: 'manager' } });
  await until('worker2 to be a reachable manager', () => nodes('manager1'), (ns) => byName(ns, 'worker2')?.ManagerStatus?.Reachability === 'reachable');
  t.true((await cluster.client('worker2').call(DaemonContract, 'info', {})).Swarm.ControlAvailable);
  const again = byName(await nodes('manager1'), 'worker2')!;
  await cluster.client('manager1').call(ControlContract, 'updateNode', { ref: again.ID, version: again.Version.Index, spec: { ...again.Spec, Role: 'worker' } });
  await until('worker2 out of raft', () => nodes('manager1'), (ns) => byName(ns, 'worker2')?.ManagerStatus === undefined);
  await until('worker2 to run as a worker', () => cluster.client('worker2').call(DaemonContract, 'info', {}), (i) => !i.Swarm.ControlAvailable);
  t.pass();
});

test.serial('kill -9 of an agent: its node goes down within the heartbeat grace', async (t) => {
  cluster.kill('worker1');
  const t0 = Date.now();
  await until('worker1 down', () => nodes('manager1'), (ns) => byName(ns, 'worker1')?.Status.State === 'down', 10_000);
  const took = Date.now() - t0;
  t.log(`worker1 marked down after ${took} ms (heartbeat 1 s, grace 2.5 periods)`);
  // Down detection runs every quarter period after 2.5 missed periods: 2.5-3.5 s, plus polling.
  t.true(took < 5000, `took ${took} ms`);
});

test.serial('kill -9 of the leader: a surviving manager keeps answering', async (t) => {
  const leader = byName(await nodes('manager1'), 'manager1')?.ManagerStatus?.Leader === true ? 'manager1' : (await nodes('manager1')).find((n) => n.ManagerStatus?.Leader)!.Description.Hostname;
  cluster.kill(leader);
  const survivor = ['manager1', 'manager2', 'manager3'].find((m) => m !== leader)!;
  const ns = await until('a new leader', () => nodes(survivor), (ns) => ns.some((n) => n.ManagerStatus?.Leader === true && n.Description.Hostname !== leader));
  t.is(byName(ns, leader)?.ManagerStatus?.Reachability, 'unreachable');
  // With one of three managers down, demoting another would lose the quorum.
  const other = ns.find((n) => n.Spec.Role === 'manager' && n.Description.Hostname !== leader && n.Description.Hostname !== survivor)!;
  t.is(
    await errorOf(cluster.client(survivor).call(ControlContract, 'updateNode', { ref: other.ID, version: other.Version.Index, spec: { ...other.Spec, Role: 'worker' } })),
    "can't remove member from the raft: this would result in a loss of quorum",
  );
  await cluster.start(leader);
  await cluster.start('worker1');
});

test.serial('restarting every node brings back the same cluster', async (t) => {
  const before = (await until('everyone ready', () => nodes('manager2'), (ns) => ns.every((n) => n.Status.State === 'ready'))).map((n) => n.ID).sort();
  for (const n of NAMES) cluster.kill(n);
  await Promise.all(NAMES.map((n) => cluster.start(n)));
  const after = await until('everyone ready again', () => nodes('manager3'), (ns) => ns.length === 5 && ns.every((n) => n.Status.State === 'ready') && ns.some((n) => n.ManagerStatus?.Leader === true), 40_000);
  t.deepEqual(after.map((n) => n.ID).sort(), before);
});

test.serial('with quorum lost commands fail with Docker\'s words; --force-new-cluster recovers with the state kept', async (t) => {
  cluster.kill('manager2');
  cluster.kill('manager3');
  t.regex(await errorOf(until('no leader', () => nodes('manager1'), () => false, 3000)), /The swarm does not have a leader/);
  await cluster.client('manager1').call(DaemonContract, 'swarmInit', { forceNewCluster: true }, { deadlineMs: 30_000 });
  const ns = await until('manager1 to lead alone', () => nodes('manager1'), (ns) => byName(ns, 'manager1')?.ManagerStatus?.Leader === true);
  t.is(ns.length, 5, 'every node is still known');
  const m1 = byName(ns, 'manager1')!;
  const others = ns.filter((n) => n.Spec.Role === 'manager' && n.ID !== m1.ID);
  for (const o of others) await cluster.client('manager1').call(ControlContract, 'updateNode', { ref: o.ID, version: o.Version.Index, spec: { ...o.Spec, Role: 'worker' } });
  t.is(
    await errorOf(cluster.client('manager1').call(ControlContract, 'updateNode', { ref: m1.ID, version: m1.Version.Index, spec: { ...m1.Spec, Role: 'worker' } })),
    'attempting to demote the last manager of the swarm',
  );
});

test.serial('a worker leaves; it is inactive afterwards', async (t) => {
  await cluster.client('worker2').call(DaemonContract, 'swarmLeave', {});
  t.is((await cluster.client('worker2').call(DaemonContract, 'info', {})).Swarm.LocalNodeState, 'inactive');
});
