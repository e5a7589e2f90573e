// The one loop around the pure Raft core (after etcd-io/raft's node.go): it
// owns the tick timer, storage and transport, and keeps the rule "persist
// before send". Callers get promises: propose -> applied result, readIndex ->
// an index safe to read at, membership and transfer calls.
import { randomBytes } from 'node:crypto';
import { decode, encode } from 'cbor-x';
import { ShoalError } from '../../../api/errors.js';
import { decodeConfChange, RaftNode, type ConfChange, type Ready, type RoleKind, type Status } from '../core/index.js';
import type { ConfState, HardState, LogIndex, MemberId, RaftStorage, SaveBatch, Snapshot, Term } from '../types.js';
import { asIndex } from '../types.js';
import { decodeProposal, encodeProposal } from './proposal-envelope.js';
import { ReadRounds } from './read-rounds.js';
import type { StateMachine } from './state-machine.js';
import type { RaftTransport } from './transport.js';

export interface DriverOptions {
  readonly id: MemberId;
  readonly storage: RaftStorage;
  readonly transport: RaftTransport;
  readonly stateMachine: StateMachine;
  /** Found a new cluster with these members (only on empty storage). */
  readonly bootstrap?: { readonly voters: readonly MemberId[] };
  /** Addresses known up front (membership changes add more). */
  readonly peers?: Readonly<Record<string, string>>;
  /** Milliseconds per Raft tick (default 50). */
  readonly tickMs?: number;
  /** Election timeout in ticks, randomised in [n, 2n) (default 5: 250-500 ms at 50 ms ticks). */
  readonly electionTicks?: number;
  readonly heartbeatTicks?: number;
  /** Take a snapshot and compact the log every this many applied entries (default 10,000). */
  readonly snapshotEvery?: number;
  /** How long propose, readIndex and membership calls wait (default 5 s). */
  readonly timeoutMs?: number;
  readonly rng?: () => number;
  /** Role or leader changed. */
  readonly onSoftState?: (role: RoleKind, leader: MemberId | null) => void;
  /** The loop failed (storage error, corrupt entry): the member must stop. */
  readonly onFatal?: (err: Error) => void;
}

export interface ProposeOutcome {
  readonly index: LogIndex;
  readonly result: unknown;
}

export interface DriverStatus extends Status {
  readonly addresses: Readonly<Record<string, string>>;
  /** Snapshots received from a leader and installed since start. */
  readonly snapshotsInstalled: number;
}

interface PendingProposal {
  resolve(o: ProposeOutcome): void;
  reject(e: ShoalError): void;
  /** Known when this member appended it as leader. */
  at?: { index: LogIndex; term: Term };
}

export class RaftDriver {
  private readonly node: RaftNode;
  private readonly origin = randomBytes(8).toString('hex');
  private seq = 0;
  private readonly pending = new Map<number, PendingProposal>();
  private readonly confWaiters = new Map<number, PendingProposal>();
  private readonly appliedWaiters: Array<{ index: number; resolve: () => void }> = [];
  private readonly reads: ReadRounds;
  private readonly addresses = new Map<string, string>();
  private readonly timer: NodeJS.Timeout;
  private role: RoleKind = 'follower';
  private leader: MemberId | null = null;
  private applied: LogIndex;
  private appliedTerm: Term;
  private snapshotIndex: LogIndex;
  private conf: ConfState;
  private snapshotsInstalled = 0;
  private loop: 'idle' | 'scheduled' | 'running' = 'idle';
  /** The newest hard state the core reported, and the one last written. */
  private latestHard: HardState;
  private savedHard: HardState;
  private stopped = false;
  private readonly timeoutMs: number;
  private readonly snapshotEvery: number;

