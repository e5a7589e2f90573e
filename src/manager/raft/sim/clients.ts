// Simulated clients: each issues one operation at a time (put, get via
// ReadIndex, or compare-and-set on a few keys) to a random member, and
// retries it elsewhere when the member refuses, crashes or does not answer in
// time. Every attempt is recorded with its virtual call and return times:
// - answered: a completed operation;
// - a write whose fate is unknown (timed out, member crashed): pending, it
//   may take effect at any later time or never;
// - refused, or a read that got no answer: left out (it had no effect).
import type { MemberId } from '../types.js';
import type { KvInput, KvOutput, Operation } from '../lincheck/index.js';
import type { SimCommand } from './kv-sim-machine.js';
import type { RequestOutcome, SimMember } from './sim-member.js';
import type { Rng } from './rng.js';

export type ClientEvent = { readonly kind: 'client-wake'; readonly client: number } | { readonly kind: 'client-timeout'; readonly client: number; readonly seq: number };

export interface ClientPort {
  now(): number;
  after(delay: number, event: ClientEvent): void;
  /** The members a client may call (every process not retired), in a stable order. */
  targets(): readonly SimMember[];
  trace(text: string): void;
}

interface Attempt {
  readonly seq: number;
  readonly input: KvInput;
  readonly call: number;
  readonly member: MemberId;
}

interface ClientState {
  readonly id: number;
  seq: number;
  attempt: Attempt | null;
  /** The input to try again after a failed attempt. */
  retry: KvInput | null;
  lastMember: MemberId | null;
  /** The last value this client saw per key (for plausible compare-and-sets). */
  readonly seen: Map<string, string | null>;
}

const KEYS = ['a', 'b', 'c', 'd'];
/** Virtual ms a client waits for an answer. */
export const CLIENT_TIMEOUT = 600;

function describe(input: KvInput): string {
  switch (input.op) {
    case 'get':
      return `get(${input.key})`;
    case 'put':
      return `put(${input.key}=${input.value})`;
    case 'delete':
      return `delete(${input.key})`;
    case 'cas':
      return `cas(${input.key}: ${input.expected ?? 'null'} -> ${input.value})`;
  }
}

export class Clients {
  readonly history: Operation<KvInput, KvOutput>[] = [];
  /** No new operations once set (retries of failed ones neither). */
  stopping = false;
  acknowledged = 0;
  /** The highest log index an acknowledged write applied at. */
  maxAckedIndex = 0;
  /** Virtual time of the latest acknowledged write's call. */
  lastAckedCall = -1;
  private readonly clients: ClientState[] = [];
  private values = 0;

  constructor(
    count: number,
    private readonly rng: Rng,
    private readonly port: ClientPort,
  ) {
    for (let id = 1; id <= count; id++) this.clients.push({ id, seq: 0, attempt: null, retry: null, lastMember: null, seen: new Map() });
  }

  start(): void {
    for (const c of this.clients) this.port.after(this.rng.int(0, 30), { kind: 'client-wake', client: c.id });
  }

  get idle(): boolean {
    return this.clients.every((c) => c.attempt === null);
  }

  handle(ev: ClientEvent): void {
    const c = this.clients[ev.client - 1];
    if (c === undefined) return;
    if (ev.kind === 'client-wake') this.issue(c);
    else if (c.attempt?.seq === ev.seq) this.giveUp(c, 'timed out');
  }

  reply(client: number, seq: number, output: KvOutput, index: number): void {
    const c = this.clients[client - 1];
    const a = c?.attempt;
    if (c === undefined || a === undefined || a === null || a.seq !== seq) return;
    const now = this.port.now();
    this.history.push({ clientId: c.id, input: a.input, call: a.call, output, return: now });
    this.port.trace(`c${c.id} ${describe(a.input)} -> ${JSON.stringify(output)} from ${a.member}`);
    if (a.input.op !== 'get') {
      this.acknowledged++;
      this.maxAckedIndex = Math.max(this.maxAckedIndex, index);
      this.lastAckedCall = Math.max(this.lastAckedCall, a.call);
    }
    if (output.op === 'get') c.seen.set(a.input.key, output.value);
    else if (a.input.op === 'put' || (a.input.op === 'cas' && output.op === 'cas' && output.ok)) c.seen.set(a.input.key, a.input.value);
    c.attempt = null;
    c.retry = null;
    this.port.after(this.rng.int(0, 40), { kind: 'client-wake', client: c.id });
  }

