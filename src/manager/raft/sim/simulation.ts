// The simulated world: members, network, disks, clients and nemesis around
// one virtual clock. Nothing here reads a real clock or global randomness;
// every choice comes from streams of the seed, and events at the same virtual
// time run in the order they were scheduled. run.ts drives the phases.
import type { ConfChange, Message, RaftConfig } from '../core/index.js';
import type { ConfState, MemberId } from '../types.js';
import { asNodeId } from '../../../api/ids.js';
import type { KvOutput } from '../lincheck/index.js';
import type { ClientEvent } from './clients.js';
import { Clients } from './clients.js';
import { EventQueue } from './event-queue.js';
import type { NemesisEvent } from './nemesis.js';
import { Nemesis } from './nemesis.js';
import type { PartitionKind } from './network.js';
import { NO_FAULTS, Network, planPartition } from './network.js';
import type { SimOptions } from './options.js';
import { PROFILE } from './options.js';
import { Rng } from './rng.js';
import { SafetyMonitor } from './safety-monitor.js';
import { DurabilityMonitor } from './durability-monitor.js';
import type { MemberEnv } from './sim-member.js';
import { SimMember } from './sim-member.js';
import type { Trace } from './trace.js';
import { describeMessage } from './trace.js';
import { SimViolation, check } from './violation.js';

/** Virtual milliseconds per Raft tick. */
export const TICK_MS = 10;
export const ELECTION_TICKS = 10;

type SimEvent =
  | { readonly kind: 'tick'; readonly member: SimMember; readonly incarnation: number; readonly period: number }
  | { readonly kind: 'fsync'; readonly member: SimMember; readonly incarnation: number }
  | { readonly kind: 'deliver'; readonly msg: Message; readonly fromIncarnation: number; readonly copy: boolean }
  | { readonly kind: 'snapshot-report'; readonly from: MemberId; readonly to: MemberId; readonly incarnation: number; readonly ok: boolean }
  | { readonly kind: 'restart'; readonly member: SimMember }
  | { readonly kind: 'retire'; readonly member: SimMember }
  | ClientEvent
  | NemesisEvent;

export class Simulation {
  readonly queue = new EventQueue<SimEvent>();
  readonly monitor = new SafetyMonitor();
  readonly durability: DurabilityMonitor;
  readonly network: Network;
  readonly clients: Clients;
  readonly nemesis: Nemesis;
  readonly members = new Map<MemberId, SimMember>();
  /** The configuration as of the highest config entry any member applied. */
  private conf: { voters: Set<MemberId>; learners: Set<MemberId> };
  private confIndex = 0;
  private readonly touched = new Set<SimMember>();
  /** Stalled processes and the virtual time they resume at. */
  private readonly paused = new Map<SimMember, number>();
  private readonly rngDisk: Rng;
  private readonly rngWorld: Rng;
  private readonly env: MemberEnv;
  faultsOn = true;
  steps = 0;
  snapshotsSent = 0;

  constructor(
    readonly options: SimOptions,
    readonly trace: Trace,
  ) {
    this.durability = new DurabilityMonitor(options.durabilityCheck);
    const root = new Rng(options.seed, 'sim');
    this.rngDisk = root.fork('disk');
    this.rngWorld = root.fork('world');
    this.network = new Network(root.fork('network'));
    this.network.faults = PROFILE[options.profile];
    const initial = Array.from({ length: options.members }, (_, i) => asNodeId(`n${i + 1}`));
    this.conf = { voters: new Set(initial), learners: new Set() };
    this.env = this.memberEnv();
    for (const id of initial) this.members.set(id, new SimMember(id, { voters: initial, learners: [] }, this.env));
    this.clients = new Clients(options.clients, root.fork('clients'), {
      now: () => this.queue.now,
      after: (delay, ev) => this.queue.after(delay, ev),
      targets: () => [...this.members.values()].filter((m) => m.state.kind !== 'retired'),
      trace: (text) => this.log(text),
    });
    this.nemesis = new Nemesis(PROFILE[options.profile], options.members, root.fork('nemesis'), {
      now: () => this.queue.now,
      after: (delay, ev) => this.queue.after(delay, ev),
      members: () => [...this.members.values()],
      conf: () => ({ conf: this.confState(), index: this.confIndex }),
      leader: () => this.leader(),
      crash: (m, restartAfter) => this.crash(m, restartAfter),
      pause: (m, duration) => {
        this.paused.set(m, this.queue.now + duration);
        this.log(`pause ${m.id} for ${duration}`);
      },
      partition: (kind) => this.partition(kind),
      healPartition: () => this.healPartition(),
      addProcess: (id) => this.addProcess(id),
      trace: (text) => this.log(text),
    });
  }

  log(text: string): void {
    if (this.trace.enabled) this.trace.log(this.queue.now, text);
  }

  confState(): ConfState {
    return { voters: [...this.conf.voters].sort(), learners: [...this.conf.learners].sort() };
  }

  async start(): Promise<void> {
    for (const m of this.members.values()) await this.startMember(m);
    this.clients.start();
    this.nemesis.start();
  }

