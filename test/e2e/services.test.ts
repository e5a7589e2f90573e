// Services on a real local cluster: shoald processes on 127.0.85.x (two
// managers, one worker) running tasks with the process runtime, driven
// through the Control contract. Proves the whole loop: orchestrator ->
// scheduler -> dispatcher -> agent worker -> runtime -> status reports back,
// self-healing, scaling, an update that fails and rolls back by itself,
// draining, service logs through a follower, and leave removing the tasks.
import test from 'ava';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ControlContract, type LogLine } from '../../src/api/contracts/control.js';
import { DaemonContract } from '../../src/api/contracts/daemon.js';
import type { Node } from '../../src/api/node.js';
import type { Service } from '../../src/api/service.js';
import type { Task } from '../../src/api/task.js';
import { LocalCluster } from '../../src/cli/local-cluster.js';

const NAMES = ['manager1', 'manager2', 'worker1'];
const cluster = new LocalCluster({ dir: mkdtempSync(join(tmpdir(), 'shoal-e2e-services-')), names: NAMES, subnet: 85, port: 24385 });
const MS = 1_000_000;
const control = (via = 'manager1') => cluster.client(via);

/** Wait until `check` holds, polling the cluster (bounded). */
async function until<T>(what: string, fn: () => Promise<T>, check: (v: T) => boolean, limitMs = 30_000): Promise<T> {
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
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)?.slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const nodes = async (): Promise<Node[]> => (await control().call(ControlContract, 'listNodes', {}, { deadlineMs: 5000 })).nodes;
const nodeId = async (name: string): Promise<string> => (await nodes()).find((n) => n.Description.Hostname === name)?.ID ?? '';
const service = (ref: string): Promise<Service> => control().call(ControlContract, 'getService', { ref }, { deadlineMs: 5000 });
const tasksOf = async (ref: string): Promise<Task[]> => {
  const s = await service(ref);
  return (await control().call(ControlContract, 'listTasks', { serviceIds: [s.ID] }, { deadlineMs: 5000 })).tasks;
};
const running = (ts: Task[]): Task[] => ts.filter((t) => t.DesiredState === 'running' && t.Status.State === 'running');
const pidOf = (t: Task): number => t.Status.ContainerStatus?.PID ?? 0;

function alive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

async function update(ref: string, change: (spec: Service['Spec']) => unknown): Promise<void> {
  const s = await service(ref);
  await control().call(ControlContract, 'updateService', { ref: s.ID, version: s.Version.Index, spec: change(s.Spec) }, { deadlineMs: 10_000 });
}

const withReplicas = (n: number) => (spec: Service['Spec']) => ({ ...spec, Mode: { Replicated: { Replicas: n } } });

async function create(spec: unknown): Promise<string> {
  return (await control().call(ControlContract, 'createService', { spec }, { deadlineMs: 10_000 })).id;
}

function sleeper(name: string, replicas: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Name: name,
    Mode: { Replicated: { Replicas: replicas } },
    TaskTemplate: {
      ContainerSpec: { Image: 'local/busybox:1', Command: ['sleep', '1000'], StopGracePeriod: 1000 * MS },
      RestartPolicy: { Condition: 'any', Delay: 200 * MS },
    },
    ...extra,
  };
}

/** The supervisors the process runtime left under this cluster's data dirs (for the final sweep). */
function supervisorPids(): number[] {
  const pids: number[] = [];
  for (const n of cluster.nodes) {
    const dir = join(n.dataDir, 'agent', 'tasks');
    if (!existsSync(dir)) continue;
    for (const id of readdirSync(dir)) {
      try {
        const record = JSON.parse(readFileSync(join(dir, id, 'task.json'), 'utf8')) as { supervisor?: { pid?: number } };
        if (typeof record.supervisor?.pid === 'number') pids.push(record.supervisor.pid);
      } catch {
        // half-written or gone
      }
    }
  }
  return pids;
}

test.before(async () => {
  await Promise.all(NAMES.map((n) => cluster.start(n)));
  const tokens = await cluster.init('manager1');
  await cluster.join('manager2', 'manager1', tokens.managerToken);
  await cluster.join('worker1', 'manager1', tokens.workerToken);
  await until('three ready nodes, two reachable managers', nodes, (ns) => ns.length === 3 && ns.every((n) => n.Status.State === 'ready') && ns.filter((n) => n.ManagerStatus?.Reachability === 'reachable').length === 2);
});

