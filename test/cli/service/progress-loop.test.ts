// The convergence loop driven by a fake watch stream and a fake clock: no
// sleeps; the test pushes events, lets the loop take them in, and moves
// time to fire the tracker's wake-up.
import test from 'ava';
import type { WatchEvent } from '../../../src/api/contracts/control.js';
import { followConvergence, type FollowResult, type LoopClock, type ProgressDisplay } from '../../../src/cli/commands/service/progress-loop.js';
import type { Service } from '../../../src/api/service.js';
import type { Task } from '../../../src/api/task.js';
import { makeNode } from './fake-control.js';
import { replicated, resetTaskIds, task, T0 } from './fixtures.js';

/** A watch stream the test feeds. */
class FakeStream implements AsyncIterator<WatchEvent, unknown> {
  private readonly items: WatchEvent[] = [];
  private waiting: ((r: IteratorResult<WatchEvent, unknown>) => void) | undefined;
  private ended = false;
  returned = false;
  private index = 1;

  push(Table: WatchEvent['Table'], Object: WatchEvent['Object'], Action: WatchEvent['Action'] = 'update'): void {
    const e: WatchEvent = { Action, Table, Object, Index: this.index++ };
    if (this.waiting !== undefined) {
      const w = this.waiting;
      this.waiting = undefined;
      w({ done: false, value: e });
    } else this.items.push(e);
  }

  end(): void {
    this.ended = true;
    this.waiting?.({ done: true, value: undefined });
  }

  next(): Promise<IteratorResult<WatchEvent, unknown>> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve({ done: false, value: item });
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<WatchEvent, unknown>> {
    this.returned = true;
    return Promise.resolve({ done: true, value: undefined });
  }
}

class FakeClock implements LoopClock {
  ms = T0;
  readonly timers = new Set<{ at: number; fn: () => void }>();
  now(): number {
    return this.ms;
  }
  setTimer(fn: () => void, ms: number): () => void {
    const t = { at: this.ms + ms, fn };
    this.timers.add(t);
    return () => this.timers.delete(t);
  }
  defer(fn: () => void): void {
    setImmediate(fn);
  }
  /** Move time on, firing due timers in order. */
  advance(ms: number): void {
    const until = this.ms + ms;
    for (;;) {
      const due = [...this.timers].filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.timers.delete(due);
      this.ms = due.at;
      due.fn();
    }
    this.ms = until;
  }
}

const flush = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

function setup(display: ProgressDisplay, service: Service) {
  const stream = new FakeStream();
  const clock = new FakeClock();
  const abort = new AbortController();
  let out = '';
  let result: FollowResult | Error | undefined;
  const done = followConvergence({ serviceId: service.ID, events: stream, out: { write: (s) => void (out += s) }, display, clock, signal: abort.signal }).then(
    (r) => (result = r),
    (e: unknown) => (result = e instanceof Error ? e : new Error(String(e))),
  );
  return { stream, clock, abort, done, out: () => out, result: () => result };
}

const running = (t: Task): Task => ({ ...t, Status: { ...t.Status, State: 'running' } });

test.beforeEach(() => resetTaskIds());

test.serial('converges from the snapshot and the changes; the wake-up ends the verify wait; the timer is cleared', async (t) => {
  const web = replicated(1, 'web', 'nginx', 2);
  const s = setup({ kind: 'final-frame' }, web);
  s.stream.push('nodes', makeNode(1, 'n1'), 'create');
  s.stream.push('services', web, 'create');
  const tasks = [1, 2].map((slot) => task(web, { slot, node: makeNode(1, 'n1').ID, state: 'assigned' }));
  for (const x of tasks) s.stream.push('tasks', x, 'create');
  await flush();
  t.is(s.out(), '', 'a pipe gets the frame only at the end');
  for (const x of tasks) s.stream.push('tasks', running(x));
  await flush();
  t.is(s.clock.timers.size, 1, 'the countdown is armed');
  s.clock.advance(5000);
  await s.done;
  t.deepEqual(s.result(), { kind: 'converged' });
  t.is(s.clock.timers.size, 0);
  t.true(s.stream.returned, 'the watch stream is closed');
  t.is(s.out(), ['overall progress: 2 out of 2 tasks', `1/2: running   [${'='.repeat(50)}>]`, `2/2: running   [${'='.repeat(50)}>]`, 'verify: Service converged', ''].join('\n'));
});

