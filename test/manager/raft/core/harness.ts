// A synchronous in-memory cluster for the Raft core tests: each member has a
// memory "disk" and a list-of-strings state machine; Ready is persisted
// before its messages are queued, and messages move only when deliver() or
// stabilize() is called. No timers: time is tick().
import type { ConfState, Entry, HardState, MemberId, PersistedState, SaveBatch, Snapshot, Term } from '../../../../src/manager/raft/types.js';
import { asIndex, asTerm } from '../../../../src/manager/raft/types.js';
import { asNodeId } from '../../../../src/api/ids.js';
import type { Message, RaftConfig, Ready, ReadState } from '../../../../src/manager/raft/core/index.js';
import { RaftNode, decodeConfChange } from '../../../../src/manager/raft/core/index.js';

export const id = (n: number): MemberId => asNodeId(`n${n}`);
export const idsOf = (n: number): MemberId[] => Array.from({ length: n }, (_, i) => id(i + 1));
export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
export const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** mulberry32: a tiny seeded rng. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function config(me: MemberId, overrides: Partial<RaftConfig> = {}): RaftConfig {
  return {
    id: me,
    electionTicks: 10,
    heartbeatTicks: 1,
    preVote: false,
    checkQuorum: false,
    maxInflightMsgs: 256,
    maxSizePerMsg: 1 << 20,
    rng: seeded(hash(me)),
    ...overrides,
  };
}

/** Entries with the given terms, starting at index `from`. */
export function entriesWithTerms(from: number, ...terms: number[]): Entry[] {
  return terms.map((t, i) => ({ term: asTerm(t), index: asIndex(from + i), kind: 'normal', data: new Uint8Array(0) }));
}

/**
 * Persisted state for a member of `voters` whose log already holds `entries`
 * (a snapshot at index 0 carries the configuration).
 */
export function persistedWith(opts: {
  voters: readonly MemberId[];
  learners?: readonly MemberId[];
  entries?: readonly Entry[];
  term?: number;
  vote?: MemberId | null;
  commit?: number;
}): PersistedState {
  return {
    hardState: { term: asTerm(opts.term ?? 0), vote: opts.vote ?? null, commit: asIndex(opts.commit ?? 0) },
    snapshot: { meta: { index: asIndex(0), term: asTerm(0), conf: { voters: opts.voters, learners: opts.learners ?? [] } }, data: new Uint8Array(0) },
    entries: opts.entries ?? [],
  };
}

export const EMPTY: PersistedState = { hardState: { term: asTerm(0), vote: null, commit: asIndex(0) }, snapshot: null, entries: [] };

/** Hand out and advance one Ready as if persisting were instant; returns it. */
export function drain(node: RaftNode): Ready {
  const rd = node.ready();
  node.advance(rd);
  return rd;
}

/** Drain until quiet; returns every message produced. */
export function drainAll(node: RaftNode): Message[] {
  const out: Message[] = [];
  while (node.hasReady()) out.push(...drain(node).messages);
  return out;
}

/** A leader of term 1 in a cluster of `voters`, with its no-op persisted (not committed). */
export function leaderOf(voters: readonly MemberId[], overrides: Partial<RaftConfig> = {}, persisted?: PersistedState): RaftNode {
  const self = voters[0] ?? id(1);
  const node = new RaftNode(config(self, overrides), persisted ?? persistedWith({ voters }));
  node.campaign();
  drainAll(node);
  for (const v of voters) {
    if (v === self) continue;
    const term = node.status().term;
    node.step({ type: 'vote-response', from: v, to: self, term, reject: false });
  }
  return node;
}

/** The accepting answer to an append. */
export function ack(m: Message): Message {
  if (m.type !== 'append') throw new Error(`expected an append, got ${m.type}`);
  return { type: 'append-response', from: m.to, to: m.from, term: m.term, index: asIndex(m.prevIndex + m.entries.length), reject: null };
}

