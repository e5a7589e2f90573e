import test from 'ava';
import { AsyncQueue } from '../../../src/agent/runtime/async-queue.js';
import { collect } from './helpers/wait-for.js';

test('items pushed before and after the consumer waits, then the end', async (t) => {
  const queue = new AsyncQueue<number>();
  queue.push(1);
  const reading = collect(queue);
  queue.push(2);
  queue.end();
  queue.push(3);
  t.deepEqual(await reading, [1, 2]);
});

test('abort ends the iteration and runs the close handler once', async (t) => {
  const controller = new AbortController();
  const queue = new AsyncQueue<number>(controller.signal);
  let closed = 0;
  queue.onClose(() => (closed += 1));
  const reading = collect(queue);
  controller.abort();
  t.deepEqual(await reading, []);
  queue.end();
  t.is(closed, 1);
});

test('a consumer that stops early closes the queue; a failure is thrown to the consumer', async (t) => {
  const queue = new AsyncQueue<number>();
  let closed = false;
  queue.onClose(() => (closed = true));
  queue.push(1);
  queue.push(2);
  for await (const _item of queue) break;
  t.true(closed);
  t.false(queue.isOpen);
  const failing = new AsyncQueue<number>();
  failing.fail(new Error('boom'));
  await t.throwsAsync(collect(failing), { message: 'boom' });
});
