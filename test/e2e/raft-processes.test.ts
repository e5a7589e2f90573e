// Real processes: the replicated KV service (src/manager/raft/kv) as 3 and 5
// separate processes on loopback with mutual TLS and LMDB. The leader is
// killed with -9 during a stream of writes; afterwards every acknowledged
// write is on every survivor, the client history is linearizable, and the
// restarted member catches up (by log, or by snapshot).
import test, { type ExecutionContext } from 'ava';
import type { RpcClient } from '../../src/net/rpc/index.js';
import { checkHistory, explainResult, kvModel, type KvInput, type KvOutput, type Operation } from '../../src/manager/raft/lincheck/index.js';
import { KvContract } from '../../src/manager/raft/kv/kv-contract.js';
import { LocalKvCluster } from '../../src/manager/raft/kv/local-cluster.js';

interface RunResult {
  history: Operation<KvInput, KvOutput>[];
  acked: Map<string, string>;
}

async function workload(cluster: LocalKvCluster, clients: RpcClient[], opts: { workers: number; opsPerWorker: number; onProgress: (done: number) => void }): Promise<RunResult> {
  const history: Operation<KvInput, KvOutput>[] = [];
  const acked = new Map<string, string>();
  let done = 0;
  const alive = () => clients.map((c, i) => ({ c, i })).filter(({ i }) => cluster.members[i]?.proc !== null);
  const worker = async (w: number): Promise<void> => {
    for (let n = 0; n < opts.opsPerWorker; n++) {
      const members = alive();
      const { c } = members[(w + n) % members.length]!;
      const key = `k${(w + n) % 4}`;
      const value = `w${w}-${n}`;
      const kind = n % 5;
      const input: KvInput = kind < 2 ? { op: 'put', key, value } : kind < 4 ? { op: 'get', key } : { op: 'cas', key, expected: `w${w}-${n - 1}`, value };
      const call = performance.now();
      try {
        let output: KvOutput;
        if (input.op === 'put') {
          await c.call(KvContract, 'put', { key: input.key, value: input.value }, { deadlineMs: 3000 });
          history.push({ clientId: w, input, call, output: { op: 'put' }, return: performance.now() });
          // A unique key per acknowledged write, to check on every survivor.
          const ackKey = `ack-${w}-${n}`;
          await c.call(KvContract, 'put', { key: ackKey, value }, { deadlineMs: 3000 }).then(
            () => acked.set(ackKey, value),
            () => undefined,
          );
          opts.onProgress(++done);
          continue;
        } else if (input.op === 'get') {
          const r = await c.call(KvContract, 'get', { key: input.key }, { deadlineMs: 3000 });
          output = { op: 'get', value: r.value };
        } else if (input.op === 'cas') {
          const r = await c.call(KvContract, 'cas', { key: input.key, expected: input.expected, value: input.value }, { deadlineMs: 3000 });
          output = { op: 'cas', ok: r.ok };
        } else {
          throw new Error('unreachable');
        }
        history.push({ clientId: w, input, call, output, return: performance.now() });
      } catch {
        // Unknown outcome: it may have taken effect at any time after the call, or never.
        history.push({ clientId: w, input, call, pending: true });
      }
      opts.onProgress(++done);
    }
  };
  await Promise.all(Array.from({ length: opts.workers }, (_, w) => worker(w)));
  return { history, acked };
}

async function scenario(t: ExecutionContext, size: number, basePort: number, snapshotEvery: number, expectSnapshot: boolean): Promise<void> {
  const cluster = new LocalKvCluster({ size, basePort, tickMs: 50, electionTicks: 6, snapshotEvery });
  const clients: RpcClient[] = [];
  try {
    await cluster.startAll();
    clients.push(...cluster.members.map((_, i) => cluster.client(i)));
    const leader = await cluster.leader(clients);
    let killed = false;
    const { history, acked } = await workload(cluster, clients, {
      workers: 4,
      opsPerWorker: 80,
      onProgress: (done) => {
        if (!killed && done >= 60) {
          killed = true;
          cluster.kill(leader);
        }
      },
    });
    t.true(killed);
    t.true(acked.size > 20, `only ${acked.size} writes were acknowledged`);
    // Every acknowledged write is on every survivor (linearizable reads on each).
    for (let i = 0; i < size; i++) {
      if (i === leader) continue;
      for (const [k, v] of acked) {
        const r = await clients[i]!.call(KvContract, 'get', { key: k }, { deadlineMs: 5000 });
        if (r.value !== v) t.fail(`member ${i} lost acknowledged write ${k}=${v} (has ${String(r.value)})`);
      }
    }
    const verdict = checkHistory(kvModel, history, { timeoutMs: 30_000 });
    t.is(verdict.verdict, 'linearizable', explainResult(kvModel, history, verdict));
    // The killed member restarts from its LMDB data and catches up.
    await cluster.start(leader);
    const last = [...acked].at(-1)!;
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        const r = await clients[leader]!.call(KvContract, 'get', { key: last[0] }, { deadlineMs: 2000 });
        if (r.value === last[1]) break;
      } catch {
        // still starting or catching up
      }
      if (Date.now() > deadline) throw new Error('the restarted member did not catch up');
      await new Promise((r) => setTimeout(r, 50));
    }
    const st = await clients[leader]!.call(KvContract, 'status', {}, { deadlineMs: 2000 });
    t.true(st.applied >= st.commit - 1);
    t.is(st.snapshotsInstalled > 0, expectSnapshot, expectSnapshot ? 'it caught up by a snapshot from the leader' : 'it caught up by log entries alone');
    t.log(`${size} members: ${history.length} ops, ${acked.size} acknowledged unique writes, ${history.filter((h) => 'pending' in h).length} with unknown outcome`);
  } catch (err) {
    t.log(cluster.members.map((m, i) => `member ${i} stderr:\n${m.stderr.join('\n')}`).join('\n'));
    throw err;
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    cluster.stop();
  }
}

test.serial('3 managers: kill -9 the leader mid-stream; acknowledged writes survive, history is linearizable, the member catches up by log', async (t) => {
  t.timeout(120_000);
  await scenario(t, 3, 26100, 10_000, false);
});

test.serial('5 managers: kill -9 the leader mid-stream; the restarted member catches up by snapshot', async (t) => {
  t.timeout(120_000);
  await scenario(t, 5, 26200, 50, true);
});
