import test from 'ava';
import { isSameProcessAlive, parseProcStat, readProcStat } from '../../../../src/agent/runtime/process/proc-stat.js';

test('parses a stat line whose command holds spaces and parentheses', (t) => {
  const line = '1234 (my (odd) cmd) S 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 98765 1000 100 18446744073709551615';
  t.deepEqual(parseProcStat(line), { pid: 1234, state: 'S', ppid: 1, pgrp: 1234, startTime: 98765 });
  t.is(parseProcStat('garbage'), undefined);
});

test('this process is alive with its own start time, and not with another', async (t) => {
  const stat = await readProcStat(process.pid);
  t.truthy(stat);
  t.true(await isSameProcessAlive(process.pid, stat?.startTime ?? -1));
  t.false(await isSameProcessAlive(process.pid, (stat?.startTime ?? 0) + 1), 'a reused pid is not the same process');
  t.false(await isSameProcessAlive(2 ** 22 + 1, 0));
});
