// Core bugs the simulator found, each as the smallest scenario that shows it.
// The seeds named found it with the simulator of the commit that fixed the
// bug; later changes to the simulator reshuffle what a seed does.
import test from 'ava';
import { Network, id } from '../core/harness.js';

const [n1, , n3] = [id(1), id(2), id(3)];

test('a replicating follower whose lost appends were compacted away gets the snapshot on its next heartbeat answer', (t) => {
  // Found by seeds 2751, 2759 and 3080 (5 members; fixed in 0a6b38b). In
  // 2759, n1's answers were cut off while the leader's appends filled its
  // window; by the time n1 was heard again the leader had compacted past
  // n1's next index. The heartbeat-answer probe
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
