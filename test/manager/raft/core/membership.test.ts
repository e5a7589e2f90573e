// Raft paper §6 (single-server changes, thesis §4): adding and removing
// voters one at a time, learners, and leaders removed from the cluster.
import test from 'ava';
import type { ConfChange } from '../../../../src/manager/raft/core/index.js';
import { Network, bytes, id, view } from './harness.js';

const [n1, n2, n3, n4, n5] = [id(1), id(2), id(3), id(4), id(5)];

function change(net: Network, at: typeof n1, cc: ConfChange): string {
  const r = net.node(at).proposeConfChange(cc);
  net.stabilize();
  return r.kind === 'dropped' ? r.reason : r.kind;
}

test('§6 a new voter joins with an empty log, catches up, and then counts toward the quorum', (t) => {
  const net = new Network(3);
  net.elect(n1);
  net.propose(n1, 'before');
  net.join(n4);
  t.is(change(net, n1, { type: 'add-voter', id: n4 }), 'appended');
  t.deepEqual(net.get(n1).conf, { voters: [n1, n2, n3, n4], learners: [] });
  t.deepEqual(net.get(n4).conf, { voters: [n1, n2, n3, n4], learners: [] }, 'n4 applied its own addition');
  t.deepEqual(net.get(n4).sm, ['before']);
  // 4 voters: a quorum is 3, so n1 and n4 alone are not enough.
  net.cut(n1, n2);
  net.cut(n1, n3);
  net.propose(n1, 'needs 3 of 4');
  t.deepEqual(net.get(n1).sm, ['before']);
  net.heal();
  net.tickAll(2);
  t.deepEqual(net.get(n1).sm, ['before', 'needs 3 of 4']);
});

test('§6 a removed voter no longer counts: two of the remaining two commit', (t) => {
  const net = new Network(3);
  net.elect(n1);
  t.is(change(net, n1, { type: 'remove', id: n3 }), 'appended');
  t.deepEqual(net.get(n1).conf.voters, [n1, n2]);
  net.isolate(n3);
  net.propose(n1, 'x');
  t.deepEqual(net.get(n2).sm, ['x']);
  t.deepEqual(view(net.node(n1)).commit, view(net.node(n2)).commit);
  t.deepEqual(net.node(n1).status().progress.map((p) => p.id), [n2], 'the leader no longer tracks n3');
});

test('§6 a leader that removes itself steps down once the change is committed, and never campaigns again', (t) => {
  const net = new Network(3);
  net.elect(n1);
  t.is(change(net, n1, { type: 'remove', id: n1 }), 'appended');
  t.is(view(net.node(n1)).role, 'follower');
  t.deepEqual(net.get(n2).conf.voters, [n2, n3], 'the others learned the commit before it left');
  const mark = net.delivered.length;
  net.tickAll(40);
  const leaders = net.leaders();
  t.is(leaders.length, 1);
  t.not(leaders[0], n1);
  t.is(view(net.node(n1)).role, 'follower');
  const leader = leaders[0];
  if (leader === undefined) return;
  net.propose(leader, 'after');
  t.deepEqual(net.get(n2).sm, ['after']);
  t.false(net.delivered.slice(mark).some((m) => m.from === n1 && (m.type === 'vote' || m.type === 'pre-vote')), 'n1 never asked for votes after removal');
});

test('§6 one change at a time: a second change is refused until the first is applied', (t) => {
  const net = new Network(3);
  net.elect(n1);
  net.join(n4);
  net.join(n5);
  const first = net.node(n1).proposeConfChange({ type: 'add-voter', id: n4 });
  t.is(first.kind, 'appended');
  const second = net.node(n1).proposeConfChange({ type: 'add-voter', id: n5 });
  t.like(second, { kind: 'dropped', reason: 'conf-change-pending' });
  net.stabilize();
  t.is(change(net, n1, { type: 'add-voter', id: n5 }), 'appended');
  t.deepEqual(net.get(n5).conf.voters, [n1, n2, n3, n4, n5]);
});

