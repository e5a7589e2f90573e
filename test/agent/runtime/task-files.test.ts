import test from 'ava';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isShoalError } from '../../../src/api/errors.js';
import { planContainerFiles, planProcessFiles, writeFilePlan } from '../../../src/agent/runtime/task-files.js';

const file = (name: string, target: string, text = name) => ({ name, target, data: Buffer.from(text), mode: 0o444 });

test('container files: relative secrets in one dir mounted at /run/secrets; absolute ones and configs one by one', (t) => {
  const plan = planContainerFiles(
    { secrets: [file('a', 'a'), file('b', 'nested/b'), file('c', '/etc/c.pem')], configs: [file('cfg', '/etc/app.conf'), file('rel', 'rel.conf')] },
    '/shm/t1',
    '/state/t1/configs',
  );
  t.deepEqual(plan.mounts, [
    { source: '/shm/t1/run', target: '/run/secrets' },
    { source: '/shm/t1/abs/2', target: '/etc/c.pem' },
    { source: '/state/t1/configs/0', target: '/etc/app.conf' },
    { source: '/state/t1/configs/1', target: '/rel.conf' },
  ]);
  t.deepEqual(plan.writes.map((w) => w.hostPath), [
    '/shm/t1/run/a',
    '/shm/t1/run/nested/b',
    '/shm/t1/abs/2',
    '/state/t1/configs/0',
    '/state/t1/configs/1',
  ]);
});

test('a target that escapes its directory is refused', (t) => {
  for (const target of ['../x', 'a/../../x', '.', '']) {
    const error = t.throws(() => planContainerFiles({ secrets: [file('s', target)], configs: [] }, '/shm', '/cfg'));
    t.true(isShoalError(error) && error.code === 'InvalidArgument', target);
  }
});

test('process files: secrets 0400 under secrets/, configs under configs/', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'shoal-files-'));
  try {
    const plan = planProcessFiles({ secrets: [file('s', 'db', 'pw')], configs: [file('c', '/etc/app.conf', 'x=1')] }, dir);
    await writeFilePlan(plan, 0o700);
    t.is((await stat(join(dir, 'secrets', 'db'))).mode & 0o777, 0o400);
    t.is(await readFile(join(dir, 'secrets', 'db'), 'utf8'), 'pw');
    t.is(await readFile(join(dir, 'configs', 'etc', 'app.conf'), 'utf8'), 'x=1');
    await t.notThrowsAsync(writeFilePlan(plan, 0o700), 'rewriting a 0400 file works');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
