// `service logs`: the line prefix docker/cli writes, and the command end to
// end against the fake daemon's serviceLogs stream.
import test from 'ava';
import { formatLogLine, type LogContext } from '../../../src/cli/commands/service/logs.js';
import type { LogLine } from '../../../src/api/contracts/control.js';
import { startFakeDaemon, type FakeDaemon } from './fake-control.js';
import { shoal } from './harness.js';

const ctx: LogContext = { serviceName: 'web', padding: 2, noTrunc: false, noTaskIds: false, timestamps: false, raw: false };
const line = (text: string, stream: LogLine['Stream'] = 'stdout'): LogLine => ({ TaskID: 'ho0d7u3wensl0kah0ioz1lpk5', NodeID: 'n1', Stream: stream, Line: text, Time: '2020-06-21T02:37:11.123456789Z' });

test('web.1.<task>@node, the slot padded to the replica count', (t) => {
  t.is(formatLogLine(line('GET / 200'), { ID: 'ho0d7u3wensl0kah0ioz1lpk5', Slot: 1 }, 'docker-node02', ctx), 'web.1.ho0d7u3wensl@docker-node02     | GET / 200\n');
  t.is(formatLogLine(line('x'), { ID: 'ho0d7u3wensl0kah0ioz1lpk5', Slot: 10 }, 'docker-node02', ctx), 'web.10.ho0d7u3wensl@docker-node02    | x\n');
  t.is(formatLogLine(line('x'), { ID: 'ho0d7u3wensl0kah0ioz1lpk5', Slot: 1 }, 'n', { ...ctx, noTrunc: true, timestamps: true }), '2020-06-21T02:37:11.123456789Z web.1.ho0d7u3wensl0kah0ioz1lpk5@n     | x\n');
  t.is(formatLogLine(line('x'), { ID: 'ho0d7u3wensl0kah0ioz1lpk5', Slot: 1 }, 'n', { ...ctx, noTaskIds: true, padding: 1 }), 'web.1@n    | x\n');
  t.is(formatLogLine(line('x'), undefined, 'n', { ...ctx, raw: true }), 'x\n');
});

let d: FakeDaemon;
test.before(async () => {
  d = await startFakeDaemon();
  d.fake.addNode(1, 'docker-node01');
});
test.after.always(async () => d.close());

test.serial('logs of a service: stdout and stderr lines, node names, tail and follow passed on', async (t) => {
  await shoal(d.host, ['service', 'create', '-d', '--name', 'nginx', '--replicas', '2', 'nginx']);
  await d.fake.settled();
  const [a, b] = d.fake.tasksOf([...d.fake.services.values()][0]?.ID ?? '').sort((x, y) => (x.Slot ?? 0) - (y.Slot ?? 0));
  if (a === undefined || b === undefined) return t.fail('no tasks');
  d.fake.logs = [
    { TaskID: a.ID, NodeID: a.NodeID ?? '', Stream: 'stdout', Line: '/docker-entrypoint.sh: Configuration complete; ready for start up', Time: '2020-06-21T02:37:10Z' },
    { TaskID: b.ID, NodeID: b.NodeID ?? '', Stream: 'stderr', Line: 'warn: something', Time: '2020-06-21T02:37:11Z' },
  ];
  const r = await shoal(d.host, ['service', 'logs', '--tail', '5', 'nginx']);
  t.is(r.status, 0, r.err);
  t.is(r.out, `nginx.1.${a.ID.slice(0, 12)}@docker-node01    | /docker-entrypoint.sh: Configuration complete; ready for start up\n`);
  t.is(r.err, `nginx.2.${b.ID.slice(0, 12)}@docker-node01    | warn: something\n`);
  t.is(d.fake.calls.at(-1), `serviceLogs ${a.ServiceID} follow=false tail=5 timestamps=false`);
  const one = await shoal(d.host, ['service', 'logs', '-t', '--no-task-ids', a.ID]);
  t.is(one.out, '2020-06-21T02:37:10Z nginx.1@docker-node01    | /docker-entrypoint.sh: Configuration complete; ready for start up\n');
  t.is(d.fake.calls.at(-1), `serviceLogs ${a.ID} follow=false tail=all timestamps=true`);
  const raw = await shoal(d.host, ['service', 'logs', '--raw', '-f', 'nginx']);
  t.is(raw.out, '/docker-entrypoint.sh: Configuration complete; ready for start up\n');
  t.true(d.fake.calls.at(-1)?.includes('follow=true'));
});

test.serial('logs of nothing: docker\'s "no such task or service"', async (t) => {
  const r = await shoal(d.host, ['service', 'logs', 'nosuch']);
  t.is(r.status, 1);
  t.is(r.err, 'no such task or service: nosuch\n');
});
