// The leader's log broker with real agent-side publishers, wired in process:
// each fake node's LogPublisher reads a fake runtime's logs and publishes
// through the broker's own handlers. Fan-out, merge, done, follow and cancel,
// backpressure, and who may publish what.
import test from 'ava';
import type { LogLine } from '../../../src/api/contracts/control.js';
import type { LogSubscriptionMessage } from '../../../src/api/contracts/dispatcher.js';
import type { Peer } from '../../../src/api/contract.js';
import { isShoalError, ShoalError } from '../../../src/api/errors.js';
import type { ServiceId } from '../../../src/api/ids.js';
import { newService } from '../../../src/api/service.js';
import { withServiceDefaults } from '../../../src/api/service-spec.js';
import type { Task } from '../../../src/api/task.js';
import { AsyncQueue } from '../../../src/agent/runtime/async-queue.js';
import type { LogEntry, LogOptions, TaskRuntime } from '../../../src/agent/runtime/types.js';
import { LogPublisher } from '../../../src/agent/worker/log-publisher.js';
import { LogBroker } from '../../../src/manager/logbroker/log-broker.js';
import { MemoryStore } from '../../../src/manager/store/memory-store.js';
import { LocalProposer, Store } from '../../../src/manager/store/store.js';
import { createObject } from '../../../src/manager/store/typed.js';
import type { BoundMethod } from '../../../src/net/rpc/handlers.js';
import { makeTask } from '../../agent/worker/helpers/tasks.js';

/** A runtime that only has logs: fixed lines per task, and with follow, lines pushed by the test. */
class LogsOnlyRuntime {
  readonly live = new Map<string, AsyncQueue<LogEntry>>();
  constructor(private readonly lines: Record<string, string[]>) {}
  logs(taskId: string, options: LogOptions = {}): AsyncIterable<LogEntry> {
    const have = this.lines[taskId];
    if (have === undefined) throw new ShoalError('NotFound', `no such task: ${taskId}`);
    const tail = options.tail === undefined ? have : have.slice(Math.max(0, have.length - options.tail));
    const entries = tail.map((line) => ({ stream: 'stdout' as const, line, time: new Date() }));
    if (options.follow !== true) return (async function* () { yield* entries; })();
    const q = new AsyncQueue<LogEntry>(options.signal);
    for (const e of entries) q.push(e);
    this.live.set(taskId, q);
    return q;
  }
}

function handler(broker: LogBroker, name: string): BoundMethod['handler'] {
  const m = broker.service().methods.find((x) => x.name === `LogBroker.${name}`);
  if (m === undefined) throw new Error(`no method ${name}`);
  return m.handler;
}

const nodePeer = (nodeId: string): Peer => ({ kind: 'node', nodeId: nodeId as Extract<Peer, { kind: 'node' }>['nodeId'], role: 'worker', clusterId: 'c' });

/** Connect one fake node: the broker's logSubscriptions handler feeds the node's publisher. */
function connectAgent(broker: LogBroker, nodeId: string, runtime: LogsOnlyRuntime, stop: AbortSignal): { publisher: LogPublisher; received: LogSubscriptionMessage[]; done: Promise<void> } {
  const publisher = new LogPublisher({ runtime: runtime as unknown as TaskRuntime, lingerMs: 1, batchLines: 3 });
  const messages = new AsyncQueue<LogSubscriptionMessage>(stop);
  const received: LogSubscriptionMessage[] = [];
  const ctx = { peer: nodePeer(nodeId), method: 'LogBroker.logSubscriptions', signal: stop };
  const serving = (handler(broker, 'logSubscriptions') as (r: unknown, s: { send(m: unknown): Promise<void> }, c: typeof ctx) => Promise<void>)({}, {
    send: async (m) => {
      received.push(m as LogSubscriptionMessage);
      messages.push(m as LogSubscriptionMessage);
    },
  }, ctx);
  const publish = handler(broker, 'publishLogs') as (r: unknown, c: typeof ctx) => Promise<unknown>;
  const done = publisher.serve(messages, async (req) => {
    await publish(req, { ...ctx, method: 'LogBroker.publishLogs' });
  }, stop);
  return { publisher, received, done: Promise.all([serving, done]).then(() => undefined) };
}

