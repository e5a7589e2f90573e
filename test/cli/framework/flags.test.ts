import test from 'ava';
import { parseFlags, UsageError, type FlagDef } from '../../../src/cli/framework/flags.js';

const defs: FlagDef[] = [
  { name: 'quiet', short: 'q', kind: 'bool', usage: 'Only display IDs' },
  { name: 'detach', short: 'd', kind: 'bool', usage: 'Exit immediately' },
  { name: 'replicas', kind: 'uint', usage: 'Number of tasks' },
  { name: 'env', short: 'e', kind: 'list', usage: 'Set environment variables' },
  { name: 'name', kind: 'string', usage: 'Service name' },
];

test('long, long=value, grouped shorts and repeated lists parse as pflag does', (t) => {
  const p = parseFlags(defs, ['--name', 'web', '-qd', '--replicas=3', '-e', 'A=1', '--env=B=2', 'nginx', '-eC=3', 'sh']);
  t.is(p.flags.get('name'), 'web');
  t.true(p.flags.get('quiet'));
  t.true(p.flags.get('detach'));
  t.is(p.flags.get('replicas'), 3);
  t.deepEqual(p.flags.get('env'), ['A=1', 'B=2', 'C=3']);
  t.deepEqual(p.args, ['nginx', 'sh']);
});

test('everything after -- is an argument', (t) => {
  const p = parseFlags(defs, ['busybox', '--', 'sleep', '-q']);
  t.deepEqual(p.args, ['busybox', 'sleep', '-q']);
});

test('errors use cobra/pflag wording', (t) => {
  t.is(t.throws(() => parseFlags(defs, ['--nope']), { instanceOf: UsageError })?.message, 'unknown flag: --nope');
  t.is(t.throws(() => parseFlags(defs, ['-x']))?.message, "unknown shorthand flag: 'x' in -x");
  t.is(t.throws(() => parseFlags(defs, ['--name']))?.message, 'flag needs an argument: --name');
  t.is(t.throws(() => parseFlags(defs, ['--replicas', 'two']))?.message, 'invalid argument "two" for "--replicas" flag: strconv.ParseUint: parsing "two": invalid syntax');
});

test('with interspersed off, flags end at the first argument (the command keeps its own -c)', (t) => {
  const p = parseFlags(defs, ['-d', '--name', 'web', 'busybox', 'sh', '-c', 'echo hi'], { interspersed: false });
  t.true(p.flags.get('detach'));
  t.is(p.flags.get('name'), 'web');
  t.deepEqual(p.args, ['busybox', 'sh', '-c', 'echo hi']);
});
