// The checks can fail: a sim driver with a deliberate bug must be caught on
// some seed. (If these stop finding anything, the simulator lost its teeth.)
import test from 'ava';
import type { PartialOptions } from '../../../../src/manager/raft/sim/options.js';
import type { SimResult } from '../../../../src/manager/raft/sim/run.js';
import { describeFailure, runSimulation } from '../../../../src/manager/raft/sim/run.js';
import type { ViolationKind } from '../../../../src/manager/raft/sim/violation.js';

const SAFETY: readonly string[] = ['election-safety', 'log-matching', 'leader-append-only', 'leader-completeness', 'state-machine-safety'] satisfies ViolationKind[];

/** The first seed from 1 whose run fails `accept`, or null after `limit` seeds. */
async function firstFailing(given: Omit<PartialOptions, 'seed'>, limit: number, accept: (r: SimResult) => boolean): Promise<SimResult | null> {
  for (let seed = 1; seed <= limit; seed++) {
    const r = await runSimulation({ seed, ...given });
    if (r.failure !== null && accept(r)) return r;
  }
  return null;
}

test('sending before persisting is caught by the durability check: a member restarts without what it promised', async (t) => {
  const r = await firstFailing({ fault: 'send-before-persist', profile: 'crashes' }, 20, () => true);
  t.is(r?.failure?.kind, 'durability', r === null ? 'nothing failed in 20 seeds' : describeFailure(r));
  if (r !== null) t.log(describeFailure(r));
});

test('sending before persisting breaks Raft safety itself (with the durability check off), and the simulator says so', async (t) => {
  // Most such runs stop earlier: the core refuses a commit index beyond its
  // log (the acknowledged entries the crash took back), as etcd's does. On a
  // few seeds a leader is elected without a committed entry, or two in a term.
  const given = { fault: 'send-before-persist', profile: 'crashes', members: 3, durabilityCheck: false } as const;
  const r = await firstFailing(given, 200, (x) => SAFETY.includes(x.failure?.kind ?? ''));
  t.not(r, null, 'no Raft safety property broken within 200 seeds: did the simulator lose its teeth, or did the seeds shift (raise the limit)?');
  if (r !== null) t.log(describeFailure(r));
});

test('reads served without ReadIndex are caught by the linearizability check', async (t) => {
  const r = await firstFailing({ fault: 'local-read', profile: 'partitions' }, 20, (x) => x.failure?.kind === 'linearizability');
  t.not(r, null, 'a non-linearizable history within 20 seeds');
  if (r !== null) t.log(describeFailure(r).split('\n').slice(0, 8).join('\n'));
});
