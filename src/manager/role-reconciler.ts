// On the leader: keeps Raft membership in step with node roles. A node the
// store calls a worker leaves Raft (the leader hands over leadership first
// when it is the one demoted); removed nodes leave too.
import type { RaftDriver } from './raft/driver/raft-driver.js';
import type { Store } from './store/store.js';
import { getObject } from './store/typed.js';

export class RoleReconciler {
  private busy = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Store,
    private readonly driver: RaftDriver,
  ) {}

  start(periodMs = 250): void {
    this.timer = setInterval(() => void this.reconcile(), periodMs);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** One pass; returns whether it changed anything. */
  async reconcile(): Promise<boolean> {
    if (this.busy || !this.driver.isLeader) return false;
    this.busy = true;
    try {
      const st = this.driver.status();
      const members = [...st.conf.voters, ...st.conf.learners];
      for (const id of members) {
        const node = this.store.view((tx) => getObject(tx, 'nodes', id));
        if (node !== undefined && node.Spec.Role === 'manager') continue;
        if (id === this.driver.id) {
          const to = st.progress.find((p) => !p.learner && p.recentActive && p.lag === 0) ?? st.progress.find((p) => !p.learner);
          if (to !== undefined) await this.driver.transferLeadership(to.id);
          return true;
        }
        await this.driver.removeMember(id);
        return true;
      }
      return false;
    } catch {
      return false; // retried on the next pass
    } finally {
      this.busy = false;
    }
  }
}