function setup(bufferLines?: number) {
  const memory = new MemoryStore();
  const store = new Store(memory, new LocalProposer(memory), { now: () => new Date() });
  const broker = new LogBroker({ store, isLeader: () => true, notLeader: () => new ShoalError('FailedPrecondition', 'not the leader'), ...(bufferLines !== undefined ? { bufferLines } : {}) });
  return { store, broker };
}

async function addService(store: Store, name: string, tasks: Task[]): Promise<void> {
  const spec = withServiceDefaults({ Name: name, TaskTemplate: { ContainerSpec: { Image: 'local/busybox:1' } } });
  await store.update((tx) => {
    createObject(tx, 'services', newService('svcworker' as ServiceId, spec, Date.now()));
    for (const t of tasks) createObject(tx, 'tasks', t);
  });
}

async function collect(broker: LogBroker, ref: string, opts: { follow?: boolean; tail?: number; signal?: AbortSignal; until?: (lines: LogLine[]) => boolean; slow?: boolean } = {}): Promise<LogLine[]> {
  const out: LogLine[] = [];
  const abort = new AbortController();
  const signal = opts.signal === undefined ? abort.signal : AbortSignal.any([opts.signal, abort.signal]);
  await broker.serviceLogs({ ref, follow: opts.follow === true, ...(opts.tail !== undefined ? { tail: opts.tail } : {}) }, {
    send: async (line) => {
      out.push(line);
      if (opts.slow === true) await new Promise((r) => setImmediate(r));
      if (opts.until?.(out) === true) abort.abort();
    },
  }, signal);
  return out;
}

test('lines of every task on every node are merged, in order per task, and the stream ends', async (t) => {
  const { store, broker } = setup();
  const a = makeTask({ nodeId: 'n1', state: 'running', slot: 1 });
  const b = makeTask({ nodeId: 'n2', state: 'failed', slot: 2 });
  const pending = { ...makeTask({ nodeId: 'n2', slot: 3 }), Status: { ...a.Status, State: 'pending' as const } };
  await addService(store, 'web', [a, b, pending]);
  const stop = new AbortController();
  const n1 = connectAgent(broker, 'n1', new LogsOnlyRuntime({ [a.ID]: ['a1', 'a2', 'a3', 'a4'] }), stop.signal);
  const n2 = connectAgent(broker, 'n2', new LogsOnlyRuntime({ [b.ID]: ['b1', 'b2'] }), stop.signal);
  const lines = await collect(broker, 'web');
  t.deepEqual(lines.filter((l) => l.TaskID === a.ID).map((l) => l.Line), ['a1', 'a2', 'a3', 'a4']);
  t.deepEqual(lines.filter((l) => l.TaskID === b.ID).map((l) => `${l.NodeID}:${l.Line}`), ['n2:b1', 'n2:b2']);
  t.is(lines.length, 6);
  t.like(n2.received[0], { kind: 'subscribe', taskIds: [b.ID], follow: false }, 'a pending task is not asked for');
  t.deepEqual(await collect(broker, a.ID, { tail: 2 }).then((ls) => ls.map((l) => l.Line)), ['a3', 'a4'], 'one task, its last 2 lines');
  await t.throwsAsync(collect(broker, 'nope'), { message: 'no such task or service: nope' });
  stop.abort();
  await Promise.all([n1.done, n2.done]);
});

test('a node without an agent connected is skipped; a task the node does not hold sends nothing', async (t) => {
  const { store, broker } = setup();
  const a = makeTask({ nodeId: 'n1', state: 'running' });
  const gone = makeTask({ nodeId: 'n1', state: 'shutdown', slot: 2 });
  const away = makeTask({ nodeId: 'n9', state: 'running', slot: 3 });
  await addService(store, 'web', [a, gone, away]);
  const stop = new AbortController();
  const n1 = connectAgent(broker, 'n1', new LogsOnlyRuntime({ [a.ID]: ['only'] }), stop.signal);
  t.deepEqual((await collect(broker, 'web')).map((l) => l.Line), ['only']);
  stop.abort();
  await n1.done;
});

