// One simulated member: a RaftNode, its "disk" (MemoryRaftStorage in manual
// mode: writes are durable only when the simulator flushes them, after a
// virtual fsync delay, and a crash loses the rest) and a KV state machine,
// driven exactly as the driver contract says (and as raft-driver.ts does):
//   1. take a Ready; a leader sends its messages at once (thesis §10.2.1);
//   2. save snapshot + entries + hard state; a Ready that only moves the
//      commit index needs no fsync (as raft-driver.ts / etcd's MustSync);
//   3. once the save is durable: everyone else sends its messages; restore
//      the snapshot, apply committed entries, serve ReadStates; advance;
//   4. every `snapshotEvery` applied entries, store a snapshot (another
//      fsync) and compact the core's log.
// One Ready is handled at a time; steps and ticks go on meanwhile.
import type { ConfChange, Message, Ready, RoleKind } from '../core/index.js';
import { RaftNode, decodeConfChange } from '../core/index.js';
import type { ConfState, Entry, HardState, MemberId, SaveBatch, Snapshot } from '../types.js';
import { asIndex, asTerm } from '../types.js';
import type { RaftConfig } from '../core/index.js';
import { MemoryRaftStorage } from '../storage/index.js';
import { ClientRequests } from './client-requests.js';
import type { ReplySink } from './client-requests.js';
import { KvSimMachine, encodeCommand } from './kv-sim-machine.js';
import type { SimCommand } from './kv-sim-machine.js';
import { LogMirror } from './log-mirror.js';
import type { DriverFault } from './options.js';
import type { SafetyMonitor } from './safety-monitor.js';
import type { DurabilityMonitor } from './durability-monitor.js';
import { SimViolation, check } from './violation.js';

/** What a member needs from the simulation around it. */
export interface MemberEnv extends ReplySink {
  readonly fault: DriverFault;
  readonly snapshotEvery: number;
  readonly monitor: SafetyMonitor;
  readonly durability: DurabilityMonitor;
  raftConfig(id: MemberId, incarnation: number): RaftConfig;
  send(from: SimMember, messages: readonly Message[]): void;
  /** Call member.fsyncDone() after a virtual fsync delay. */
  scheduleFsync(member: SimMember): void;
  /** A member applied a config entry. */
  confApplied(member: SimMember, index: number, cc: ConfChange): void;
  trace(text: string): void;
  touch(member: SimMember): void;
}

type DriverState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'saving'; readonly rd: Ready; readonly early: boolean; readonly hard: HardState }
  | { readonly kind: 'compacting'; readonly snapshot: Snapshot };

/** A running incarnation: everything a crash wipes. */
interface Running {
  readonly node: RaftNode;
  readonly kv: KvSimMachine;
  readonly log: LogMirror;
  driver: DriverState;
  role: RoleKind;
  leader: MemberId | null;
  /** The term of the previous Ready if this member was leader then. */
  ledIn: number | null;
  latestHard: HardState;
  savedHard: HardState;
  applied: number;
  appliedTerm: number;
  snapshotIndex: number;
  conf: ConfState;
  readonly requests: ClientRequests;
}

export type MemberState = { readonly kind: 'up'; readonly run: Running } | { readonly kind: 'down' } | { readonly kind: 'retired' };

export type RequestOutcome = 'accepted' | 'down' | 'refused';

const encoder = new TextEncoder();
const EMPTY_CONF: ConfState = { voters: [], learners: [] };

export class SimMember {
  readonly disk = new MemoryRaftStorage({ durability: 'manual' });
  state: MemberState = { kind: 'down' };
  incarnation = 0;
  /** A storage error from a save's promise (a driver or storage bug). */
  storageError: Error | null = null;

  constructor(
    readonly id: MemberId,
    /** The founding configuration, for the initial members (used when the disk is empty). */
    private readonly bootstrap: ConfState | null,
    private readonly env: MemberEnv,
  ) {}

