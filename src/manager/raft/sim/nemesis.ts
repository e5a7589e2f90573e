// The fault injector of the chaos phase. Every so often it picks one action
// the profile allows: a partition (healed after a while), a crash (restarted
// after a while) or a pause (a process stalled, as by a long GC or a frozen
// VM: no ticks, no messages handled, then everything at once), an early
// election (a member campaigns at once, as if its clock jumped), a membership change (add a learner, promote it, demote or
// remove a member: one at a time, through the leader) or a leadership
// transfer. Message loss, duplication and delay are set once per profile.
import type { ConfState, MemberId } from '../types.js';
import type { Profile } from './options.js';
import type { PartitionKind } from './network.js';
import { PARTITION_KINDS } from './network.js';
import type { Rng } from './rng.js';
import type { SimMember } from './sim-member.js';

export type NemesisEvent = { readonly kind: 'nemesis' } | { readonly kind: 'heal-partition' };

export interface NemesisPort {
  now(): number;
  after(delay: number, event: NemesisEvent): void;
  /** Every process ever started, retired ones included. */
  members(): readonly SimMember[];
  /** The configuration as of the latest applied config entry, and that entry's index. */
  conf(): { readonly conf: ConfState; readonly index: number };
  /** The up member that believes it leads, in the highest term. */
  leader(): SimMember | null;
  crash(member: SimMember, restartAfter: number): void;
  pause(member: SimMember, duration: number): void;
  partition(kind: PartitionKind): void;
  healPartition(): void;
  /** Starts a new, empty process for a member about to be added. */
  addProcess(id: MemberId): Promise<SimMember>;
  trace(text: string): void;
}

interface PendingChange {
  readonly what: string;
  readonly index: number;
  readonly deadline: number;
}

export class Nemesis {
  private pending: PendingChange | null = null;
  private nextId: number;
  stopped = false;
  crashes = 0;
  pauses = 0;
  partitions = 0;
  changes = 0;
  transfers = 0;

  constructor(
    private readonly profile: Profile,
    private readonly initialVoters: number,
    private readonly rng: Rng,
    private readonly port: NemesisPort,
  ) {
    this.nextId = initialVoters + 1;
  }

  start(): void {
    this.port.after(this.rng.int(100, 300), { kind: 'nemesis' });
  }

  async handle(ev: NemesisEvent): Promise<void> {
    if (this.stopped) return;
    if (ev.kind === 'heal-partition') {
      this.port.healPartition();
      return;
    }
    this.port.after(this.rng.int(50, 350), { kind: 'nemesis' });
    const w = this.profile.nemesis;
    const actions: [number, () => Promise<void> | void][] = [
      [w.idle, () => undefined],
      [w.partition, () => this.partition()],
      [w.crash, () => this.crash()],
      [w.membership, () => this.changeMembership()],
      [w.transfer, () => this.transfer()],
    ];
    let pick = this.rng.next() * actions.reduce((n, [weight]) => n + weight, 0);
    for (const [weight, act] of actions) {
      pick -= weight;
      if (pick < 0) {
        await act();
        return;
      }
    }
  }

  private partition(): void {
    this.partitions++;
    this.port.partition(this.rng.pick(PARTITION_KINDS));
    this.port.after(this.rng.int(100, 1500), { kind: 'heal-partition' });
  }

  private crash(): void {
    const up = this.port.members().filter((m) => m.state.kind === 'up');
    // Half the time, one with a write not yet durable: the crash loses it.
    const writing = up.filter((m) => m.disk.pendingCount > 0);
    const leader = this.port.leader();
    const r = this.rng.next();
    const victim = writing.length > 0 && r < 0.5 ? this.rng.pick(writing) : leader !== null && r < 0.7 ? leader : up.length > 0 ? this.rng.pick(up) : null;
    if (victim === null) return;
    if (this.rng.chance(0.25)) {
      this.pauses++;
      this.port.pause(victim, this.rng.int(50, 800));
      return;
    }
    this.crashes++;
    this.port.crash(victim, this.rng.chance(0.2) ? this.rng.int(500, 2000) : this.rng.int(10, 400));
  }

  private transfer(): void {
    if (this.rng.chance(0.3)) {
      const up = this.port.members().filter((m) => m.up !== null);
      if (up.length === 0) return;
      const m = this.rng.pick(up);
      this.port.trace(`nemesis: ${m.id} campaigns now`);
      m.campaign();
      return;
    }
    const leader = this.port.leader();
    const targets = this.port.conf().conf.voters.filter((v) => v !== leader?.id);
    if (leader === null || targets.length === 0) return;
    const to = this.rng.pick(targets);
    this.transfers++;
    this.port.trace(`nemesis: transfer leadership ${leader.id} -> ${to}: ${leader.transferLeadership(to)}`);
  }

  private async changeMembership(): Promise<void> {
    const { conf, index } = this.port.conf();
    if (this.pending !== null) {
      if (index < this.pending.index && this.port.now() < this.pending.deadline) return;
      this.pending = null;
    }
    const leader = this.port.leader();
    const run = leader?.up;
    if (leader === null || run === undefined || run === null) return;
    const learner = conf.learners[0];
    const voters = conf.voters;
    let cc: Parameters<SimMember['proposeConfChange']>[0];
    if (learner !== undefined) {
      if (this.rng.chance(0.2)) {
        cc = { type: 'remove', id: learner };
      } else {
        // Promote only once caught up, as the real driver does.
        const st = run.node.status();
        const pr = st.progress.find((x) => x.id === learner);
        if (pr === undefined || pr.match < st.commit) return;
        cc = { type: 'add-voter', id: learner };
      }
    } else if (voters.length <= this.initialVoters) {
      cc = { type: 'add-learner', id: `n${this.nextId}` as MemberId };
    } else {
      cc = { type: this.rng.chance(0.3) ? 'add-learner' : 'remove', id: this.rng.pick(voters) };
    }
    const r = leader.proposeConfChange(cc);
    const what = `${cc.type} ${cc.id}`;
    if (typeof r === 'string') {
      this.port.trace(`nemesis: ${what} via ${leader.id}: ${r}`);
      return;
    }
    this.changes++;
    this.pending = { what, index: r.index, deadline: this.port.now() + 1000 };
    this.port.trace(`nemesis: ${what} via ${leader.id} at ${r.index}/${r.term}`);
    if (cc.type === 'add-learner' && cc.id === `n${this.nextId}`) {
      this.nextId++;
      await this.port.addProcess(cc.id);
    }
  }
}