export class MemoryStorage {
  hardState: HardState = { term: asTerm(0), vote: null, commit: asIndex(0) };
  snapshot: Snapshot | null = null;
  entries: Entry[] = [];
  saves = 0;

  save(batch: SaveBatch): void {
    this.saves++;
    if (batch.snapshot !== undefined) {
      this.snapshot = batch.snapshot;
      this.entries = [];
    }
    const first = batch.entries?.[0];
    if (batch.entries !== undefined && first !== undefined) {
      const offset = (this.snapshot?.meta.index ?? 0) + 1;
      this.entries = [...this.entries.slice(0, first.index - offset), ...batch.entries];
    }
    if (batch.hardState !== undefined) this.hardState = batch.hardState;
  }

  compact(s: Snapshot): void {
    const offset = (this.snapshot?.meta.index ?? 0) + 1;
    this.entries = this.entries.slice(s.meta.index - offset + 1);
    this.snapshot = s;
  }

  load(): PersistedState {
    return { hardState: this.hardState, snapshot: this.snapshot, entries: [...this.entries] };
  }
}

export interface Member {
  readonly id: MemberId;
  node: RaftNode;
  readonly storage: MemoryStorage;
  /** The state machine: data of applied normal entries. */
  sm: string[];
  conf: ConfState;
  /** index -> term of every entry applied, for State Machine Safety checks. */
  appliedTerms: Map<number, Term>;
  readStates: ReadState[];
  readies: number;
}

export interface NetworkOptions {
  readonly config?: Partial<RaftConfig>;
  readonly learners?: readonly MemberId[];
}

export class Network {
  readonly members = new Map<MemberId, Member>();
  /** Messages sent and not yet delivered. */
  queue: Message[] = [];
  /** Every message delivered, in order. */
  delivered: Message[] = [];
  private readonly cuts = new Set<string>();
  /** Return true to drop a message at delivery. */
  dropIf: ((m: Message) => boolean) | null = null;
  private readonly overrides: Partial<RaftConfig>;

  /** A freshly bootstrapped cluster of `n` voters n1..nN (plus learners); n = 0: add members yourself. */
  constructor(n: number, opts: NetworkOptions = {}) {
    this.overrides = opts.config ?? {};
    if (n === 0) return;
    const voters = idsOf(n);
    const conf = { voters, learners: opts.learners ?? [] };
    for (const m of [...voters, ...conf.learners]) this.add(m, new RaftNode(config(m, this.overrides), EMPTY, conf));
    this.flush(); // store and apply the bootstrap configuration
  }

  /** Adds a member; `persisted` is what its disk holds already. */
  add(me: MemberId, node: RaftNode, persisted?: PersistedState): Member {
    const storage = new MemoryStorage();
    if (persisted !== undefined) {
      storage.hardState = persisted.hardState;
      storage.snapshot = persisted.snapshot;
      storage.entries = [...persisted.entries];
    }
    const member: Member = { id: me, node, storage, sm: [], conf: { voters: [], learners: [] }, appliedTerms: new Map(), readStates: [], readies: 0 };
    this.members.set(me, member);
    return member;
  }

  /** A new empty member (to be added by a conf change). */
  join(me: MemberId, overrides: Partial<RaftConfig> = {}): Member {
    return this.add(me, new RaftNode(config(me, { ...this.overrides, ...overrides }), EMPTY));
  }

  get(me: MemberId): Member {
    const m = this.members.get(me);
    if (m === undefined) throw new Error(`no member ${me}`);
    return m;
  }

  node(me: MemberId): RaftNode {
    return this.get(me).node;
  }

