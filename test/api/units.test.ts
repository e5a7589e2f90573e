// The parsers behind --update-delay, --limit-memory, --limit-cpu, --replicas,
// with the error texts Docker prints.
import test from 'ava';
import fc from 'fast-check';
import { formatGoDuration } from '../../src/api/format.js';
import { flagArgumentError, parseGoDuration, parseGoFloat, parseGoUint, parseNanoCpus, parsePositiveDuration, parseRamInBytes } from '../../src/api/units.js';

test('parseGoDuration accepts what time.ParseDuration accepts', (t) => {
  const cases: Array<[string, number]> = [
    ['10s', 10e9],
    ['1m30s', 90e9],
    ['500ms', 500e6],
    ['1.5h', 5400e9],
    ['2h45m', 9900e9],
    ['0', 0],
    ['-5s', -5e9],
    ['+5s', 5e9],
    ['.5s', 500e6],
    ['5.s', 5e9],
    ['1µs', 1000],
    ['1μs', 1000],
    ['1us', 1000],
    ['100ns', 100],
    ['1h1m1s', 3661e9],
  ];
  for (const [text, ns] of cases) t.deepEqual(parseGoDuration(text), { ok: true, value: ns }, text);
});

test('parseGoDuration refuses with Go\'s words', (t) => {
  t.deepEqual(parseGoDuration(''), { ok: false, error: 'time: invalid duration ""' });
  t.deepEqual(parseGoDuration('abc'), { ok: false, error: 'time: invalid duration "abc"' });
  t.deepEqual(parseGoDuration('1'), { ok: false, error: 'time: missing unit in duration "1"' });
  t.deepEqual(parseGoDuration('10x'), { ok: false, error: 'time: unknown unit "x" in duration "10x"' });
  t.deepEqual(parseGoDuration('.s'), { ok: false, error: 'time: invalid duration ".s"' });
  t.deepEqual(parseGoDuration('-'), { ok: false, error: 'time: invalid duration "-"' });
  t.deepEqual(parseGoDuration('9999999999h'), { ok: false, error: 'time: invalid duration "9999999999h"' });
});

test('Go duration strings round-trip through parse', (t) => {
  fc.assert(
    fc.property(fc.integer({ min: -(2 ** 52), max: 2 ** 52 }), (ns) => {
      const r = parseGoDuration(formatGoDuration(ns));
      return r.ok && r.value === ns;
    }),
  );
  t.pass();
});

test('positive durations refuse negatives like PositiveDurationOpt', (t) => {
  t.deepEqual(parsePositiveDuration('-1s'), { ok: false, error: 'duration cannot be negative' });
  t.deepEqual(parsePositiveDuration('30s'), { ok: true, value: 30e9 });
});

test('parseRamInBytes matches go-units RAMInBytes', (t) => {
  const cases: Array<[string, number]> = [
    ['512m', 512 * 1024 ** 2],
    ['1g', 1024 ** 3],
    ['1G', 1024 ** 3],
    ['100MiB', 100 * 1024 ** 2],
    ['1024M', 1024 ** 3], // the seeds' compose file writes memory: 1024M
    ['1.5GB', 1.5 * 1024 ** 3],
    ['10 MB', 10 * 1024 ** 2],
    ['4096', 4096],
    ['32b', 32],
    ['1kb', 1024],
  ];
  for (const [text, bytes] of cases) t.deepEqual(parseRamInBytes(text), { ok: true, value: bytes }, text);
  t.deepEqual(parseRamInBytes('abc'), { ok: false, error: "invalid size: 'abc'" });
  t.deepEqual(parseRamInBytes('-1'), { ok: false, error: "invalid size: '-1'" });
  t.deepEqual(parseRamInBytes('1x'), { ok: false, error: "invalid suffix: 'x'" });
  t.deepEqual(parseRamInBytes('1kbb'), { ok: false, error: "invalid suffix: 'kbb'" });
  t.deepEqual(parseRamInBytes('1MiBs'), { ok: false, error: "invalid suffix: 'MiBs'" });
  t.deepEqual(parseRamInBytes('1..5m'), { ok: false, error: 'strconv.ParseFloat: parsing "1..5": invalid syntax' });
});

test('parseNanoCpus matches docker/cli ParseCPUs', (t) => {
  t.deepEqual(parseNanoCpus('0.5'), { ok: true, value: 500_000_000 });
  t.deepEqual(parseNanoCpus('0.2'), { ok: true, value: 200_000_000 }); // the seeds' cpus: '0.2'
  t.deepEqual(parseNanoCpus('2'), { ok: true, value: 2_000_000_000 });
  t.deepEqual(parseNanoCpus('3/2'), { ok: true, value: 1_500_000_000 });
  t.deepEqual(parseNanoCpus('1e-3'), { ok: true, value: 1_000_000 });
  t.deepEqual(parseNanoCpus('.25'), { ok: true, value: 250_000_000 });
  t.deepEqual(parseNanoCpus('0.0000000001'), { ok: false, error: 'value is too precise' });
  t.deepEqual(parseNanoCpus('abc'), { ok: false, error: 'failed to parse abc as a rational number' });
  t.deepEqual(parseNanoCpus('1/0'), { ok: false, error: 'failed to parse 1/0 as a rational number' });
});

test('parseGoUint follows strconv.ParseUint base 0', (t) => {
  t.deepEqual(parseGoUint('3'), { ok: true, value: 3 });
  t.deepEqual(parseGoUint('0x10'), { ok: true, value: 16 });
  t.deepEqual(parseGoUint('017'), { ok: true, value: 15 });
  t.deepEqual(parseGoUint('0b101'), { ok: true, value: 5 });
  t.deepEqual(parseGoUint('1_000'), { ok: true, value: 1000 });
  t.deepEqual(parseGoUint('-1'), { ok: false, error: 'strconv.ParseUint: parsing "-1": invalid syntax' });
  t.deepEqual(parseGoUint('18446744073709551616'), { ok: false, error: 'strconv.ParseUint: parsing "18446744073709551616": value out of range' });
  t.deepEqual(parseGoFloat('.2'), { ok: true, value: 0.2 });
  t.deepEqual(parseGoFloat('x'), { ok: false, error: 'strconv.ParseFloat: parsing "x": invalid syntax' });
});

test('flag errors are wrapped the way pflag wraps them', (t) => {
  const r = parseGoUint('-1');
  t.false(r.ok);
  if (!r.ok) {
    t.is(
      flagArgumentError('update-parallelism', '-1', r.error),
      'invalid argument "-1" for "--update-parallelism" flag: strconv.ParseUint: parsing "-1": invalid syntax',
    );
  }
  t.is(flagArgumentError('--update-delay', 'abc', 'time: invalid duration "abc"'), 'invalid argument "abc" for "--update-delay" flag: time: invalid duration "abc"');
});
