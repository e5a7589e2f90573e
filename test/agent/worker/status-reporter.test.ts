// Status batching: coalesce per task, batch by time and size, retry what failed.
import test from 'ava';
import type { TaskStatusUpdate } from '../../../src/api/contracts/dispatcher.js';
import { laterUpdate, StatusReporter } from '../../../src/agent/worker/status-reporter.js';

const u = (TaskID: string, State: string, Message = State): TaskStatusUpdate => ({ TaskID, State, Message, Timestamp: '2024-01-01T00:00:00Z' });

function recorder(fail: () => boolean = () => false) {
  const batches: TaskStatusUpdate[][] = [];
  let calls = 0;
  const send = async (updates: TaskStatusUpdate[]): Promise<void> => {
    calls++;
    if (fail()) throw new Error('session reconnecting');
    batches.push(updates);
  };
  return { batches, send, calls: () => calls };
}

test('the latest status per task wins; a later state is never replaced by an earlier one', (t) => {
  t.is(laterUpdate(u('a', 'running'), u('a', 'starting')).State, 'running');
  t.is(laterUpdate(u('a', 'starting'), u('a', 'running')).State, 'running');
  t.is(laterUpdate(u('a', 'running', 'old'), u('a', 'running', 'new')).Message, 'new');
});

test('updates within one flush period go as one batch, coalesced per task', async (t) => {
  const r = recorder();
  const reporter = new StatusReporter({ send: r.send, flushMs: 1_000_000 });
  reporter.report(u('a', 'accepted'));
  reporter.report(u('a', 'preparing'));
  reporter.report(u('b', 'accepted'));
  reporter.report(u('a', 'ready'));
  await reporter.flush();
  t.deepEqual(r.batches, [[u('a', 'ready'), u('b', 'accepted')]]);
  reporter.close();
});

test('the timer flushes after flushMs', async (t) => {
  const r = recorder();
  const reporter = new StatusReporter({ send: r.send, flushMs: 5 });
  reporter.report(u('a', 'accepted'));
  t.true(await reporter.drain(5000));
  t.is(r.batches.length, 1);
  reporter.close();
});

test('maxBatch updates flush at once, in batches of at most maxBatch', async (t) => {
  const r = recorder();
  const reporter = new StatusReporter({ send: r.send, flushMs: 1_000_000, maxBatch: 3 });
  for (let i = 0; i < 7; i++) reporter.report(u(`t${i}`, 'accepted'));
  t.true(await reporter.drain(5000));
  t.deepEqual(r.batches.map((b) => b.length), [3, 3, 1]);
  reporter.close();
});

test('a failed batch is kept and resent, behind nothing newer', async (t) => {
  let failing = true;
  const r = recorder(() => failing);
  const errors: number[] = [];
  const reporter = new StatusReporter({ send: r.send, flushMs: 1_000_000, retryMinMs: 1, retryMaxMs: 2, onError: (_e, pending) => errors.push(pending) });
  reporter.report(u('a', 'running'));
  reporter.report(u('b', 'running'));
  await reporter.flush();
  t.is(r.batches.length, 0);
  t.deepEqual(errors, [2]);
  reporter.report(u('a', 'failed'));
  failing = false;
  t.true(await reporter.drain(5000));
  t.deepEqual(r.batches.flat().sort((x, y) => (x.TaskID < y.TaskID ? -1 : 1)), [u('a', 'failed'), u('b', 'running')]);
  t.is(reporter.backlog, 0);
  reporter.close();
});

test('drain gives up after its timeout while the sink keeps failing', async (t) => {
  const r = recorder(() => true);
  const reporter = new StatusReporter({ send: r.send, flushMs: 1, retryMinMs: 1, retryMaxMs: 5 });
  reporter.report(u('a', 'running'));
  t.false(await reporter.drain(50));
  t.true(r.calls() >= 2, 'retried');
  t.is(reporter.backlog, 1);
  reporter.close();
});
