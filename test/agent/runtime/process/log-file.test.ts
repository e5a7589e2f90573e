import test from 'ava';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatLogLine, parseLogLine, readLogFile, tailOffset } from '../../../../src/agent/runtime/process/log-file.js';
import { collectWithin } from '../helpers/wait-for.js';

const at = new Date('2024-05-01T10:00:00.000Z');

test('a line round-trips through the supervisor format', (t) => {
  const line = formatLogLine({ stream: 'stderr', line: 'a b  c', time: at });
  t.is(line, '2024-05-01T10:00:00.000Z e a b  c\n');
  t.deepEqual(parseLogLine(line.trimEnd()), { stream: 'stderr', line: 'a b  c', time: at });
  t.deepEqual(parseLogLine('2024-05-01T10:00:00.000Z o '), { stream: 'stdout', line: '', time: at });
  t.is(parseLogLine('nonsense'), undefined);
  t.is(parseLogLine('2024-05-01T10:00:00.000Z x y'), undefined);
});

test('tail reads the last lines from the end, across chunk boundaries', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'shoal-log-'));
  try {
    const path = join(dir, 'output.log');
    const lines = Array.from({ length: 5000 }, (_, i) => formatLogLine({ stream: 'stdout', line: `line ${i}`, time: at }));
    await writeFile(path, lines.join(''));
    const signal = new AbortController().signal;
    const read = async (tail?: number): Promise<string[]> =>
      (await collectWithin(readLogFile(path, { ...(tail === undefined ? {} : { tail }), follow: false, writerDone: async () => true, signal }), 10_000, 'read')).map((e) => e.line);
    t.deepEqual(await read(3), ['line 4997', 'line 4998', 'line 4999']);
    t.is((await read()).length, 5000);
    t.is((await read(10_000)).length, 5000);
    t.deepEqual(await read(0), []);
    t.deepEqual(await tailOffset(join(dir, 'missing'), 3), { start: 0, end: 0 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('follow reads what is appended and ends once the writer is done', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'shoal-log-'));
  try {
    const path = join(dir, 'output.log');
    await writeFile(path, formatLogLine({ stream: 'stdout', line: 'one', time: at }));
    let done = false;
    const reading = collectWithin(
      readLogFile(path, { follow: true, writerDone: async () => done, signal: new AbortController().signal, pollMs: 50 }),
      10_000,
      'follow',
    );
    await appendFile(path, formatLogLine({ stream: 'stderr', line: 'two', time: at }));
    done = true;
    t.deepEqual((await reading).map((e) => e.line), ['one', 'two']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