  get up(): Running | null {
    return this.state.kind === 'up' ? this.state.run : null;
  }

  /** Open the disk and start a new incarnation from what is durable. */
  async start(): Promise<void> {
    check(this.state.kind === 'down', 'core-invariant', () => `${this.id} started while ${this.state.kind}`);
    this.disk.reopen();
    const persisted = await this.disk.load();
    this.incarnation++;
    const empty = persisted.snapshot === null && persisted.entries.length === 0 && persisted.hardState.term === 0;
    const boot = this.bootstrap !== null && empty ? this.bootstrap : undefined;
    const node = new RaftNode(this.env.raftConfig(this.id, this.incarnation), persisted, boot);
    const snap = persisted.snapshot;
    const run: Running = {
      node,
      kv: new KvSimMachine(),
      log: new LogMirror(),
      driver: { kind: 'idle' },
      role: 'follower',
      leader: null,
      ledIn: null,
      latestHard: persisted.hardState,
      savedHard: persisted.hardState,
      applied: snap?.meta.index ?? 0,
      appliedTerm: snap?.meta.term ?? 0,
      snapshotIndex: snap?.meta.index ?? 0,
      conf: snap?.meta.conf ?? EMPTY_CONF,
      requests: new ClientRequests(this.env),
    };
    if (snap !== null) {
      run.kv.restore(snap.data);
      run.log.storeSnapshot(snap.meta);
      this.env.monitor.observeRestored(this.id, snap.meta.index, snap.meta.term, run.kv.hash);
    }
    this.storeEntries(run, persisted.entries);
    this.env.durability.observeRestart(this.id, persisted.hardState, run.log.lastIndex());
    this.state = { kind: 'up', run };
    const hs = persisted.hardState;
    this.env.trace(
      `${this.id} start #${this.incarnation} term=${hs.term} vote=${hs.vote ?? '-'} commit=${hs.commit} snap=${run.snapshotIndex} last=${run.log.lastIndex()}${boot ? ' bootstrap' : ''}`,
    );
    this.pump();
  }

  /** Power cut: writes not yet flushed are lost. Returns how many. */
  crash(): number {
    const lost = this.disk.crash();
    this.state = { kind: 'down' };
    return lost;
  }

  /** Shut down for good (removed from the cluster); pending writes are flushed first. */
  retire(): void {
    this.disk.flush();
    this.disk.crash();
    this.state = { kind: 'retired' };
  }

  // --- inputs ---

  tick(): void {
    const run = this.up;
    if (run === null) return;
    run.node.tick();
    this.pump();
  }

  step(m: Message): void {
    const run = this.up;
    if (run === null) return;
    run.node.step(m);
    this.pump();
  }

  reportSnapshot(to: MemberId, ok: boolean): void {
    const run = this.up;
    if (run === null) return;
    run.node.reportSnapshot(to, ok);
    this.pump();
  }

  reportUnreachable(to: MemberId): void {
    const run = this.up;
    if (run === null) return;
    run.node.reportUnreachable(to);
    this.pump();
  }

  write(cmd: SimCommand): RequestOutcome {
    const run = this.up;
    if (run === null) return 'down';
    const r = run.node.propose(encodeCommand(cmd));
    if (r.kind === 'dropped') return 'refused';
    const at = r.kind === 'appended' ? { index: r.index, term: r.term } : null;
    run.requests.addWrite(cmd.client, cmd.seq, at);
    this.pump();
    return 'accepted';
  }

  read(client: number, seq: number, key: string): RequestOutcome {
    const run = this.up;
    if (run === null) return 'down';
    if (this.env.fault === 'local-read') {
      this.env.reply(client, seq, { op: 'get', value: run.kv.get(key) }, run.applied);
      return 'accepted';
    }
    const context = encoder.encode(`r${client}.${seq}`);
    const r = run.node.readIndex(context);
    if (r.kind === 'dropped') return 'refused';
    run.requests.addRead(context, client, seq, key);
    this.pump();
    return 'accepted';
  }

