// Core bugs the simulator found, each as the smallest scenario that shows it.
// The seeds named found it with the simulator of the commit that fixed the
// bug; later changes to the simulator reshuffle what a seed does.
import test from 'ava';
import { Network, bytes, id } from '../core/harness.js';
import { asIndex, asTerm } from '../../../../src/manager/raft/types.js';

const [n1, n2, n3] = [id(1), id(2), id(3)];

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

test('an answer to a stale-term append acknowledges only what is committed, not a conflicting tail', (t) => {
  // Found by seeds 202657, 202795 and 203098 (3 and 5 members). The old
  // leader n2 of term 5 crashed holding 31/5, which the next leader
  // overwrote with 31/6 and committed. After its restart n2 got an append
  // from term 4 that had been delayed on the wire; answering a stale term
  // (so the sender learns it is stale) it said "append-response, term 6,
  // index 31" - its whole log. The leader of term 6 took that as n2 matching
  // up to 31, told it commit 31, and n2 applied 31/5: two members applied
  // different entries at index 31.
  const net = new Network(3, { config: { preVote: true } });
  net.elect(n1);
  net.isolate(n1);
  net.node(n1).propose(bytes('lost')); // 5/2, only on n1
  net.stabilize();
  net.elect(n2); // term 3: 5/3 (no-op) committed with n3
  net.propose(n2, 'kept');
  net.heal();
  net.dropIf = (m) => m.type === 'append' && m.to === n1; // n1's tail stays unrepaired
  net.node(n1).step({ type: 'heartbeat', from: n2, to: n1, term: net.node(n2).status().term, commit: asIndex(0), context: null });
  net.stabilize();
  t.is(net.node(n1).status().term, net.node(n2).status().term, 'n1 follows n2 in term 3, its 5/2 still there');
  // A heartbeat from term 2, delayed on the wire, reaches n1 now.
  net.node(n1).step({ type: 'heartbeat', from: n2, to: n1, term: asTerm(2), commit: asIndex(0), context: null });
  t.notThrows(() => net.tickAll(3), 'n1 must not commit (and apply) its conflicting 5/2');
  net.dropIf = null;
  t.notThrows(() => net.tickAll(3));
  t.is(net.node(n1).status().applied, net.node(n2).status().applied);
});