test('follow: new lines stream until the client goes away, then every node is told to cancel', async (t) => {
  const { store, broker } = setup();
  const a = makeTask({ nodeId: 'n1', state: 'running' });
  await addService(store, 'web', [a]);
  const stop = new AbortController();
  const rt = new LogsOnlyRuntime({ [a.ID]: ['old'] });
  const n1 = connectAgent(broker, 'n1', rt, stop.signal);
  const client = new AbortController();
  const reading = collect(broker, 'web', { follow: true, signal: client.signal, until: (ls) => ls.length === 3 });
  for (let i = 0; i < 200 && rt.live.get(a.ID) === undefined; i++) await new Promise((r) => setImmediate(r));
  rt.live.get(a.ID)?.push({ stream: 'stderr', line: 'new1', time: new Date() });
  rt.live.get(a.ID)?.push({ stream: 'stdout', line: 'new2', time: new Date() });
  const lines = await reading;
  t.deepEqual(lines.map((l) => `${l.Stream}:${l.Line}`), ['stdout:old', 'stderr:new1', 'stdout:new2']);
  for (let i = 0; i < 200 && n1.publisher.active > 0; i++) await new Promise((r) => setImmediate(r));
  t.like(n1.received.at(-1), { kind: 'cancel' });
  t.is(n1.publisher.active, 0, 'the agent stopped reading');
  stop.abort();
  await n1.done;
});

test('follow: a task placed later (scale up) is followed too', async (t) => {
  const { store, broker } = setup();
  const a = makeTask({ nodeId: 'n1', state: 'running' });
  await addService(store, 'web', [a]);
  const stop = new AbortController();
  const later = makeTask({ nodeId: 'n1', state: 'assigned', slot: 2 });
  const n1 = connectAgent(broker, 'n1', new LogsOnlyRuntime({ [a.ID]: ['first'], [later.ID]: ['second'] }), stop.signal);
  const reading = collect(broker, 'web', { follow: true, until: (ls) => ls.length === 2 });
  for (let i = 0; i < 200 && n1.received.length === 0; i++) await new Promise((r) => setImmediate(r));
  await store.update((tx) => createObject(tx, 'tasks', later));
  t.deepEqual((await reading).map((l) => l.Line).sort(), ['first', 'second']);
  stop.abort();
  await n1.done;
});

test('a slow client holds the agents back (bounded buffer) and loses nothing', async (t) => {
  const { store, broker } = setup(4);
  const a = makeTask({ nodeId: 'n1', state: 'running' });
  await addService(store, 'web', [a]);
  const many = Array.from({ length: 200 }, (_, i) => `line ${i}`);
  const stop = new AbortController();
  const n1 = connectAgent(broker, 'n1', new LogsOnlyRuntime({ [a.ID]: many }), stop.signal);
  const lines = await collect(broker, 'web', { slow: true });
  t.deepEqual(lines.map((l) => l.Line), many);
  stop.abort();
  await n1.done;
});

test('publishing is refused for subscriptions that are over and for tasks a node was not asked for', async (t) => {
  const { broker } = setup();
  const publish = handler(broker, 'publishLogs') as (r: unknown, c: unknown) => Promise<unknown>;
  const ctx = { peer: nodePeer('n1'), method: 'LogBroker.publishLogs', signal: new AbortController().signal };
  const err = await t.throwsAsync(publish({ subscriptionId: 'nope', lines: [], done: true }, ctx));
  t.true(isShoalError(err) && err.code === 'NotFound');
  const follower = new LogBroker({ store: setup().store, isLeader: () => false, notLeader: () => new ShoalError('FailedPrecondition', 'the leader is at x', 'leader=x') });
  const refused = await t.throwsAsync((handler(follower, 'publishLogs') as typeof publish)({ subscriptionId: 's', lines: [], done: true }, ctx));
  t.is(refused?.message, 'the leader is at x');
});

test('losing leadership ends the client streams with a message to retry', async (t) => {
  const { store, broker } = setup();
  const a = makeTask({ nodeId: 'n1', state: 'running' });
  await addService(store, 'web', [a]);
  const stop = new AbortController();
  const n1 = connectAgent(broker, 'n1', new LogsOnlyRuntime({ [a.ID]: [] }), stop.signal);
  const reading = collect(broker, 'web', { follow: true });
  for (let i = 0; i < 200 && n1.received.length === 0; i++) await new Promise((r) => setImmediate(r));
  broker.stop();
  await t.throwsAsync(reading, { message: /no longer the leader/ });
  stop.abort();
  await n1.done;
});
