// Core bugs the simulator found, each as the smallest scenario that shows it,
// next to the seed that found it (replay: npx tsx src/manager/raft/sim/cli.ts --seed N --trace).
import test from 'ava';
import { Network, id } from '../core/harness.js';
import { describeFailure, runSimulation } from '../../../../src/manager/raft/sim/run.js';

const [n1, , n3] = [id(1), id(2), id(3)];

test('a replicating follower whose lost appends were compacted away gets the snapshot on its next heartbeat answer', (t) => {
  // Found by seed 2759 (5 members, chaos): n1's answers were cut off while the
  // leader's appends filled its window; by the time n1 was heard again the
  // leader had compacted past n1's next index. The heartbeat-answer probe
  // (an empty append at next - 1) then had no term to send and was skipped,
  // the full window paused every append, and n1 stayed behind forever.
  const net = new Network(3, { config: { maxInflightMsgs: 2 } });
  net.elect(n1);
  net.dropIf = (m) => m.to === n3 && m.type === 'append';
  for (let i = 0; i < 4; i++) net.propose(n1, `x${i}`);
  net.dropIf = null;
  t.is(net.node(n1).status().progress.find((p) => p.id === n3)?.state, 'replicate');
  net.compact(n1);
  net.tickAll(3);
  t.is(net.node(n3).status().commit, net.node(n1).status().commit, 'n3 caught up from the snapshot');
});

test('seed 2759: the simulation that found the compacted replicate probe passes', async (t) => {
  const r = await runSimulation({ seed: 2759 });
  t.is(r.failure, null, describeFailure(r));
});
