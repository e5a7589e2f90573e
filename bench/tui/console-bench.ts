// The console under load: an in-memory source of 1,000 nodes and 50,000
// tasks (100 services of 500 replicas), the real controller, ink and
// components, drawing on a fake terminal (no emulator in the way: frames
// are matched on the bytes written).
//
//   node --expose-gc --import=tsx bench/tui/console-bench.ts [--source memory|rpc] [--nodes 1000] [--services 100] [--replicas 500] [--columns 160] [--rows 50] [--seconds 5]
//
// --source memory (default): the cluster lives in this process and the
// console reads it directly; the RSS then includes the cluster. --source
// rpc: the cluster lives in a forked process and is served as the Control
// API on a unix socket, so this process's RSS is the console's own (with
// its own decoded copy of every object), and events cross a real socket.
//
// Measures: start to first frame and to the first full frame (every object
// indexed and the nodes table drawn); frame time (a change asked for ->
// the frame written), median and p95; keypress to updated screen on the
// 50,000-row tasks table (move, switch view, sort, filter); event to screen
// (a task's error changes on a visible row while 1,000 other task updates a
// second stream in); RSS.
import { fork } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createClient, dialUnix } from '../../src/net/rpc/index.js';
import { rpcSource } from '../../src/tui/rpc-source.js';
import type { ConsoleSource } from '../../src/tui/source.js';
import { serveFakeCluster } from '../../test/tui/harness/fake-control-server.js';
import type { Task } from '../../src/api/task.js';
import type { ConsoleController } from '../../src/tui/controller.js';
import { loadInk } from '../../src/tui/ink-env.js';
import { makeTheme } from '../../src/tui/theme.js';
import { FakeCluster } from '../../test/tui/harness/fake-cluster.js';
import { FakeStdin } from '../../test/tui/harness/fake-tty.js';
import { fmt, median, percentile } from '../lib/stats.js';

const { values } = parseArgs({
  options: {
    source: { type: 'string', default: 'memory' },
    serve: { type: 'boolean', default: false },
    nodes: { type: 'string', default: '1000' },
    services: { type: 'string', default: '100' },
    replicas: { type: 'string', default: '500' },
    columns: { type: 'string', default: '160' },
    rows: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '5' },
  },
});
const NODES = Number(values.nodes);
const SERVICES = Number(values.services);
const REPLICAS = Number(values.replicas);
const TASKS = SERVICES * REPLICAS;
const MB = 1024 * 1024;
const rss = () => process.memoryUsage().rss / MB;
/** Live heap after a full collection (run with --expose-gc for it). */
const liveHeap = (): string => {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return 'n/a (run node with --expose-gc)';
  gc();
  return `${fmt(process.memoryUsage().heapUsed / MB, 0)} MB`;
};

/** A terminal that keeps the last frame and tells waiters when one matches. */
class BenchStdout extends Writable {
  readonly isTTY = true;
  frames = 0;
  last = '';
  private waiters: { test: (chunk: string) => boolean; resolve: (t: number) => void }[] = [];

  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super({ decodeStrings: false });
  }

  override _write(chunk: unknown, _enc: BufferEncoding, cb: () => void): void {
    const text = String(chunk);
    const at = performance.now();
    this.frames++;
    this.last = text;
    this.waiters = this.waiters.filter((w) => {
      if (!w.test(text)) return true;
      w.resolve(at);
      return false;
    });
    cb();
  }

  /** When the next write for which `test` holds happens. */
  next(test: (chunk: string) => boolean = () => true): Promise<number> {
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }
}