  /** The attempt certainly had no effect: retry it elsewhere. */
  refuse(client: number, seq: number, why: string): void {
    const c = this.clients[client - 1];
    const a = c?.attempt;
    if (c === undefined || a === undefined || a === null || a.seq !== seq) return;
    this.port.trace(`c${c.id} ${describe(a.input)} failed at ${a.member}: ${why}`);
    c.attempt = null;
    c.retry = a.input;
    this.port.after(this.rng.int(5, 40), { kind: 'client-wake', client: c.id });
  }

  /** `member` crashed or shut down: its callers learn at once (their connection broke). */
  memberDown(member: MemberId): void {
    for (const c of this.clients) if (c.attempt?.member === member) this.giveUp(c, `${member} went down`);
  }

  private giveUp(c: ClientState, why: string): void {
    const a = c.attempt;
    if (a === null) return;
    if (a.input.op !== 'get') this.history.push({ clientId: c.id, input: a.input, call: a.call, pending: true });
    this.port.trace(`c${c.id} ${describe(a.input)} at ${a.member}: ${why}; outcome unknown`);
    c.attempt = null;
    c.retry = a.input;
    this.port.after(this.rng.int(5, 40), { kind: 'client-wake', client: c.id });
  }

  private issue(c: ClientState): void {
    if (c.attempt !== null || this.stopping) return;
    const targets = this.port.targets();
    if (targets.length === 0) return;
    // Retry elsewhere when there is an elsewhere.
    const others = targets.filter((m) => m.id !== c.lastMember);
    const member = this.rng.pick(c.retry !== null && others.length > 0 ? others : targets);
    const input = c.retry ?? this.nextInput(c);
    c.retry = null;
    c.lastMember = member.id;
    const seq = ++c.seq;
    const attempt: Attempt = { seq, input, call: this.port.now(), member: member.id };
    // Set first: a member may answer inside the call (a local read).
    c.attempt = attempt;
    const outcome: RequestOutcome = input.op === 'get' ? member.read(c.id, seq, input.key) : member.write(this.command(c.id, seq, input));
    if (outcome !== 'accepted') {
      c.attempt = null;
      this.port.trace(`c${c.id} ${describe(input)} at ${member.id}: ${outcome}`);
      c.retry = input;
      this.port.after(this.rng.int(5, 40), { kind: 'client-wake', client: c.id });
      return;
    }
    if (c.attempt !== attempt) return;
    this.port.trace(`c${c.id} ${describe(input)} at ${member.id}`);
    this.port.after(CLIENT_TIMEOUT, { kind: 'client-timeout', client: c.id, seq });
  }

  private nextInput(c: ClientState): KvInput {
    const key = this.rng.pick(KEYS);
    const r = this.rng.next();
    if (r < 0.45) return { op: 'get', key };
    const value = `${c.id}.${++this.values}`;
    if (r < 0.8) return { op: 'put', key, value };
    const seen = c.seen.get(key);
    const expected = seen !== undefined && this.rng.chance(0.8) ? seen : null;
    return { op: 'cas', key, expected, value };
  }

  private command(client: number, seq: number, input: KvInput): SimCommand {
    switch (input.op) {
      case 'put':
        return { op: 'put', client, seq, key: input.key, value: input.value };
      case 'cas':
        return { op: 'cas', client, seq, key: input.key, expected: input.expected, value: input.value };
      case 'get':
      case 'delete':
        throw new Error(`${input.op} is not a write the simulator proposes`);
    }
  }
}
