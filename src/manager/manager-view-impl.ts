// The control API's view of Raft, computed from the driver's status.
import type { ManagerView, RaftMemberView } from './controlapi/manager-view.js';
import type { RaftDriver } from './raft/driver/raft-driver.js';

export function managerView(driver: RaftDriver): ManagerView {
  const members = (): RaftMemberView[] => {
    const st = driver.status();
    const all = [...st.conf.voters.map((id) => [id, true] as const), ...st.conf.learners.map((id) => [id, false] as const)];
    return all.map(([id, voter]) => {
      const p = st.progress.find((x) => x.id === id);
      const reachable = id === st.id ? true : p !== undefined ? p.recentActive || p.state === 'replicate' : st.leader !== null;
      return { id, addr: st.addresses[id] ?? '', voter, leader: st.leader === id, reachable, match: p?.match ?? st.applied, lag: p?.lag ?? 0 };
    });
  };
  return {
    readBarrier: async () => {
      await driver.readIndex();
    },
    member: (id) => members().find((m) => m.id === id),
    members,
    canRemove: (id) => {
      const ms = members();
      const target = ms.find((m) => m.id === id);
      if (target === undefined || !target.voter) return true;
      const rest = ms.filter((m) => m.voter && m.id !== id);
      const quorum = Math.floor(rest.length / 2) + 1;
      return rest.filter((m) => m.reachable).length >= quorum;
    },
    status: () => {
      const st = driver.status();
      return { term: st.term, leader: st.leader, commit: st.commit, applied: st.applied };
    },
  };
}