  /** One Ready cycle for `me`: persist, then send, then apply, then advance. */
  processReady(me: MemberId): boolean {
    const m = this.get(me);
    if (!m.node.hasReady()) return false;
    const rd = m.node.ready();
    m.readies++;
    m.storage.save({
      ...(rd.snapshot === undefined ? {} : { snapshot: rd.snapshot }),
      entries: rd.entries,
      ...(rd.hardState === undefined ? {} : { hardState: rd.hardState }),
    });
    this.queue.push(...rd.messages);
    if (rd.snapshot !== undefined) {
      m.sm = JSON.parse(text(rd.snapshot.data)) as string[];
      m.conf = rd.snapshot.meta.conf;
      this.recordApplied(m, rd.snapshot.meta.index, rd.snapshot.meta.term);
    }
    for (const e of rd.committedEntries) {
      this.recordApplied(m, e.index, e.term);
      if (e.kind === 'config') m.conf = m.node.applyConfChange(decodeConfChange(e.data));
      else if (e.data.byteLength > 0) m.sm.push(text(e.data));
    }
    m.readStates.push(...rd.readStates);
    m.node.advance(rd);
    m.node.checkInvariants();
    return true;
  }

  private recordApplied(m: Member, index: number, term: Term): void {
    m.appliedTerms.set(index, term);
    for (const other of this.members.values()) {
      const t = other.appliedTerms.get(index);
      if (t !== undefined && t !== term) throw new Error(`State Machine Safety broken: ${m.id} applied term ${term} at ${index}, ${other.id} term ${t}`);
    }
  }

  /** Process every member's Ready until none is left. */
  flush(): void {
    let busy = true;
    while (busy) {
      busy = false;
      for (const me of this.members.keys()) while (this.processReady(me)) busy = true;
    }
  }

  /** Deliver the messages queued now (those they cause stay queued). */
  deliver(): number {
    const batch = this.queue;
    this.queue = [];
    for (const msg of batch) {
      const target = this.members.get(msg.to);
      const lost = target === undefined || this.cuts.has(`${msg.from}->${msg.to}`) || (this.dropIf?.(msg) ?? false);
      if (msg.type === 'snapshot') this.members.get(msg.from)?.node.reportSnapshot(msg.to, !lost);
      if (lost) continue;
      this.delivered.push(msg);
      target.node.step(msg);
    }
    return batch.length;
  }

  /** Flush and deliver until nothing moves. */
  stabilize(maxRounds = 1000): void {
    for (let i = 0; i < maxRounds; i++) {
      this.flush();
      if (this.deliver() === 0) return;
    }
    throw new Error('network did not stabilize');
  }

  tick(me: MemberId, n = 1): void {
    for (let i = 0; i < n; i++) this.node(me).tick();
  }

  /** Tick every member `n` times, stabilizing after each tick. */
  tickAll(n = 1): void {
    for (let i = 0; i < n; i++) {
      for (const m of this.members.values()) m.node.tick();
      this.stabilize();
    }
  }

  elect(me: MemberId): void {
    this.stabilize();
    this.node(me).campaign();
    this.stabilize();
  }

  propose(me: MemberId, data: string): ReturnType<RaftNode['propose']> {
    const r = this.node(me).propose(bytes(data));
    this.stabilize();
    return r;
  }

  /** Messages between a and b (both ways) are lost. */
  cut(a: MemberId, b: MemberId): void {
    this.cuts.add(`${a}->${b}`);
    this.cuts.add(`${b}->${a}`);
  }

  isolate(me: MemberId): void {
    for (const other of this.members.keys()) if (other !== me) this.cut(me, other);
  }

  heal(): void {
    this.cuts.clear();
  }

  leaders(): MemberId[] {
    return [...this.members.values()].filter((m) => m.node.status().role === 'leader').map((m) => m.id);
  }

  /** Snapshot `me`'s state machine at its applied index and compact its log and storage. */
  compact(me: MemberId): Snapshot {
    const m = this.get(me);
    const st = m.node.status();
    const term = m.appliedTerms.get(st.applied) ?? asTerm(0);
    const snap: Snapshot = { meta: { index: st.applied, term, conf: m.conf }, data: bytes(JSON.stringify(m.sm)) };
    m.storage.compact(snap);
    m.node.compact(snap);
    return snap;
  }

