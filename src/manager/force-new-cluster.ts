// `swarm init --force-new-cluster`: a manager whose swarm lost its quorum
// becomes the only member of a new Raft group that keeps the whole state.
// Like etcd's force-new-cluster, every entry in the local log is taken as
// committed; the state is written as a snapshot whose membership is this
// node alone, at a higher term, so it elects itself at once.
import { decode, encode } from 'cbor-x';
import type { NodeId } from '../api/ids.js';
import { decodeConfChange } from './raft/core/index.js';
import { decodeProposal } from './raft/driver/proposal-envelope.js';
import type { RaftStorage, Snapshot } from './raft/types.js';
import { asIndex, asTerm } from './raft/types.js';
import { MemoryStore, type StoreSnapshot } from './store/memory-store.js';
import { StoreStateMachine } from './store/raft-adapter.js';

export async function forceNewCluster(storage: RaftStorage, self: NodeId): Promise<void> {
  const st = await storage.load();
  const memory = new MemoryStore();
  const sm = new StoreStateMachine(memory);
  let addresses: Record<string, string> = {};
  if (st.snapshot !== null) {
    const [addrs, data] = decode(st.snapshot.data) as [Record<string, string>, Uint8Array];
    addresses = addrs;
    memory.restore(decode(data) as StoreSnapshot);
  }
  let last = st.snapshot?.meta.index ?? 0;
  let lastTerm = st.snapshot?.meta.term ?? 0;
  for (const e of st.entries) {
    last = e.index;
    lastTerm = e.term;
    if (e.kind === 'config') {
      const cc = decodeConfChange(e.data);
      if (cc.context !== undefined && cc.type !== 'remove') addresses[cc.id] = Buffer.from(cc.context).toString('utf8');
      continue;
    }
    if (e.data.byteLength === 0) continue;
    const env = decodeProposal(e.data);
    if (env !== null) sm.apply(e.index, env.payload);
  }
  const kept = addresses[self];
  // The snapshot covers one index past the log (a virtual no-op in a new
  // term), so it is newer than anything stored and replaces the membership.
  const term = Math.max(st.hardState.term, lastTerm) + 1;
  const snap: Snapshot = {
    meta: { index: asIndex(last + 1), term: asTerm(term), conf: { voters: [self], learners: [] } },
    data: new Uint8Array(encode([kept !== undefined ? { [self]: kept } : {}, new Uint8Array(encode(memory.snapshot()))])),
  };
  await storage.save({ snapshot: snap, hardState: { term: asTerm(term), vote: null, commit: asIndex(last + 1) } });
}
