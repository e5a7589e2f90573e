import test from 'ava';
import { formatTable } from '../../../src/cli/framework/table.js';

test('columns are as wide as the widest cell plus 3, at least 10, and the last is not padded (docker tabwriter)', (t) => {
  const out = formatTable(
    ['ID', 'NAME', 'MODE', 'REPLICAS', 'IMAGE', 'PORTS'],
    [
      ['i0j6wvvtfe13', 'myweb', 'replicated', '1/1', 'nginx:latest', ''],
      ['mbiap412jyug', 'web', 'replicated', '3/3', 'nginx:latest', '*:8080->80/tcp'],
    ],
  );
  t.is(
    out,
    'ID             NAME      MODE         REPLICAS   IMAGE          PORTS\n' +
      'i0j6wvvtfe13   myweb     replicated   1/1        nginx:latest   \n' +
      'mbiap412jyug   web       replicated   3/3        nginx:latest   *:8080->80/tcp\n',
  );
});

test('width counts characters, not bytes', (t) => {
  const out = formatTable(['NAME', 'X'], [['\\_ web.1', 'a'], ['ünïcødé', 'b']]);
  t.is(out.split('\n')[2], 'ünïcødé    b');
});
