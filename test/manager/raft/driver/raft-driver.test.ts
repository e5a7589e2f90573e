import test from 'ava';
import { asNodeId } from '../../../../src/api/ids.js';
import { RaftDriver } from '../../../../src/manager/raft/driver/raft-driver.js';
import { MemoryRaftStorage } from '../../../../src/manager/raft/storage/index.js';
import type { MemberId } from '../../../../src/manager/raft/types.js';
import { KvMachine, put } from './kv-machine.js';
import { MemoryNetwork } from './memory-network.js';

interface Member {
  id: MemberId;
  driver: RaftDriver;
  sm: KvMachine;
  storage: MemoryRaftStorage;
}

async function until(cond: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function cluster(n: number, net = new MemoryNetwork(), opts: { snapshotEvery?: number } = {}): Promise<Member[]> {
  const ids = Array.from({ length: n }, (_, i) => asNodeId(`m${i + 1}`));
  return Promise.all(
    ids.map(async (id) => {
      const sm = new KvMachine();
      const storage = new MemoryRaftStorage();
      const driver = await RaftDriver.open({ id, storage, transport: net.transport(id), stateMachine: sm, bootstrap: { voters: ids }, tickMs: 10, electionTicks: 5, ...opts });
      return { id, driver, sm, storage };
    }),
  );
}

const leaderOf = (ms: Member[]) => ms.find((m) => m.driver.isLeader);

test('three members elect one leader, and a write proposed on a follower is applied everywhere', async (t) => {
  const ms = await cluster(3);
  try {
    await until(() => leaderOf(ms) !== undefined, 'a leader');
    const follower = ms.find((m) => !m.driver.isLeader)!;
    const out = await follower.driver.propose(put('a', '1'));
    t.is(out.result, null);
    await until(() => ms.every((m) => m.sm.data.get('a') === '1'), 'the write everywhere');
    t.is(ms.filter((m) => m.driver.isLeader).length, 1);
  } finally {
    await Promise.all(ms.map((m) => m.driver.stop()));
  }
});

test('readIndex on a follower waits until it has applied every write acknowledged before the read', async (t) => {
  const ms = await cluster(3);
  try {
    await until(() => leaderOf(ms) !== undefined, 'a leader');
    const leader = leaderOf(ms)!;
    for (let i = 0; i < 20; i++) await leader.driver.propose(put('k', String(i)));
    const follower = ms.find((m) => !m.driver.isLeader)!;
    await follower.driver.readIndex();
    t.is(follower.sm.data.get('k'), '19');
  } finally {
    await Promise.all(ms.map((m) => m.driver.stop()));
  }
});

test('when the leader is cut off, the others elect a new one and keep accepting writes', async (t) => {
  const net = new MemoryNetwork();
  const ms = await cluster(3, net);
  try {
    await until(() => leaderOf(ms) !== undefined, 'a leader');
    const old = leaderOf(ms)!;
    await old.driver.propose(put('x', 'before'));
    net.isolate(old.id);
    const rest = ms.filter((m) => m !== old);
    await until(() => rest.some((m) => m.driver.isLeader), 'a new leader');
    const fresh = rest.find((m) => m.driver.isLeader)!;
    await fresh.driver.propose(put('x', 'after'));
    // The old leader steps down (check-quorum) and, healed, catches up.
    await until(() => !old.driver.isLeader, 'the old leader to step down');
    net.heal(old.id);
    await until(() => old.sm.data.get('x') === 'after', 'the old leader to catch up');
    t.pass();
  } finally {
    await Promise.all(ms.map((m) => m.driver.stop()));
  }
});

test('concurrent proposals are batched and all acknowledged in order of application', async (t) => {
  const ms = await cluster(3);
  try {
    await until(() => leaderOf(ms) !== undefined, 'a leader');
    const leader = leaderOf(ms)!;
    const outs = await Promise.all(Array.from({ length: 200 }, (_, i) => leader.driver.propose(put(`k${i}`, 'v'))));
    const indexes = outs.map((o) => o.index);
    t.is(new Set(indexes).size, 200);
    await until(() => ms.every((m) => m.sm.data.size === 200), 'all writes everywhere');
  } finally {
    await Promise.all(ms.map((m) => m.driver.stop()));
  }
});

test('a learner added later catches up by snapshot, then is promoted to voter', async (t) => {
  const net = new MemoryNetwork();
  const ms = await cluster(3, net, { snapshotEvery: 20 });
  const id = asNodeId('m4');
  const sm = new KvMachine();
  const late = await RaftDriver.open({ id, storage: new MemoryRaftStorage(), transport: net.transport(id), stateMachine: sm, tickMs: 10, electionTicks: 5, snapshotEvery: 20 });
  try {
    await until(() => leaderOf(ms) !== undefined, 'a leader');
    const leader = leaderOf(ms)!;
    for (let i = 0; i < 50; i++) await leader.driver.propose(put(`k${i}`, String(i)));
    t.true(leader.driver.status().snapshotIndex > 0, 'the leader compacted its log');
    await leader.driver.addLearner(id, 'mem://m4');
    await until(() => sm.data.size === 50, 'the learner to catch up');
    await leader.driver.promote(id);
    t.true(leader.driver.status().conf.voters.includes(id));
    t.is(leader.driver.status().addresses['m4'], 'mem://m4');
  } finally {
    await Promise.all([...ms.map((m) => m.driver.stop()), late.stop()]);
  }
});

test('leadership transfer moves the leader to the chosen member', async (t) => {
  const ms = await cluster(3);
  try {
    await until(() => leaderOf(ms) !== undefined, 'a leader');
    const leader = leaderOf(ms)!;
    const target = ms.find((m) => m !== leader)!;
    await leader.driver.transferLeadership(target.id);
    t.true(target.driver.isLeader);
  } finally {
    await Promise.all(ms.map((m) => m.driver.stop()));
  }
});

test('a member restarted from its storage recovers its state and rejoins', async (t) => {
  const net = new MemoryNetwork();
  const ms = await cluster(3, net);
  try {
    await until(() => leaderOf(ms) !== undefined, 'a leader');
    const leader = leaderOf(ms)!;
    for (let i = 0; i < 10; i++) await leader.driver.propose(put('r', String(i)));
    const victim = ms.find((m) => m !== leader)!;
    await until(() => victim.sm.data.get('r') === '9', 'the victim to apply');
    await victim.driver.stop();
    victim.storage.reopen();
    const sm = new KvMachine();
    victim.driver = await RaftDriver.open({ id: victim.id, storage: victim.storage, transport: net.transport(victim.id), stateMachine: sm, tickMs: 10, electionTicks: 5 });
    victim.sm = sm;
    await leader.driver.propose(put('r', 'after'));
    await until(() => sm.data.get('r') === 'after', 'the restarted member to catch up');
    t.pass();
  } finally {
    await Promise.all(ms.map((m) => m.driver.stop()));
  }
});