test.serial('a terminal is redrawn as changes come; tasks and services of others are ignored', async (t) => {
  const web = replicated(1, 'web', 'nginx', 1, { UpdateConfig: { Monitor: 1e9 } });
  const other = replicated(2, 'other', 'nginx', 1);
  const s = setup({ kind: 'terminal', columns: 80 }, web);
  s.stream.push('services', web, 'create');
  s.stream.push('services', other, 'create');
  s.stream.push('tasks', task(other, { slot: 1, state: 'running' }), 'create');
  await flush();
  t.true(s.out().includes('overall progress: 0 out of 1 tasks'));
  t.false(s.out().includes('1 out of 1'));
  s.stream.push('tasks', task(web, { slot: 1, state: 'running' }), 'create');
  await flush();
  t.true(s.out().includes('verify: Waiting 1 seconds to verify that tasks are stable...'));
  s.clock.advance(1000);
  await s.done;
  t.deepEqual(s.result(), { kind: 'converged' });
  t.true(s.out().endsWith('\u001b[2K\rverify: Service converged \r\u001b[1B'));
});

test.serial('an update that pauses fails with docker\'s message', async (t) => {
  const web = replicated(1, 'web', 'nginx', 1);
  const s = setup({ kind: 'quiet' }, web);
  const updating: Service = { ...web, UpdateStatus: { State: 'updating', StartedAt: '', Message: 'update in progress' } };
  const paused: Service = { ...web, UpdateStatus: { State: 'paused', StartedAt: '', Message: 'update paused due to failure or early termination of task x' } };
  s.stream.push('services', updating, 'create');
  await flush();
  s.stream.push('services', paused);
  await s.done;
  t.deepEqual(s.result(), { kind: 'failed', message: 'service update paused: update paused due to failure or early termination of task x' });
  t.is(s.out(), '', 'quiet writes nothing');
});

test.serial('Ctrl-C leaves the operation running in the background', async (t) => {
  const web = replicated(1, 'web', 'nginx', 1);
  const s = setup({ kind: 'terminal', columns: 200 }, web);
  s.stream.push('services', web, 'create');
  await flush();
  s.abort.abort();
  await s.done;
  t.deepEqual(s.result(), { kind: 'interrupted' });
  t.true(s.out().endsWith(`Operation continuing in background.\nUse \`shoal service ps ${web.ID}\` to check progress.\n`));
  t.is(s.clock.timers.size, 0);
});

test.serial('the service removed meanwhile, or the stream ending, ends the wait', async (t) => {
  const web = replicated(1, 'web', 'nginx', 1);
  const a = setup({ kind: 'quiet' }, web);
  a.stream.push('services', web, 'create');
  a.stream.push('services', web, 'remove');
  await a.done;
  t.deepEqual(a.result(), { kind: 'failed', message: `service ${web.ID} was removed` });
  const b = setup({ kind: 'quiet' }, web);
  b.stream.push('services', web, 'create');
  b.stream.end();
  await b.done;
  t.is((b.result() as Error).message, 'the watch stream ended before the service converged');
});

test.serial('a burst of events is one step: the snapshot is not drawn half-way', async (t) => {
  const web = replicated(1, 'web', 'nginx', 3);
  const s = setup({ kind: 'terminal', columns: 200 }, web);
  s.stream.push('services', web, 'create');
  for (const slot of [1, 2, 3]) s.stream.push('tasks', task(web, { slot, state: 'running' }), 'create');
  await flush();
  const overall = s.out().match(/overall progress: \d out of 3 tasks/g) ?? [];
  t.deepEqual(overall, ['overall progress: 0 out of 3 tasks', 'overall progress: 3 out of 3 tasks']);
  s.abort.abort();
  await s.done;
});