  private constructor(private readonly opts: DriverOptions, node: RaftNode, snapshot: Snapshot | null, hard: HardState) {
    this.node = node;
    this.latestHard = hard;
    this.savedHard = hard;
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.snapshotEvery = opts.snapshotEvery ?? 10_000;
    this.applied = snapshot?.meta.index ?? asIndex(0);
    this.appliedTerm = snapshot?.meta.term ?? (0 as Term);
    this.snapshotIndex = this.applied;
    this.conf = snapshot?.meta.conf ?? { voters: [], learners: [] };
    if (snapshot !== null) this.restoreSnapshot(snapshot);
    for (const [id, addr] of Object.entries(opts.peers ?? {})) if (!this.addresses.has(id)) this.addresses.set(id, addr);
    this.syncPeers();
    this.reads = new ReadRounds(this.origin, (context) => {
      const r = this.node.readIndex(context);
      this.kick();
      return r.kind === 'dropped' ? r.message : null;
    });
    opts.transport.listen({
      onMessage: (m) => {
        if (this.stopped) return;
        this.node.step(m);
        this.kick();
      },
      onUnreachable: (peer) => this.node.reportUnreachable(peer),
      onSnapshotSent: (peer, ok) => {
        this.node.reportSnapshot(peer, ok);
        this.kick();
      },
    });
    this.timer = setInterval(() => {
      this.node.tick();
      this.kick();
    }, opts.tickMs ?? 50);
    this.kick();
  }

  /** Load state from storage and start the member. */
  static async open(opts: DriverOptions): Promise<RaftDriver> {
    const persisted = await opts.storage.load();
    const node = new RaftNode(
      {
        id: opts.id,
        electionTicks: opts.electionTicks ?? 5,
        heartbeatTicks: opts.heartbeatTicks ?? 1,
        preVote: true,
        checkQuorum: true,
        maxInflightMsgs: 256,
        maxSizePerMsg: 1 << 20,
        maxUncommittedBytes: 64 << 20,
        rng: opts.rng ?? Math.random,
      },
      persisted,
      opts.bootstrap && persisted.entries.length === 0 && persisted.snapshot === null ? { voters: opts.bootstrap.voters, learners: [] } : undefined,
    );
    return new RaftDriver(opts, node, persisted.snapshot, persisted.hardState);
  }

  get id(): MemberId {
    return this.opts.id;
  }

  get isLeader(): boolean {
    return this.role === 'leader';
  }

  get leaderId(): MemberId | null {
    return this.leader;
  }

  get appliedIndex(): LogIndex {
    return this.applied;
  }

  /** Replicate `command`; resolves with the state machine's result once applied here. */
  propose(command: Uint8Array): Promise<ProposeOutcome> {
    if (this.stopped) return Promise.reject(new ShoalError('Unavailable', 'this manager is shutting down'));
    const seq = ++this.seq;
    const r = this.node.propose(encodeProposal({ origin: this.origin, seq, payload: command }));
    if (r.kind === 'dropped') return Promise.reject(new ShoalError('Unavailable', r.message));
    return this.track(this.pending, seq, r.kind === 'appended' ? { index: r.index, term: r.term } : undefined);
  }

  /**
   * A linearizable read barrier: resolves once this member has applied
   * everything committed before the call, as confirmed by a quorum.
   */
  async readIndex(): Promise<LogIndex> {
    const index = await this.reads.add(this.timeoutMs);
    await this.waitApplied(index);
    return index;
  }

  waitApplied(index: number): Promise<void> {
    if (this.applied >= index) return Promise.resolve();
    return new Promise((resolve) => this.appliedWaiters.push({ index, resolve }));
  }

  addLearner(id: MemberId, address: string): Promise<ProposeOutcome> {
    return this.changeMembership({ type: 'add-learner', id, context: new Uint8Array(Buffer.from(address)) });
  }