function build(): FakeCluster {
  const c = new FakeCluster(() => Date.UTC(2024, 5, 1, 12));
  const nodes = Array.from({ length: NODES }, (_, i) => c.addNode(`node-${String(i).padStart(4, '0')}`, { role: i < 3 ? 'manager' : 'worker', leader: i === 0, cpus: 16, memoryGiB: 64 }));
  let n = 0;
  for (let s = 0; s < SERVICES; s++) {
    const svc = c.addService(`svc-${String(s).padStart(3, '0')}`, { replicas: REPLICAS, image: `registry.local/app-${s}:1.0` });
    for (let slot = 1; slot <= REPLICAS; slot++) c.addTask(svc, { slot, node: nodes[n++ % NODES] });
  }
  return c;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const report: string[] = [];
const line = (what: string, value: string) => {
  report.push(`| ${what} | ${value} |`);
  console.log(`${what}: ${value}`);
};
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${fmt(median(s), 1)} ms, p95 ${fmt(percentile(s, 95), 1)} ms, max ${fmt(s[s.length - 1] ?? NaN, 1)} ms (n=${s.length})`;
};

/** What the event phase drives: a visible task's error (the marker to find on screen) and background updates. */
interface Feed {
  readonly source: ConsoleSource;
  mark(n: number): void;
  load(on: boolean): void;
  /** Background updates sent so far. */
  background(): Promise<number>;
  close(): Promise<void>;
}

/** The changes of the event phase, on a cluster. */
function driver(cluster: FakeCluster) {
  const tasks = [...cluster.tasks.values()];
  const visible = tasks.find((t) => t.Slot === 1 && cluster.services.get(t.ServiceID)?.Spec.Name === 'svc-000') as Task;
  let sent = 0;
  let timer: NodeJS.Timeout | undefined;
  return {
    mark: (n: number) => void cluster.setTaskState(visible, 'failed', `err-${n}`),
    load: (on: boolean) => {
      clearInterval(timer);
      if (!on) return;
      timer = setInterval(() => {
        for (let i = 0; i < 10; i++) cluster.setTaskState(tasks[Math.floor(Math.random() * tasks.length)] as Task, sent++ % 2 === 0 ? 'running' : 'starting');
      }, 10);
    },
    sent: () => sent,
  };
}

if (values.serve) {
  const cluster = build();
  const server = await serveFakeCluster(cluster);
  const d = driver(cluster);
  process.on('message', (m: { mark?: number; load?: boolean; sent?: boolean }) => {
    if (m.mark !== undefined) d.mark(m.mark);
    if (m.load !== undefined) d.load(m.load);
    if (m.sent === true) process.send?.({ sent: d.sent() });
  });
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
  process.send?.({ socket: server.socket });
  await new Promise(() => undefined);
}

async function memoryFeed(): Promise<Feed> {
  const t00 = performance.now();
  const cluster = build();
  console.log(`built ${NODES} nodes, ${SERVICES} services, ${TASKS} tasks in ${fmt(performance.now() - t00, 0)} ms`);
  const d = driver(cluster);
  return { source: cluster.source(), mark: d.mark, load: d.load, background: async () => d.sent(), close: async () => undefined };
}

async function rpcFeed(): Promise<Feed> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', ...process.argv.slice(2).filter((a) => a !== '--source' && a !== 'rpc')], { execArgv: ['--import=tsx'] });
  const socket = await new Promise<string>((resolve) => child.once('message', (m: { socket: string }) => resolve(m.socket)));
  console.log(`a child process serves ${NODES} nodes, ${SERVICES} services, ${TASKS} tasks on ${socket}`);
  const client = createClient({ dialer: dialUnix(socket), peerName: 'the bench manager' });
  return {
    source: rpcSource(client, `unix://${socket}`),
    mark: (n) => child.send({ mark: n }),
    load: (on) => child.send({ load: on }),
    background: () =>
      new Promise((resolve) => {
        child.once('message', (m: { sent: number }) => resolve(m.sent));
        child.send({ sent: true });
      }),
    close: async () => {
      await client.close();
      child.disconnect();
    },
  };
}

const feed = values.source === 'rpc' ? await rpcFeed() : await memoryFeed();
const heapBase = liveHeap();
const rssBase = rss();
console.log(`before the console: RSS ${fmt(rssBase, 0)} MB, live heap ${heapBase}`);

