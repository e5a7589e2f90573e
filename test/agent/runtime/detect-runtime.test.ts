import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isShoalError } from '../../../src/api/errors.js';
import { chooseRuntime, detectRuntime } from '../../../src/agent/runtime/detect-runtime.js';

test('the choice, apart from the ping', (t) => {
  t.is(chooseRuntime('process', false), 'process');
  t.is(chooseRuntime('auto', true), 'docker');
  t.is(chooseRuntime('auto', false), 'process');
  t.is(chooseRuntime('docker', true), 'docker');
  t.is(chooseRuntime('docker', false), undefined);
});

test('auto picks docker where dockerd answers, process where no socket does', async (t) => {
  const stateDir = await mkdtemp(join(tmpdir(), 'shoal-detect-'));
  try {
    t.is((await detectRuntime('auto', { nodeId: 'n', stateDir })).kind, 'docker');
    const missing = join(stateDir, 'no-docker.sock');
    t.is((await detectRuntime('auto', { nodeId: 'n', stateDir, socketPath: missing, pingTimeoutMs: 300 })).kind, 'process');
    t.is((await detectRuntime('process', { nodeId: 'n', stateDir })).kind, 'process');
    const error = await t.throwsAsync(detectRuntime('docker', { nodeId: 'n', stateDir, socketPath: missing, pingTimeoutMs: 300 }));
    t.true(isShoalError(error) && error.code === 'Unavailable');
    t.true(error?.message.includes(missing));
  } finally {
    await rm(stateDir, { recursive: true, force: true });
  }
});
