import test from 'ava';
import { goTimeString, prettyPrint } from '../../../src/cli/format/pretty-print.js';
import { displayImage, ellipsis } from '../../../src/cli/format/task-rows.js';

test('PrettyPrint lower-cases the rest, as docker/cli capitalizeFirst', (t) => {
  t.is(prettyPrint('ready'), 'Ready');
  t.is(prettyPrint('LEADER'), 'Leader');
  t.is(prettyPrint('x'), 'x');
  t.is(prettyPrint(''), '');
});

test('Go time.String of RFC 3339 timestamps', (t) => {
  t.is(goTimeString('2020-06-20T05:57:17.57684293Z'), '2020-06-20 05:57:17.57684293 +0000 UTC');
  t.is(goTimeString('2020-06-20T05:57:17.500Z'), '2020-06-20 05:57:17.5 +0000 UTC');
  t.is(goTimeString('2020-06-20T05:57:17Z'), '2020-06-20 05:57:17 +0000 UTC');
  t.is(goTimeString('2020-06-20T07:57:17+02:00'), '2020-06-20 07:57:17 +0200 +0200');
  t.is(goTimeString('yesterday'), 'yesterday');
});

test('IMAGE drops the digest of tagged references and shows the familiar name', (t) => {
  const digest = '@sha256:54d65cbcbff52ee7d789cd285fbe68f07a46e3419c8fcded437af4c616915c85';
  t.is(displayImage(`nginx:latest${digest}`, true), 'nginx:latest');
  t.is(displayImage(`docker.io/library/nginx:1.25${digest}`, true), 'nginx:1.25');
  t.is(displayImage(`docker.io/bitnami/redis:7${digest}`, true), 'bitnami/redis:7');
  t.is(displayImage(`localhost:5000/app:v1${digest}`, true), 'localhost:5000/app:v1');
  t.is(displayImage(`nginx${digest}`, true), `nginx${digest}`);
  t.is(displayImage('nginx', true), 'nginx');
  t.is(displayImage(`nginx:latest${digest}`, false), `nginx:latest${digest}`);
});

test('ERROR is cut to 30 characters with an ellipsis', (t) => {
  t.is(ellipsis('short', 30), 'short');
  t.is(ellipsis('x'.repeat(30), 30), 'x'.repeat(30));
  t.is(ellipsis('x'.repeat(31), 30), `${'x'.repeat(29)}…`);
});