  /** Crash and restart `me` from its storage (state machine restored from the snapshot, the rest re-applied). */
  restart(me: MemberId, overrides: Partial<RaftConfig> = {}): void {
    const m = this.get(me);
    const persisted = m.storage.load();
    m.node = new RaftNode(config(me, { ...this.overrides, ...overrides }), persisted);
    m.sm = persisted.snapshot !== null && persisted.snapshot.data.byteLength > 0 ? (JSON.parse(text(persisted.snapshot.data)) as string[]) : [];
    m.conf = persisted.snapshot?.meta.conf ?? { voters: [], learners: [] };
    this.queue = this.queue.filter((msg) => msg.to !== me);
  }
}

/** One node with a memory disk, driven by hand: for paper tests that step messages directly. */
export class Solo {
  readonly node: RaftNode;
  readonly storage = new MemoryStorage();
  /** Every committed entry handed out so far, in order. */
  committed: Entry[] = [];

  constructor(me: MemberId, persisted: PersistedState, overrides: Partial<RaftConfig> = {}) {
    this.node = new RaftNode(config(me, overrides), persisted);
    this.storage.hardState = persisted.hardState;
    this.storage.snapshot = persisted.snapshot;
    this.storage.entries = [...persisted.entries];
  }

  /** One Ready, persisted and advanced. */
  drain(): Ready {
    const rd = this.node.ready();
    this.storage.save({ ...(rd.snapshot === undefined ? {} : { snapshot: rd.snapshot }), entries: rd.entries, ...(rd.hardState === undefined ? {} : { hardState: rd.hardState }) });
    for (const e of rd.committedEntries) {
      if (e.kind === 'config') this.node.applyConfChange(decodeConfChange(e.data));
    }
    this.committed.push(...rd.committedEntries);
    this.node.advance(rd);
    this.node.checkInvariants();
    return rd;
  }

  /** Drain until quiet; returns the messages. */
  drainAll(): Message[] {
    const out: Message[] = [];
    while (this.node.hasReady()) out.push(...this.drain().messages);
    return out;
  }

  /** The terms of the stored log, index 1 first. */
  terms(): number[] {
    return this.storage.entries.map((e) => e.term);
  }

  /** Makes this node follower of `leader` at `term`, and drains. */
  followerOf(leader: MemberId, term: number): this {
    this.node.step({ type: 'heartbeat', from: leader, to: this.node.id, term: asTerm(term), commit: asIndex(0), context: null });
    this.drainAll();
    return this;
  }

  /** Campaign and collect grants from `voters` until leader; drains. */
  elect(voters: readonly MemberId[]): this {
    this.node.campaign();
    this.drainAll();
    for (const v of voters) {
      if (v === this.node.id) continue;
      this.node.step({ type: 'vote-response', from: v, to: this.node.id, term: this.node.status().term, reject: false });
    }
    return this;
  }

  /**
   * Repeatedly drain and answer every append to a member in `acceptors` with
   * an acceptance, until no appends are produced. Returns every message seen.
   */
  replicate(acceptors: readonly MemberId[]): Message[] {
    const seen: Message[] = [];
    for (let round = 0; round < 100; round++) {
      const msgs = this.drainAll();
      seen.push(...msgs);
      const appends = msgs.filter((m) => m.type === 'append' && acceptors.includes(m.to));
      if (appends.length === 0) return seen;
      for (const m of appends) this.node.step(ack(m));
    }
    throw new Error('replication did not settle');
  }
}

export interface View {
  role: string;
  term: number;
  vote: string | null;
  leader: string | null;
  commit: number;
  applied: number;
  lastIndex: number;
  snapshotIndex: number;
}

/** Status with plain numbers and strings, for t.is / t.deepEqual against literals. */
export function view(node: RaftNode): View {
  const s = node.status();
  return { role: s.role, term: s.term, vote: s.vote, leader: s.leader, commit: s.commit, applied: s.applied, lastIndex: s.lastIndex, snapshotIndex: s.snapshotIndex };
}