test.afterEach.always((t) => {
  if (!t.passed) for (const n of cluster.nodes) t.log(`${n.name}:\n  ${n.log.slice(-15).join('\n  ')}`);
});

test.after.always(async () => {
  for (const s of (await control().call(ControlContract, 'listServices', {}, { deadlineMs: 5000 }).catch(() => ({ services: [] }))).services) {
    await control().call(ControlContract, 'removeService', { ref: s.ID }, { deadlineMs: 5000 }).catch(() => undefined);
  }
  await until('every task process to be gone', async () => supervisorPids().filter(alive), (left) => left.length === 0, 15_000).catch(() => undefined);
  const leftover = supervisorPids();
  // Stopping the cluster also removes the tasks its agents left running.
  await cluster.stop();
  for (const pid of leftover.filter(alive)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

test.serial('createService of 3 replicas of `sleep 1000`: all running, one per node, as real processes', async (t) => {
  await create(sleeper('sleepy', 3));
  const tasks = await until('3 running tasks', () => tasksOf('sleepy'), (ts) => running(ts).length === 3);
  const live = running(tasks);
  t.is(new Set(live.map((x) => x.NodeID)).size, 3, 'spread over the three nodes');
  for (const task of live) {
    t.is(task.Status.Message, 'started');
    t.true(alive(pidOf(task)), `task ${task.ID} runs as pid ${pidOf(task)}`);
    t.regex(task.Status.ContainerStatus?.ContainerID ?? '', /^pid:\d+$/);
  }
});

test.serial("a task killed behind the agent's back fails with exit 137 and is replaced", async (t) => {
  const victim = running(await tasksOf('sleepy'))[0]!;
  process.kill(pidOf(victim), 'SIGKILL');
  const tasks = await until('the victim failed and its slot runs again', () => tasksOf('sleepy'), (ts) => ts.some((x) => x.ID === victim.ID && x.Status.State === 'failed') && running(ts).length === 3);
  const failed = tasks.find((x) => x.ID === victim.ID)!;
  t.is(failed.Status.Err, 'task: non-zero exit (137)');
  t.is(failed.Status.ContainerStatus?.ExitCode, 137);
  t.true(running(tasks).some((x) => x.Slot === victim.Slot && x.ID !== victim.ID), 'a replacement in the same slot');
});

test.serial('scale down to 1 stops the others (their processes end); scale up to 3 runs them again', async (t) => {
  const before = running(await tasksOf('sleepy'));
  await update('sleepy', withReplicas(1));
  const after = await until('one running task', () => tasksOf('sleepy'), (ts) => running(ts).length === 1 && ts.filter((x) => x.Status.State === 'running').length === 1);
  const kept = running(after)[0]!;
  for (const gone of before.filter((x) => x.ID !== kept.ID)) {
    await until(`the process of ${gone.ID} to end`, async () => alive(pidOf(gone)), (a) => !a, 10_000);
  }
  await update('sleepy', withReplicas(3));
  await until('three running tasks again', () => tasksOf('sleepy'), (ts) => running(ts).length === 3);
  t.pass();
});

test.serial('draining a node moves its tasks to the other nodes', async (t) => {
  // Any node running a task of the service (placement avoids nodes with recent failures, so not always worker1).
  const victim = running(await until('three running tasks', () => tasksOf('sleepy'), (ts) => running(ts).length === 3))[0]!.NodeID!;
  const node = await control().call(ControlContract, 'getNode', { ref: victim }, { deadlineMs: 5000 });
  await control().call(ControlContract, 'updateNode', { ref: victim, version: node.Version.Index, spec: { ...node.Spec, Availability: 'drain' } }, { deadlineMs: 5000 });
  const tasks = await until('no task on the drained node, three running elsewhere', () => tasksOf('sleepy'), (ts) => running(ts).length === 3 && ts.every((x) => x.NodeID !== victim || x.Status.State !== 'running'));
  t.true(running(tasks).every((x) => x.NodeID !== victim));
  const drained = tasks.filter((x) => x.NodeID === victim && x.DesiredState === 'shutdown' && x.Status.State === 'shutdown');
  t.true(drained.length > 0, 'shut down on the drained node');
  t.true(drained.every((x) => !alive(pidOf(x))), 'their processes ended');
  const again = await control().call(ControlContract, 'getNode', { ref: victim }, { deadlineMs: 5000 });
  await control().call(ControlContract, 'updateNode', { ref: victim, version: again.Version.Index, spec: { ...again.Spec, Availability: 'active' } }, { deadlineMs: 5000 });
});

test.serial('an update to a command that exits 1, with failure action rollback, rolls back by itself', async (t) => {
  await update('sleepy', (spec) => ({
    ...spec,
    TaskTemplate: { ...spec.TaskTemplate, ContainerSpec: { ...spec.TaskTemplate.ContainerSpec, Command: ['sh', '-c', 'exit 1'] } },
    UpdateConfig: { Parallelism: 1, Delay: 0, FailureAction: 'rollback', Monitor: 2000 * MS, MaxFailureRatio: 0, Order: 'stop-first' },
  }));
  const s = await until('the rollback to complete', () => service('sleepy'), (x) => x.UpdateStatus?.State === 'rollback_completed', 20_000);
  t.deepEqual(s.Spec.TaskTemplate.ContainerSpec.Command, ['sleep', '1000']);
  const tasks = await until('three running tasks of the old command', () => tasksOf('sleepy'), (ts) => running(ts).length === 3 && running(ts).every((x) => x.Spec.ContainerSpec.Command?.[0] === 'sleep'));
  t.true(tasks.some((x) => x.Spec.ContainerSpec.Command?.[2] === 'exit 1' && x.Status.Err === 'task: non-zero exit (1)'), 'the new task failed with its exit code');
});

test.serial('serviceLogs returns the lines a task printed, through a follower manager too', async (t) => {
  await create({
    Name: 'talker',
    Mode: { Replicated: { Replicas: 1 } },
    TaskTemplate: { ContainerSpec: { Image: 'local/busybox:1', Command: ['sh', '-c', 'echo hello from talker; echo oops >&2; exec sleep 1000'], StopGracePeriod: 1000 * MS } },
  });
  await until('talker running', () => tasksOf('talker'), (ts) => running(ts).length === 1);
  const read = async (via: string): Promise<LogLine[]> => {
    const out: LogLine[] = [];
    for await (const l of control(via).stream(ControlContract, 'serviceLogs', { ref: 'talker', follow: false, timestamps: false }, { deadlineMs: 10_000 })) out.push(l);
    return out;
  };
  const lines = await until('both lines', () => read('manager1'), (ls) => ls.length === 2);
  const task = running(await tasksOf('talker'))[0]!;
  t.deepEqual(lines.map((l) => `${l.Stream}:${l.Line}`).sort(), ['stderr:oops', 'stdout:hello from talker']);
  t.true(lines.every((l) => l.TaskID === task.ID && l.NodeID === task.NodeID && !Number.isNaN(Date.parse(l.Time))));
  const leader = (await nodes()).find((n) => n.ManagerStatus?.Leader === true)?.Description.Hostname;
  const follower = leader === 'manager1' ? 'manager2' : 'manager1';
  t.deepEqual((await read(follower)).map((l) => l.Line).sort(), ['hello from talker', 'oops']);
  // Following: the stream stays open until the client leaves it.
  const followed: string[] = [];
  for await (const l of control(follower).stream(ControlContract, 'serviceLogs', { ref: task.ID, follow: true, tail: 1, timestamps: false })) {
    followed.push(l.Line);
    break;
  }
  t.is(followed.length, 1, 'the last line (tail 1), then the client leaves');
});

test.serial('a node leaving the swarm stops and removes its tasks', async (t) => {
  await create({ ...sleeper('everywhere', 0), Mode: { Global: {} } });
  const worker = await nodeId('worker1');
  const tasks = await until('a global task on each node', () => tasksOf('everywhere'), (ts) => running(ts).length === 3);
  const mine = running(tasks).find((x) => x.NodeID === worker)!;
  t.true(alive(pidOf(mine)));
  await cluster.client('worker1').call(DaemonContract, 'swarmLeave', {}, { deadlineMs: 45_000 }).catch((err: unknown) => {
    t.log(`worker1:\n  ${cluster.node('worker1').log.join('\n  ')}`);
    throw err;
  });
  t.false(alive(pidOf(mine)), 'its process ended');
  const dir = join(cluster.node('worker1').dataDir, 'agent', 'tasks');
  t.deepEqual(existsSync(dir) ? readdirSync(dir) : [], [], 'and its task dirs are gone');
});