  /** Start an election now (an election timeout that fired early). */
  campaign(): void {
    const run = this.up;
    if (run === null) return;
    run.node.campaign();
    this.pump();
  }

  transferLeadership(to: MemberId): string {
    const run = this.up;
    if (run === null) return 'down';
    const r = run.node.transferLeadership(to);
    this.pump();
    return r.kind;
  }

  proposeConfChange(cc: ConfChange): { readonly index: number; readonly term: number } | string {
    const run = this.up;
    if (run === null) return 'down';
    const r = run.node.proposeConfChange(cc);
    this.pump();
    return r.kind === 'appended' ? { index: r.index, term: r.term } : r.kind === 'dropped' ? r.reason : 'forwarded';
  }

  /** The member's pending save became durable. */
  fsyncDone(): void {
    const run = this.up;
    if (run === null) return;
    const flushed = this.disk.flush(1);
    this.env.trace(`${this.id} fsync done`);
    check(flushed === 1, 'core-invariant', () => `${this.id}: fsync completed with ${flushed} writes pending`);
    const d = run.driver;
    switch (d.kind) {
      case 'saving':
        run.savedHard = d.hard;
        this.finishReady(run, d.rd, d.early);
        break;
      case 'compacting':
        run.node.compact(d.snapshot);
        run.snapshotIndex = d.snapshot.meta.index;
        run.driver = { kind: 'idle' };
        break;
      case 'idle':
        throw new SimViolation('core-invariant', `${this.id}: fsync completed with nothing to save`);
    }
    this.pump();
  }

  // --- the driver loop ---

  private pump(): void {
    this.env.touch(this);
    const run = this.up;
    if (run === null) return;
    while (run.driver.kind === 'idle' && run.node.hasReady()) this.startReady(run, run.node.ready());
  }

  private startReady(run: Running, rd: Ready): void {
    if (rd.softState !== undefined) {
      if (rd.softState.role !== run.role || rd.softState.leader !== run.leader) {
        this.env.trace(`${this.id} is ${rd.softState.role} (leader ${rd.softState.leader ?? '-'}) term=${rd.hardState?.term ?? run.latestHard.term}`);
      }
      run.role = rd.softState.role;
      run.leader = rd.softState.leader;
    }
    if (rd.hardState !== undefined) run.latestHard = rd.hardState;
    const early = run.role === 'leader' || this.env.fault === 'send-before-persist';
    if (early) this.env.send(this, rd.messages);

    const batch: { -readonly [K in keyof SaveBatch]: SaveBatch[K] } = {};
    if (rd.snapshot !== undefined) {
      batch.snapshot = rd.snapshot;
      run.log.storeSnapshot(rd.snapshot.meta);
    }
    if (rd.entries.length > 0) batch.entries = rd.entries;
    const term = run.latestHard.term;
    const first = rd.entries[0];
    // Leader since the previous Ready, in this term: it only ever appends.
    check(
      run.ledIn !== term || run.role !== 'leader' || first === undefined || first.index > run.log.lastIndex(),
      'leader-append-only',
      () => `${this.id}, leader of term ${term}, rewrote its log from index ${first?.index} (last ${run.log.lastIndex()})`,
    );
    this.storeEntries(run, rd.entries);
    run.ledIn = run.role === 'leader' ? term : null;
    if (run.role === 'leader') this.env.monitor.observeLeaderReady(this.id, term, run.log);

    const hard = run.latestHard;
    const saved = run.savedHard;
    const mustSync = batch.snapshot !== undefined || batch.entries !== undefined || hard.term !== saved.term || hard.vote !== saved.vote;
    if (!mustSync) {
      this.finishReady(run, rd, early);
      return;
    }
    if (hard.term !== saved.term || hard.vote !== saved.vote || hard.commit !== saved.commit) batch.hardState = hard;
    this.save(batch);
    run.driver = { kind: 'saving', rd, early, hard };
  }