  /** Promote a learner once it has caught up with the log (it must not slow commits down). */
  async promote(id: MemberId): Promise<ProposeOutcome> {
    const target = this.node.status().commit;
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const p = this.node.status().progress.find((x) => x.id === id);
      if (p === undefined) throw new ShoalError('FailedPrecondition', `${id} is not a member of the raft cluster`);
      if (p.match >= target) break;
      if (Date.now() > deadline) throw new ShoalError('Unavailable', `${id} did not catch up with the raft log (at ${p.match} of ${target}); is it reachable?`);
      await new Promise((r) => setTimeout(r, this.opts.tickMs ?? 50));
    }
    return this.changeMembership({ type: 'add-voter', id });
  }

  removeMember(id: MemberId): Promise<ProposeOutcome> {
    return this.changeMembership({ type: 'remove', id });
  }

  /** Hand leadership to `to` and wait until it leads. */
  async transferLeadership(to: MemberId): Promise<void> {
    const r = this.node.transferLeadership(to);
    this.kick();
    if (r.kind === 'refused') throw new ShoalError('FailedPrecondition', r.message);
    if (r.kind === 'already-leader') return;
    const deadline = Date.now() + this.timeoutMs;
    while (this.leader !== to) {
      if (Date.now() > deadline) throw new ShoalError('Unavailable', `leadership did not move to ${to} in time`);
      await new Promise((res) => setTimeout(res, this.opts.tickMs ?? 50));
    }
  }

  /** Start an election now (used by tests and when a leader wants a quick handover). */
  campaign(): void {
    this.node.campaign();
    this.kick();
  }

  status(): DriverStatus {
    return { ...this.node.status(), applied: this.applied, addresses: Object.fromEntries(this.addresses), snapshotsInstalled: this.snapshotsInstalled };
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    const err = new ShoalError('Unavailable', 'this manager is shutting down');
    for (const map of [this.pending, this.confWaiters]) {
      for (const p of map.values()) p.reject(err);
      map.clear();
    }
    this.reads.failAll(err);
    while (this.loop === 'running') await new Promise((r) => setTimeout(r, 1));
    await this.opts.transport.close();
    await this.opts.storage.close();
  }

  // ---- internals ----

  private changeMembership(cc: ConfChange): Promise<ProposeOutcome> {
    const r = this.node.proposeConfChange(cc);
    if (r.kind === 'dropped') return Promise.reject(new ShoalError(r.reason === 'invalid-conf-change' ? 'FailedPrecondition' : 'Unavailable', r.message));
    if (r.kind !== 'appended') return Promise.reject(new ShoalError('FailedPrecondition', `membership changes must be made on the leader (${r.to})`));
    return this.track(this.confWaiters, r.index, { index: r.index, term: r.term });
  }

  private track(map: Map<number, PendingProposal>, key: number, at: { index: LogIndex; term: Term } | undefined): Promise<ProposeOutcome> {
    this.kick();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        map.delete(key);
        reject(new ShoalError('Unavailable', `the change was not committed within ${this.timeoutMs} ms (no quorum or a leader change); it may or may not take effect`));
      }, this.timeoutMs);
      const p: PendingProposal = {
        resolve: (o) => {
          clearTimeout(timer);
          resolve(o);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      if (at !== undefined) p.at = at;
      map.set(key, p);
    });
  }

  private kick(): void {
    if (this.loop !== 'idle' || this.stopped) return;
    this.loop = 'scheduled';
    setImmediate(() => void this.run());
  }

  private async run(): Promise<void> {
    this.loop = 'running';
    try {
      while (!this.stopped && this.node.hasReady()) await this.handle(this.node.ready());
    } catch (err) {
      this.stopped = true;
      clearInterval(this.timer);
      const e = err instanceof Error ? err : new Error(String(err));
      this.opts.onFatal?.(e);
    } finally {
      this.loop = 'idle';
    }
    if (!this.stopped && this.node.hasReady()) this.kick();
  }

  private async handle(rd: Ready): Promise<void> {
    if (rd.softState !== undefined) {
      const lostLeader = rd.softState.leader !== this.leader;
      this.role = rd.softState.role;
      this.leader = rd.softState.leader;
      if (lostLeader) this.reads.failAll(new ShoalError('Unavailable', 'the raft leader changed; retry the read'));
      this.opts.onSoftState?.(this.role, this.leader);
    }
    // A leader may send while it writes (Raft thesis §10.2.1): its messages
    // only offer entries it holds, and it counts itself toward a commit only
    // once its own write is durable (advance). Everyone else persists first.
    const early = this.role === 'leader';
    if (early) this.opts.transport.send(rd.messages);
    // Term and vote must be durable before anyone hears of them; a commit
    // index need not be (Raft recovers it), so a Ready that only moves the
    // commit costs no fsync: it is written with the next batch (as etcd's
    // MustSync).
    if (rd.hardState !== undefined) this.latestHard = rd.hardState;
    const batch: { -readonly [K in keyof SaveBatch]: SaveBatch[K] } = {};
    if (rd.snapshot !== undefined) batch.snapshot = rd.snapshot;
    if (rd.entries.length > 0) batch.entries = rd.entries;
    const hard = this.latestHard;
    const saved = this.savedHard;
    const mustSync = batch.snapshot !== undefined || batch.entries !== undefined || hard.term !== saved.term || hard.vote !== saved.vote;
    if (mustSync) {
      if (hard !== saved) batch.hardState = hard;
      await this.opts.storage.save(batch);
      this.savedHard = hard;
    }
    if (!early) this.opts.transport.send(rd.messages);
    if (rd.snapshot !== undefined) {
      this.restoreSnapshot(rd.snapshot);
      this.snapshotsInstalled++;
    }
    for (const e of rd.committedEntries) {
      if (e.kind === 'config') this.applyConf(e.index, e.term, e.data);
      else this.applyNormal(e.index, e.term, e.data);
      this.applied = e.index;
      this.appliedTerm = e.term;
    }
    for (const rs of rd.readStates) this.reads.answered(rs.context, rs.index);
    this.node.advance(rd);
    this.releaseAppliedWaiters();
    if (this.applied - this.snapshotIndex >= this.snapshotEvery) await this.takeSnapshot();
  }

  private applyNormal(index: LogIndex, term: Term, data: Uint8Array): void {
    if (data.byteLength === 0) return; // a new leader's no-op
    const env = decodeProposal(data);
    if (env === null) throw new Error(`raft entry ${index} is not a shoal proposal; the log is corrupt`);
    const result = this.opts.stateMachine.apply(index, env.payload);
    if (env.origin === this.origin) {
      const p = this.pending.get(env.seq);
      if (p !== undefined) {
        this.pending.delete(env.seq);
        p.resolve({ index, result });
      }
    }
    this.failLost(this.pending, index, term);
  }

  private applyConf(index: LogIndex, term: Term, data: Uint8Array): void {
    const cc = decodeConfChange(data);
    this.conf = this.node.applyConfChange(cc);
    if (cc.type === 'remove') {
      this.addresses.delete(cc.id);
      if (cc.id !== this.opts.id) this.opts.transport.removePeer(cc.id);
    } else if (cc.context !== undefined && cc.context.byteLength > 0) {
      const addr = Buffer.from(cc.context).toString('utf8');
      this.addresses.set(cc.id, addr);
      if (cc.id !== this.opts.id) this.opts.transport.setPeer(cc.id, addr);
    }
    const w = this.confWaiters.get(index);
    if (w !== undefined) {
      this.confWaiters.delete(index);
      if (w.at?.term === term) w.resolve({ index, result: this.conf });
      else w.reject(new ShoalError('Unavailable', 'the membership change was lost to a leader change; retry'));
    }
    this.failLost(this.pending, index, term);
  }

  /** Proposals appended at `index` in another term were overwritten: they will never apply. */
  private failLost(map: Map<number, PendingProposal>, index: LogIndex, term: Term): void {
    for (const [k, p] of map) {
      if (p.at !== undefined && p.at.index === index && p.at.term !== term) {
        map.delete(k);
        p.reject(new ShoalError('Unavailable', 'the change was lost to a leader change and not applied; retry'));
      }
    }
  }

  private releaseAppliedWaiters(): void {
    for (let i = this.appliedWaiters.length - 1; i >= 0; i--) {
      const w = this.appliedWaiters[i];
      if (w !== undefined && w.index <= this.applied) {
        this.appliedWaiters.splice(i, 1);
        w.resolve();
      }
    }
  }

  private async takeSnapshot(): Promise<void> {
    const data = new Uint8Array(encode([Object.fromEntries(this.addresses), this.opts.stateMachine.snapshot()]));
    const snap: Snapshot = { meta: { index: this.applied, term: this.appliedTerm, conf: this.conf }, data };
    await this.opts.storage.compact(snap);
    this.node.compact(snap);
    this.snapshotIndex = this.applied;
  }

  private restoreSnapshot(snap: Snapshot): void {
    const v: unknown = decode(snap.data);
    if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'object' || v[0] === null || !(v[1] instanceof Uint8Array)) {
      throw new Error(`raft snapshot at ${snap.meta.index} is not a shoal snapshot; the data is corrupt`);
    }
    this.addresses.clear();
    for (const [id, addr] of Object.entries(v[0] as Record<string, unknown>)) if (typeof addr === 'string') this.addresses.set(id, addr);
    this.opts.stateMachine.restore(v[1], snap.meta.index);
    this.applied = snap.meta.index;
    this.appliedTerm = snap.meta.term;
    this.snapshotIndex = snap.meta.index;
    this.conf = snap.meta.conf;
    this.syncPeers();
  }

  private syncPeers(): void {
    for (const [id, addr] of this.addresses) if (id !== this.opts.id) this.opts.transport.setPeer(id as MemberId, addr);
  }
}
