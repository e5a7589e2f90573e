// Who votes and who only listens. Changed only by applying committed config
// entries (or by restoring a snapshot), never when they are appended.
import type { ConfState, MemberId } from '../types.js';
import type { ConfChange } from './conf-change.js';
import { assertNever } from '../../../api/errors.js';

export class Membership {
  // Invariant: voters and learners are disjoint.
  private readonly voterSet: Set<MemberId>;
  private readonly learnerSet: Set<MemberId>;

  constructor(conf: ConfState) {
    this.voterSet = new Set(conf.voters);
    this.learnerSet = new Set(conf.learners.filter((id) => !this.voterSet.has(id)));
  }

  get voters(): ReadonlySet<MemberId> {
    return this.voterSet;
  }

  get learners(): ReadonlySet<MemberId> {
    return this.learnerSet;
  }

  isVoter(id: MemberId): boolean {
    return this.voterSet.has(id);
  }

  isLearner(id: MemberId): boolean {
    return this.learnerSet.has(id);
  }

  isMember(id: MemberId): boolean {
    return this.voterSet.has(id) || this.learnerSet.has(id);
  }

  /** Every member, voters first, each group sorted (stable output for status and tests). */
  members(): MemberId[] {
    return [...[...this.voterSet].sort(), ...[...this.learnerSet].sort()];
  }

  confState(): ConfState {
    return { voters: [...this.voterSet].sort(), learners: [...this.learnerSet].sort() };
  }

  /** Why `cc` would be refused against this configuration, or null if it may be proposed. */
  refusal(cc: ConfChange): string | null {
    switch (cc.type) {
      case 'add-voter':
        return this.voterSet.has(cc.id) ? `${cc.id} is already a voter` : null;
      case 'add-learner':
        if (this.learnerSet.has(cc.id)) return `${cc.id} is already a learner`;
        if (this.voterSet.has(cc.id) && this.voterSet.size === 1) return `${cc.id} is the only voter; add another voter before demoting it`;
        return null;
      case 'remove':
        if (!this.isMember(cc.id)) return `${cc.id} is not a member`;
        if (this.voterSet.has(cc.id) && this.voterSet.size === 1) return `${cc.id} is the only voter; the cluster would have no quorum`;
        return null;
      default:
        return assertNever(cc, 'conf change');
    }
  }

  /** Applies a committed change. Idempotent: re-applying a change already in effect does nothing. */
  apply(cc: ConfChange): void {
    switch (cc.type) {
      case 'add-voter':
        this.learnerSet.delete(cc.id);
        this.voterSet.add(cc.id);
        return;
      case 'add-learner':
        this.voterSet.delete(cc.id);
        this.learnerSet.add(cc.id);
        return;
      case 'remove':
        this.voterSet.delete(cc.id);
        this.learnerSet.delete(cc.id);
        return;
      default:
        assertNever(cc, 'conf change');
    }
  }
}