  private finishReady(run: Running, rd: Ready, early: boolean): void {
    if (!early) this.env.send(this, rd.messages);
    if (rd.snapshot !== undefined) this.restoreSnapshot(run, rd.snapshot);
    for (const e of rd.committedEntries) this.apply(run, e);
    for (const rs of rd.readStates) run.requests.readConfirmed(rs.context, rs.index);
    run.node.advance(rd);
    run.requests.serveReads(run.kv, run.applied);
    if (run.applied - run.snapshotIndex >= this.env.snapshotEvery) {
      const snapshot: Snapshot = {
        meta: { index: asIndex(run.applied), term: asTerm(run.appliedTerm), conf: run.conf },
        data: run.kv.snapshot(),
      };
      this.env.trace(`${this.id} snapshot @${run.applied}/${run.appliedTerm}`);
      run.log.storeSnapshot(snapshot.meta);
      this.save({ snapshot });
      run.driver = { kind: 'compacting', snapshot };
      return;
    }
    run.driver = { kind: 'idle' };
  }

  private save(batch: SaveBatch): void {
    this.env.trace(`${this.id} write${describeBatch(batch)}`);
    this.disk.save(batch).catch((err: unknown) => {
      this.storageError ??= err instanceof Error ? err : new Error(String(err));
    });
    this.env.scheduleFsync(this);
  }

  /** Stores entries in the mirror of the disk, checking Log Matching on each. */
  private storeEntries(run: Running, entries: readonly Entry[]): void {
    for (const e of entries) {
      const r = run.log.storeEntry(e);
      if ('gapAfter' in r) throw new SimViolation('core-invariant', `${this.id} was handed entry ${e.index} after last index ${r.gapAfter}`);
      if (e.index > run.log.snapshotIndex) this.env.monitor.observeStored(this.id, e, r.prevTerm);
    }
  }

  private apply(run: Running, e: Entry): void {
    check(e.index === run.applied + 1, 'core-invariant', () => `${this.id} was asked to apply entry ${e.index} after ${run.applied}`);
    const result = run.kv.applyEntry(e);
    if (e.kind === 'config') {
      const cc = decodeConfChange(e.data);
      run.conf = run.node.applyConfChange(cc);
      this.env.confApplied(this, e.index, cc);
    }
    run.applied = e.index;
    run.appliedTerm = e.term;
    this.env.monitor.observeApplied(this.id, e, run.kv.hash);
    run.requests.applied(e.index, e.term, result);
  }

  private restoreSnapshot(run: Running, s: Snapshot): void {
    run.kv.restore(s.data);
    run.applied = s.meta.index;
    run.appliedTerm = s.meta.term;
    run.snapshotIndex = s.meta.index;
    run.conf = s.meta.conf;
    this.env.trace(`${this.id} installed snapshot @${s.meta.index}/${s.meta.term}`);
    this.env.monitor.observeRestored(this.id, s.meta.index, s.meta.term, run.kv.hash);
    run.requests.restored(run.kv, s.meta.index);
  }

  /** For the trace and the liveness checks. */
  describe(): string {
    const run = this.up;
    if (run === null) return `${this.id} ${this.state.kind}`;
    return `${this.id} ${run.role} term=${run.latestHard.term} applied=${run.applied} last=${run.log.lastIndex()}`;
  }
}

function describeBatch(b: SaveBatch): string {
  const parts: string[] = [];
  if (b.snapshot !== undefined) parts.push(` snapshot @${b.snapshot.meta.index}/${b.snapshot.meta.term}`);
  const first = b.entries?.[0];
  const last = b.entries?.at(-1);
  if (first !== undefined && last !== undefined) parts.push(` entries ${first.index}/${first.term}..${last.index}/${last.term}`);
  if (b.hardState !== undefined) parts.push(` hard term=${b.hardState.term} vote=${b.hardState.vote ?? '-'} commit=${b.hardState.commit}`);
  return parts.join('');
}