  /** The up member that believes it leads, in the highest term. */
  leader(): SimMember | null {
    let best: SimMember | null = null;
    for (const m of this.members.values()) {
      const run = m.up;
      if (run?.role === 'leader' && (best === null || run.latestHard.term > (best.up?.latestHard.term ?? 0))) best = m;
    }
    return best;
  }

  /** Handles the next event and runs the checks; false when nothing is left to do. */
  async step(): Promise<boolean> {
    const ev = this.queue.pop();
    if (ev === undefined) return false;
    this.steps++;
    await this.handle(ev);
    await null; // lets storage promise callbacks run before the checks
    this.checkTouched();
    return true;
  }

  /** Faults off: heal partitions, stop loss and crashes, restart every crashed member. */
  async heal(): Promise<void> {
    this.faultsOn = false;
    this.nemesis.stopped = true;
    this.network.faults = NO_FAULTS;
    this.healPartition();
    this.paused.clear();
    this.log('heal: faults off');
    for (const m of this.members.values()) if (m.state.kind === 'down') await this.startMember(m);
    this.checkTouched();
  }

  /** Members of the latest configuration. */
  liveMembers(): SimMember[] {
    return [...this.conf.voters, ...this.conf.learners].map((id) => this.members.get(id)).filter((m): m is SimMember => m !== undefined);
  }

  /** A leader that a majority of the voters follow, in its term. */
  leaderEstablished(): boolean {
    const l = this.leader()?.up;
    if (l === null || l === undefined) return false;
    let followers = 0;
    for (const id of this.conf.voters) {
      const run = this.members.get(id)?.up;
      if (run !== null && run !== undefined && run.leader !== null && run.leader === l.leader && run.latestHard.term === l.latestHard.term) followers++;
    }
    return followers > this.conf.voters.size / 2;
  }

  // --- events ---

  /** The process that handles `ev`, if one does. */
  private handler(ev: SimEvent): SimMember | undefined {
    switch (ev.kind) {
      case 'tick':
      case 'fsync':
        return ev.member;
      case 'deliver':
        return this.members.get(ev.msg.to);
      case 'snapshot-report':
        return this.members.get(ev.from);
      default:
        return undefined;
    }
  }

  private async handle(ev: SimEvent): Promise<void> {
    const m = this.paused.size > 0 ? this.handler(ev) : undefined;
    const until = m === undefined ? undefined : this.paused.get(m);
    if (m !== undefined && until !== undefined) {
      // A stalled process handles nothing until it resumes, then all of it in order.
      if (this.queue.now < until && m.up !== null) {
        this.queue.after(until - this.queue.now, ev);
        return;
      }
      this.paused.delete(m);
    }
    switch (ev.kind) {
      case 'tick':
        if (ev.member.incarnation !== ev.incarnation || ev.member.up === null) return;
        ev.member.tick();
        this.queue.after(ev.period, ev);
        return;
      case 'fsync':
        if (ev.member.incarnation === ev.incarnation) ev.member.fsyncDone();
        return;
      case 'deliver':
        this.deliver(ev.msg, ev.fromIncarnation, ev.copy);
        return;
      case 'snapshot-report': {
        const from = this.members.get(ev.from);
        if (from !== undefined && from.incarnation === ev.incarnation) from.reportSnapshot(ev.to, ev.ok);
        return;
      }
      case 'restart':
        if (ev.member.state.kind === 'down') await this.startMember(ev.member);
        return;
      case 'retire':
        if (ev.member.state.kind === 'retired') return;
        this.log(`${ev.member.id} shuts down (removed)`);
        ev.member.retire();
        this.clients.memberDown(ev.member.id);
        return;
      case 'client-wake':
      case 'client-timeout':
        this.clients.handle(ev);
        return;
      case 'nemesis':
      case 'heal-partition':
        await this.nemesis.handle(ev);
        return;
    }
  }

  private deliver(msg: Message, fromIncarnation: number, copy: boolean): void {
    const to = this.members.get(msg.to);
    const why = to?.up == null ? `${msg.to} is ${to?.state.kind ?? 'unknown'}` : this.network.blocked(msg.from, msg.to) ? 'partitioned' : null;
    if (why !== null || to === undefined) {
      this.log(`drop ${msg.from}>${msg.to} ${describeMessage(msg)} (${why})`);
      const from = this.members.get(msg.from);
      if (from !== undefined && from.incarnation === fromIncarnation) {
        if (msg.type === 'snapshot') from.reportSnapshot(msg.to, false);
        else if (this.rngWorld.chance(0.5)) from.reportUnreachable(msg.to);
      }
      return;
    }
    this.log(`${copy ? 'dup ' : ''}${msg.from}>${msg.to} ${describeMessage(msg)}`);
    to.step(msg);
    if (msg.type === 'snapshot') {
      const from = this.members.get(msg.from);
      if (from !== undefined && from.incarnation === fromIncarnation) from.reportSnapshot(msg.to, true);
    }
  }

