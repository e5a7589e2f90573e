// Golden values copied from Docker's behaviour: go-units HumanDuration and
// BytesSize/HumanSize, Go's time.Duration.String and fmt %g, stringid.TruncateID.
import test from 'ava';
import { ago, bytesSize, formatGoDuration, formatGoG, humanDuration, humanSize, prettyState, shortId, stateSince } from '../../src/api/format.js';
import { parseTimestamp, timestampOf } from '../../src/api/object-meta.js';

const S = 1e9;
const MIN = 60 * S;
const H = 60 * MIN;
const DAY = 24 * H;

test('humanDuration follows go-units thresholds', (t) => {
  const cases: Array<[number, string]> = [
    [0, 'Less than a second'],
    [999_999_999, 'Less than a second'],
    [1 * S, '1 second'],
    [1.9 * S, '1 second'],
    [2 * S, '2 seconds'],
    [59 * S, '59 seconds'],
    [60 * S, 'About a minute'],
    [119 * S, 'About a minute'],
    [2 * MIN, '2 minutes'],
    [59 * MIN + 59 * S, '59 minutes'],
    [60 * MIN, 'About an hour'],
    [89 * MIN, 'About an hour'], // hours are rounded: 1.48h -> 1
    [90 * MIN, '2 hours'], // 1.5h rounds to 2
    [47 * H, '47 hours'],
    [48 * H, '2 days'],
    [13 * DAY, '13 days'],
    [14 * DAY, '2 weeks'],
    [59 * DAY, '8 weeks'],
    [60 * DAY, '2 months'],
    [729 * DAY, '24 months'],
    [730 * DAY, '2 years'],
    [3 * 365 * DAY, '3 years'],
    [-5 * S, 'Less than a second'],
  ];
  for (const [ns, want] of cases) t.is(humanDuration(ns), want, `${ns}ns`);
});

test('ago and stateSince read like docker ps and docker service ps', (t) => {
  const now = Date.UTC(2020, 5, 20, 8, 0, 0);
  t.is(ago(now - 28_000, now), '28 seconds ago');
  t.is(ago(now - 65 * 60_000, now), 'About an hour ago');
  t.is(ago(now - 2 * 3_600_000, now), '2 hours ago');
  t.is(stateSince('running', timestampOf(now - 5_000), now), 'Running 5 seconds ago');
  t.is(stateSince('shutdown', timestampOf(now - 70_000), now), 'Shutdown about a minute ago');
  t.is(stateSince('running', timestampOf(now - 90_000), now), 'Running about a minute ago');
  t.is(prettyState('rejected'), 'Rejected');
});

test('formatGoDuration matches time.Duration.String', (t) => {
  const cases: Array<[number, string]> = [
    [0, '0s'],
    [1, '1ns'],
    [999, '999ns'],
    [1_500, '1.5µs'],
    [1_000_000, '1ms'],
    [500_000_000, '500ms'],
    [1 * S, '1s'],
    [1.5 * S, '1.5s'],
    [5 * S, '5s'],
    [90 * S, '1m30s'],
    [90.5 * S, '1m30.5s'],
    [60 * MIN, '1h0m0s'],
    [61 * MIN + S, '1h1m1s'],
    [2160 * H, '2160h0m0s'],
    [-5 * S, '-5s'],
    [-1_500, '-1.5µs'],
  ];
  for (const [ns, want] of cases) t.is(formatGoDuration(ns), want, `${ns}ns`);
});

test('bytesSize and humanSize match go-units', (t) => {
  t.is(bytesSize(0), '0B');
  t.is(bytesSize(1023), '1023B');
  t.is(bytesSize(1024), '1KiB');
  t.is(bytesSize(1536 * 1024 * 1024), '1.5GiB');
  t.is(bytesSize(512 * 1024 * 1024), '512MiB');
  t.is(bytesSize(3958075392), '3.686GiB'); // the docker-node01 of the seeds
  t.is(bytesSize(1024 ** 4 * 2), '2TiB');
  t.is(humanSize(133_000_000), '133MB');
  t.is(humanSize(1_500_000_000), '1.5GB');
  t.is(humanSize(999), '999B');
  t.is(humanSize(1000), '1kB');
});

test('formatGoG rounds half to even on the exact value, like fmt %.4g', (t) => {
  t.is(formatGoG(1.0625, 4), '1.062'); // exact tie -> even
  t.is(formatGoG(1.1875, 4), '1.188'); // exact tie, odd digit -> up
  t.is(formatGoG(1.0635, 4), '1.063'); // stored as 1.063499999..., below the tie
  t.is(formatGoG(2.675, 4), '2.675');
  t.is(formatGoG(12345, 4), '1.234e+04');
  t.is(formatGoG(9999.5, 4), '1e+04');
  t.is(formatGoG(0.0001234, 4), '0.0001234');
  t.is(formatGoG(0.00001234, 4), '1.234e-05');
  t.is(formatGoG(1023.99, 4), '1024');
  t.is(formatGoG(0.0005), '0.0005');
  t.is(formatGoG(1e-7), '1e-07');
  t.is(formatGoG(1e6), '1e+06');
  t.is(formatGoG(123456), '123456');
});

test('shortId truncates to 12 like stringid.TruncateID', (t) => {
  t.is(shortId('ynz304mbltxx10v3i15ldkmj1'), 'ynz304mbltxx');
  t.is(shortId('sha256:e7958ffa16cd0123456789'), 'e7958ffa16cd');
  t.is(shortId('abc'), 'abc');
});

test('timestamps print like Go RFC3339Nano and parse back', (t) => {
  t.is(timestampOf(Date.UTC(2020, 5, 20, 5, 57, 17, 570)), '2020-06-20T05:57:17.57Z');
  t.is(timestampOf(Date.UTC(2020, 5, 20, 5, 57, 17, 0)), '2020-06-20T05:57:17Z');
  t.is(parseTimestamp('2020-06-20T05:57:17.57684293Z'), Date.UTC(2020, 5, 20, 5, 57, 17, 576));
  t.true(Number.isNaN(parseTimestamp('yesterday')));
});