test('§6 a new leader changes membership only after an entry of its own term is applied', (t) => {
  const net = new Network(3);
  net.elect(n1);
  net.node(n2).campaign();
  net.flush();
  net.deliver(); // the votes
  net.flush();
  net.deliver(); // the grants: n2 leads, its no-op not yet committed
  t.is(view(net.node(n2)).role, 'leader');
  t.like(net.node(n2).proposeConfChange({ type: 'remove', id: n3 }), { kind: 'dropped', reason: 'conf-change-pending' });
  net.stabilize();
  t.is(change(net, n2, { type: 'remove', id: n3 }), 'appended');
});

test('§6 changes that make no sense are refused with a reason', (t) => {
  const single = new Network(1);
  single.elect(n1);
  const r = single.node(n1).proposeConfChange({ type: 'remove', id: n1 });
  t.like(r, { kind: 'dropped', reason: 'invalid-conf-change' });
  if (r.kind === 'dropped') t.regex(r.message, /only voter/);
  const net = new Network(3);
  net.elect(n1);
  t.is(change(net, n1, { type: 'add-voter', id: n2 }), 'invalid-conf-change');
  t.is(change(net, n1, { type: 'remove', id: n5 }), 'invalid-conf-change');
});

test('§6 a follower forwards a membership change to the leader', (t) => {
  const net = new Network(3);
  net.elect(n1);
  net.join(n4);
  t.is(change(net, n2, { type: 'add-learner', id: n4 }), 'forwarded');
  t.deepEqual(net.get(n1).conf, { voters: [n1, n2, n3], learners: [n4] });
});

test('learners receive the log but never vote, campaign or count toward commit', (t) => {
  const net = new Network(2, { learners: [n3] });
  net.elect(n1);
  net.propose(n1, 'a');
  t.deepEqual(net.get(n3).sm, ['a'], 'the learner has the log');
  t.false(net.delivered.some((m) => m.type === 'vote' && m.to === n3), 'no vote request to a learner');
  // With n2 cut off, n1 and the learner are no quorum of the two voters.
  net.isolate(n2);
  net.propose(n1, 'b');
  t.deepEqual(net.get(n3).storage.entries.map((e) => new TextDecoder().decode(e.data)).at(-1), 'b', 'the learner stored it');
  t.deepEqual(net.get(n1).sm, ['a'], 'but it is not committed');
  // A learner never campaigns however long it waits.
  net.isolate(n3);
  for (let i = 0; i < 50; i++) net.node(n3).tick();
  net.flush();
  t.is(view(net.node(n3)).role, 'follower');
  t.false(net.queue.some((m) => m.from === n3 && m.type === 'vote'));
  t.like(net.node(n1).status().progress.find((p) => p.id === n3), { learner: true });
});

test('a learner is promoted by add-voter and may then lead', (t) => {
  const net = new Network(2, { learners: [n3] });
  net.elect(n1);
  t.is(change(net, n1, { type: 'add-voter', id: n3 }), 'appended');
  t.deepEqual(net.get(n3).conf, { voters: [n1, n2, n3], learners: [] });
  t.like(net.node(n1).status().progress.find((p) => p.id === n3), { learner: false });
  net.elect(n3);
  t.deepEqual(net.leaders(), [n3]);
});

test('a voter can be demoted to learner', (t) => {
  const net = new Network(3);
  net.elect(n1);
  t.is(change(net, n1, { type: 'add-learner', id: n3 }), 'appended');
  t.deepEqual(net.get(n2).conf, { voters: [n1, n2], learners: [n3] });
  net.propose(n1, 'x');
  t.deepEqual(net.get(n3).sm, ['x']);
});

test('a restarted member recovers its configuration by re-applying committed config entries', (t) => {
  const net = new Network(3);
  net.elect(n1);
  net.join(n4);
  change(net, n1, { type: 'add-voter', id: n4 });
  net.restart(n2);
  t.deepEqual(net.node(n2).status().conf, { voters: [], learners: [] }, 'nothing applied yet');
  net.stabilize();
  t.deepEqual(net.get(n2).conf.voters, [n1, n2, n3, n4]);
  net.isolate(n1);
  net.tickAll(40);
  const leader = net.leaders().find((l) => l !== n1);
  t.truthy(leader, 'the restarted cluster elects a leader under the new configuration');
  if (leader !== undefined) t.is(net.node(leader).propose(bytes('y')).kind, 'appended');
});