  private send(from: SimMember, messages: readonly Message[]): void {
    for (const msg of messages) {
      this.durability.observeSent(msg, from.up?.role === 'leader');
      const fate = this.network.fate();
      if (msg.type === 'snapshot') this.snapshotsSent++;
      if (fate.kind === 'lost') {
        this.log(`lost ${msg.from}>${msg.to} ${describeMessage(msg)}`);
        if (msg.type === 'snapshot') {
          this.queue.after(this.rngWorld.int(1, 50), { kind: 'snapshot-report', from: msg.from, to: msg.to, incarnation: from.incarnation, ok: false });
        }
        continue;
      }
      fate.delays.forEach((delay, i) => this.queue.after(delay, { kind: 'deliver', msg, fromIncarnation: from.incarnation, copy: i > 0 }));
    }
  }

  // --- members ---

  private memberEnv(): MemberEnv {
    return {
      fault: this.options.fault,
      snapshotEvery: this.options.snapshotEvery,
      monitor: this.monitor,
      durability: this.durability,
      raftConfig: (id, incarnation) => this.raftConfig(id, incarnation),
      send: (from, messages) => this.send(from, messages),
      scheduleFsync: (m) => {
        const slow = this.faultsOn && this.rngDisk.chance(0.05);
        this.queue.after(slow ? this.rngDisk.int(10, 60) : this.rngDisk.int(1, 8), { kind: 'fsync', member: m, incarnation: m.incarnation });
      },
      reply: (client, seq, output: KvOutput, index) => this.clients.reply(client, seq, output, index),
      refuse: (client, seq, why) => this.clients.refuse(client, seq, why),
      confApplied: (m, index, cc) => this.confApplied(m, index, cc),
      trace: (text) => this.log(text),
      touch: (m) => this.touched.add(m),
    };
  }

  private raftConfig(id: MemberId, incarnation: number): RaftConfig {
    const rng = new Rng(this.options.seed, `raft/${id}/${incarnation}`);
    return {
      id,
      electionTicks: ELECTION_TICKS,
      heartbeatTicks: this.options.flow.heartbeatTicks,
      preVote: this.options.preVote,
      checkQuorum: this.options.checkQuorum,
      maxInflightMsgs: this.options.flow.maxInflightMsgs,
      maxSizePerMsg: this.options.flow.maxSizePerMsg,
      maxUncommittedBytes: 8192,
      rng: () => rng.next(),
    };
  }

  private async startMember(m: SimMember): Promise<void> {
    await m.start();
    // A random phase and a clock a little fast or slow, so members do not tick in lockstep.
    const period = TICK_MS + this.rngWorld.int(-1, 1);
    this.queue.after(this.rngWorld.int(1, TICK_MS), { kind: 'tick', member: m, incarnation: m.incarnation, period });
  }

  private async addProcess(id: MemberId): Promise<SimMember> {
    const m = new SimMember(id, null, this.env);
    this.members.set(id, m);
    await this.startMember(m);
    return m;
  }

  private crash(m: SimMember, restartAfter: number): void {
    if (m.up === null) return;
    this.paused.delete(m);
    const lost = m.crash();
    this.log(`crash ${m.id} (${lost} unflushed write${lost === 1 ? '' : 's'} lost), restart in ${restartAfter}`);
    this.clients.memberDown(m.id);
    this.queue.after(restartAfter, { kind: 'restart', member: m });
  }

  private partition(kind: PartitionKind): void {
    const ids = [...this.members.values()].filter((m) => m.state.kind !== 'retired').map((m) => m.id);
    const plan = planPartition(kind, ids, this.rngWorld);
    this.network.heal();
    this.network.partition(plan.links, plan.description);
    this.log(`partition: ${plan.description}`);
  }

  private healPartition(): void {
    if (!this.network.partitioned) return;
    this.network.heal();
    this.log('partition healed');
  }

  private confApplied(m: SimMember, index: number, cc: ConfChange): void {
    if (index <= this.confIndex) return;
    this.confIndex = index;
    const { voters, learners } = this.conf;
    voters.delete(cc.id);
    learners.delete(cc.id);
    if (cc.type === 'add-voter') voters.add(cc.id);
    if (cc.type === 'add-learner') learners.add(cc.id);
    this.log(`conf @${index} (first applied by ${m.id}): ${cc.type} ${cc.id} -> voters ${[...voters].sort().join(',')} learners ${[...learners].sort().join(',') || '-'}`);
    const removed = cc.type === 'remove' ? this.members.get(cc.id) : undefined;
    if (removed !== undefined) this.queue.after(this.rngWorld.int(0, 300), { kind: 'retire', member: removed });
  }

  private checkTouched(): void {
    for (const m of this.members.values()) {
      check(m.storageError === null, 'storage', () => `${m.id}: ${m.storageError?.message}`);
    }
    for (const m of this.touched) {
      const run = m.up;
      if (run === null) continue;
      try {
        run.node.checkInvariants();
      } catch (err) {
        throw new SimViolation('core-invariant', `${m.id}: ${err instanceof Error ? err.message : String(err)}`);
      }
      const st = run.node.status();
      this.monitor.observeStatus(m.id, st.role, st.term, st.commit);
    }
    this.touched.clear();
  }
}