const stdout = new BenchStdout(Number(values.columns), Number(values.rows));
const stdin = new FakeStdin();
const { runConsole } = await loadInk('256', () => import('../../src/tui/console-app.js'));
let controller: ConsoleController | undefined;
const frameTimes: number[] = [];
const buildTimes: number[] = [];
const keyTimes: number[] = [];
const t0 = performance.now();
const firstFrame = stdout.next();
const fullFrame = stdout.next((chunk) => controller?.index.tasks.size === TASKS && chunk.includes(`Nodes (${NODES})`));
const done = runConsole({
  source: feed.source,
  io: { stdin: stdin as unknown as NodeJS.ReadStream, stdout: stdout as unknown as NodeJS.WriteStream, stderr: stdout as unknown as NodeJS.WriteStream },
  readOnly: false,
  theme: makeTheme('256', true),
  onController: (c) => {
    controller = c;
    // How long building the screen's lines takes (the console's own share of a frame).
    const build = c.screen.bind(c);
    const onKey = c.key.bind(c);
    c.key = (k) => {
      const t = performance.now();
      onKey(k);
      keyTimes.push(performance.now() - t);
    };
    c.screen = () => {
      const t = performance.now();
      const lines = build();
      buildTimes.push(performance.now() - t);
      return lines;
    };
    // Frame time: a change is announced -> the frame is written.
    c.subscribe(() => {
      const asked = performance.now();
      void stdout.next().then((at) => frameTimes.push(at - asked));
    });
  },
});
line('start to first frame', `${fmt((await firstFrame) - t0, 0)} ms`);
line(`start to first full frame (${NODES} nodes, ${TASKS} tasks indexed)`, `${fmt((await fullFrame) - t0, 0)} ms`);
await sleep(500);
line(
  'RSS after loading',
  `${fmt(rss(), 0)} MB (${fmt(rssBase, 0)} MB before the console started${values.source === 'rpc' ? '' : ', the in-memory cluster included'}); live heap ${liveHeap()}`,
);

/** Press a key; resolves with the time to the next frame written. */
async function key(k: string, test?: (chunk: string) => boolean): Promise<number> {
  const frame = stdout.next(test);
  const t = performance.now();
  stdin.write(k);
  return (await frame) - t;
}

const switchMs = await key('3', (c) => c.includes(`Tasks (${TASKS})`));
line(`keypress: switch to all tasks (sorts ${TASKS} rows)`, `${fmt(switchMs, 1)} ms`);
await sleep(100);
buildTimes.length = 0;
keyTimes.length = 0;
const moves: number[] = [];
for (let i = 0; i < 100; i++) {
  moves.push(await key(i % 10 === 9 ? '\x1b[6~' : 'j'));
  await sleep(25);
}
line(`keypress: move / page on the ${TASKS}-row table`, stats(moves));
line('  of which building the screen (lines, pure)', stats(buildTimes));
line('  of which the key handler (includes React and ink when they draw synchronously)', stats(keyTimes));
const sortMs = await key('o', (c) => c.includes('sorted by'));
await sleep(50);
const sortBackMs = await key('O', (c) => c.includes('descending'));
line('keypress: sort by another column (o, then O reverses)', `${fmt(sortMs, 1)} ms, ${fmt(sortBackMs, 1)} ms`);
await sleep(50);
await key('\x1b');
await sleep(50);
await key('3');
await sleep(100);
const typing: number[] = [];
typing.push(await key('/'));
for (const ch of 'svc-042.4') {
  await sleep(30);
  typing.push(await key(ch));
}
line(`keypress: typing a filter over ${TASKS} tasks`, stats(typing));
await key('\r');
await key('\x1b');
await sleep(100);

// Events: a visible task's error changes while 1,000 other updates a second arrive.
frameTimes.length = 0;
feed.load(true);
const eventLatency: number[] = [];
const end = performance.now() + Number(values.seconds) * 1000;
for (let n = 0; performance.now() < end; n++) {
  const marker = `err-${n}`;
  const seen = stdout.next((c) => c.includes(marker));
  const t = performance.now();
  feed.mark(n);
  eventLatency.push((await seen) - t);
  await sleep(50);
}
feed.load(false);
const background = await feed.background();
line(`event to screen (with ${fmt(background / Number(values.seconds), 0)} other task updates/s)`, stats(eventLatency));
line('frame time under that load (change announced -> frame written)', stats(frameTimes));
line('RSS after the event phase', `${fmt(rss(), 0)} MB; live heap ${liveHeap()}`);

stdin.write(':');
stdin.write('q');
stdin.write('\r');
await done;
await feed.close();
console.log(`\n| what | figure |\n|---|---|\n${report.join('\n')}`);
process.exit(0);
