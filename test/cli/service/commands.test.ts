// End to end: `shoal service ...` against an in-process fake daemon on a
// unix socket (real RpcServer, real client, real command tree).
import test from 'ava';
import { startFakeDaemon, type FakeDaemon } from './fake-control.js';
import { shoal, stable } from './harness.js';

const BAR = `[${'='.repeat(50)}>]`;
let d: FakeDaemon;

test.before(async () => {
  d = await startFakeDaemon();
  d.fake.addNode(1, 'docker-node01');
  d.fake.addNode(2, 'docker-node02');
});
test.after.always(async () => d.close());

const run = (argv: string[], opts = {}) => shoal(d.host, argv, opts);

test.serial('create -d prints the id; ls and ps show the service and its tasks', async (t) => {
  const r = await run(['service', 'create', '-d', '--name', 'myweb', 'docker-registry.io/test/nginx:latest']);
  t.is(r.err, '');
  t.is(r.status, 0);
  const id = r.out.trim();
  t.regex(id, /^svc[0-9a-z]{22}$/);
  await d.fake.settled();
  const ls = await run(['service', 'ls']);
  t.is(ls.out, ['ID             NAME      MODE         REPLICAS   IMAGE                                  PORTS', `${id.slice(0, 12)}   myweb     replicated   1/1        docker-registry.io/test/nginx:latest   `, ''].join('\n'));
  const ps = await run(['service', 'ps', 'myweb']);
  const [header, row] = stable(ps.out).split('\n');
  t.regex(header ?? '', /^ID {13}NAME {6}IMAGE {34}NODE {12}DESIRED STATE   CURRENT STATE +ERROR     PORTS$/);
  t.regex(row ?? '', /^task[0-9a-z]{8}   myweb\.1   docker-registry\.io\/test\/nginx:latest   docker-node01   Running         Running X ago\s*$/);
});

test.serial('create without -d follows the service to convergence (the final frame when stdout is a pipe)', async (t) => {
  const r = await run(['service', 'create', '--name', 'web', '--replicas', '3', '--update-monitor', '20ms', 'nginx']);
  t.is(r.status, 0, r.err);
  const [id, ...frame] = r.out.split('\n');
  t.regex(id ?? '', /^svc/);
  t.is(frame.join('\n'), ['overall progress: 3 out of 3 tasks', `1/3: running   ${BAR}`, `2/3: running   ${BAR}`, `3/3: running   ${BAR}`, 'verify: Service converged', ''].join('\n'));
});

test.serial('on a terminal the lines are redrawn in place', async (t) => {
  const r = await run(['service', 'create', '--name', 'tty', '--update-monitor', '20ms', 'nginx'], { tty: true, columns: 120 });
  t.is(r.status, 0, r.err);
  t.true(r.out.includes('\u001b[2K\r1/1: running   '));
  t.true(r.out.includes('\u001b[2K\rverify: Service converged \r'));
});

test.serial('create -q waits but prints only the id', async (t) => {
  const r = await run(['service', 'create', '-q', '--name', 'quiet', '--update-monitor', '10ms', 'nginx']);
  t.is(r.status, 0);
  t.regex(r.out, /^svc[0-9a-z]+\n$/);
});

test.serial('seed 002: scale several services, then follow each', async (t) => {
  const r = await run(['service', 'scale', 'tty=3', 'web=5']);
  t.is(r.status, 0, r.err);
  t.true(r.out.startsWith('tty scaled to 3\nweb scaled to 5\noverall progress: 3 out of 3 tasks\n'));
  t.true(r.out.includes('5/5: running'));
  t.is(r.out.match(/verify: Service converged/g)?.length, 2);
  const bad = await run(['service', 'scale', 'web=x', 'nosuch=2', '-d']);
  t.is(bad.status, 1);
  t.is(bad.err, 'web: invalid replicas value x: strconv.ParseUint: parsing "x": invalid syntax\nnosuch: Error: No such service: nosuch\n');
  const spec = await run(['service', 'scale', 'web']);
  t.is(spec.status, 1);
  t.true(spec.err.startsWith("Invalid scale specifier 'web'.\nSee 'shoal service scale --help'.\n\nUsage:  shoal service scale SERVICE=REPLICAS [SERVICE=REPLICAS...]\n"));
});

test.serial('seed 000: update --image rolls the tasks; ps shows the history under each slot', async (t) => {
  const r = await run(['service', 'update', '--image', 'nginx:1.25', 'tty']);
  t.is(r.status, 0, r.err);
  t.true(r.out.startsWith('tty\noverall progress: 3 out of 3 tasks\n'));
  const ps = stable((await run(['service', 'ps', 'tty'])).out).split('\n');
  t.regex(ps[1] ?? '', /^task\w+   tty\.1 +nginx:1\.25 /);
  t.regex(ps[2] ?? '', /^task\w+    \\_ tty\.1 +nginx /);
  const running = await run(['service', 'ps', '-q', '-f', 'desired-state=running', 'tty']);
  t.is(running.out.trim().split('\n').length, 3);
});

test.serial('an update whose task fails pauses: docker\'s message and exit 1', async (t) => {
  d.fake.policy = 'fail';
  try {
    const r = await run(['service', 'update', '--env-add', 'BROKEN=1', 'web']);
    t.is(r.status, 1);
    t.regex(r.err, /^service update paused: update paused due to failure or early termination of task task\w+\n$/);
    t.true(r.out.startsWith('web\n'));
    t.true(r.out.includes('task: non-zero exit (1)'));
  } finally {
    d.fake.policy = 'converge';
  }
});

test.serial('an update rolled back on failure exits 1; rollback texts are shown', async (t) => {
  await run(['service', 'create', '-d', '--name', 'rb', '--replicas', '2', '--update-monitor', '20ms', '--update-failure-action', 'rollback', 'nginx:1']);
  await d.fake.settled();
  d.fake.policy = 'rollback';
  try {
    const r = await run(['service', 'update', '--image', 'nginx:2', 'rb']);
    t.is(r.status, 1);
    t.regex(r.err, /^service update rolled back: update rolled back due to failure or early termination of task task\w+\n$/);
    t.regex(r.out, /rollback: update rolled back due to failure or early termination of task task\w+\n/);
    t.true(r.out.includes('overall progress: rolling back update: 2 out of 2 tasks'));
    t.true(r.out.endsWith('verify: Service converged\nrollback: rollback completed\n'));
  } finally {
    d.fake.policy = 'converge';
  }
  const image = JSON.parse((await run(['service', 'inspect', 'rb'])).out) as { Spec: { TaskTemplate: { ContainerSpec: { Image: string } } } }[];
  t.is(image[0]?.Spec.TaskTemplate.ContainerSpec.Image, 'nginx:1');
});

test.serial('service rollback and update --rollback: "rollback: manually requested rollback", exit 0', async (t) => {
  const r = await run(['service', 'rollback', 'tty']);
  t.is(r.status, 0, r.err);
  t.true(r.out.startsWith('tty\nrollback: manually requested rollback\noverall progress: rolling back update: 3 out of 3 tasks\n'));
  t.deepEqual(d.fake.calls.filter((c) => c.endsWith('rollback')).slice(-1), ['updateService tty rollback']);
  const again = await run(['service', 'update', '--rollback', '-d', 'tty']);
  t.is(again.out, 'tty\n');
  const mixed = await run(['service', 'update', '--rollback', '--image', 'x', 'tty']);
  t.is(mixed.status, 1);
  t.is(mixed.err, 'other flags may not be combined with --rollback\n');
});

test.serial('service rollback --to-version goes back to a kept version; an unknown one is refused', async (t) => {
  const inspect = async () => (JSON.parse((await run(['service', 'inspect', 'web'])).out) as { Spec: { TaskTemplate: { ContainerSpec: { Image: string } } } }[])[0];
  await run(['service', 'update', '-d', '--image', 'nginx:9', 'web']);
  await d.fake.settled();
  t.is((await inspect())?.Spec.TaskTemplate.ContainerSpec.Image, 'nginx:9');
  const pretty = (await run(['service', 'inspect', '--pretty', 'web'])).out;
  const first = /Spec History:\n Version (\d+)/.exec(pretty)?.[1] ?? '';
  const r = await run(['service', 'rollback', '-d', '--to-version', first, 'web']);
  t.is(r.status, 0, r.err);
  t.is((await inspect())?.Spec.TaskTemplate.ContainerSpec.Image, 'nginx');
  const bad = await run(['service', 'rollback', '--to-version', '999', 'web']);
  t.is(bad.status, 1);
  t.regex(bad.err, /^Error response from daemon: service web has no kept spec version 999/);
  const usage = await run(['service', 'rollback', '--to-version', 'x', 'web']);
  t.is(usage.status, 125);
  t.is(usage.err, `invalid argument "x" for "--to-version" flag: strconv.ParseUint: parsing "x": invalid syntax\nSee 'shoal service rollback --help'.\n`);
});

test.serial('inspect: a JSON array like docker; a missing service is reported after the others', async (t) => {
  const r = await run(['service', 'inspect', 'web', 'nosuch']);
  t.is(r.status, 1);
  t.is(r.err, 'Error: no such service: nosuch\n');
  const arr = JSON.parse(r.out) as Record<string, unknown>[];
  t.is(arr.length, 1);
  t.deepEqual(Object.keys(arr[0] ?? {}), ['ID', 'Version', 'CreatedAt', 'UpdatedAt', 'Spec', 'PreviousSpec', 'Endpoint', 'UpdateStatus']);
  t.true(r.out.startsWith('[\n    {\n        "ID": '));
  const none = await run(['service', 'inspect', 'nosuch']);
  t.is(none.out, '[]\n');
  const pretty = await run(['service', 'inspect', '--pretty', 'myweb']);
  t.true(pretty.out.startsWith('\nID:\t\t'));
  t.true(pretty.out.includes('\nName:\t\tmyweb\nService Mode:\tReplicated\n Replicas:\t1\n'));
  t.true(pretty.out.includes('Spec History:\n Version 0 (current):\tcreated '));
});

test.serial('ls: filters, -q, --format json', async (t) => {
  const names = (await run(['service', 'ls', '--format', 'json', '-f', 'name=my'])).out.trim().split('\n').map((l) => (JSON.parse(l) as { Name: string }).Name);
  t.deepEqual(names, ['myweb']);
  const q = (await run(['service', 'ls', '-q'])).out.trim().split('\n');
  t.true(q.every((id) => /^svc[0-9a-z]{9}$/.test(id)));
  const bad = await run(['service', 'ls', '-f', 'color=red']);
  t.is(bad.status, 1);
  t.is(bad.err, "Error response from daemon: invalid filter 'color'\n");
  const badSyntax = await run(['service', 'ls', '-f', 'name']);
  t.is(badSyntax.status, 125);
  t.true(badSyntax.err.startsWith('invalid argument "name" for "-f, --filter" flag: bad format of filter (expected name=value)'));
});

test.serial('ps: several services, one missing; pending tasks explain themselves', async (t) => {
  const r = await run(['service', 'ps', 'myweb', 'nosuch']);
  t.is(r.status, 1);
  t.is(r.err, 'no such service: nosuch\n');
  t.true(r.out.includes('myweb.1'));
  const none = await run(['service', 'ps', 'nosuch']);
  t.is(none.status, 1);
  t.is(none.out, '');
  d.fake.policy = 'pending';
  try {
    await run(['service', 'create', '-d', '--name', 'stuck', '--constraint', 'node.labels.gpu==yes', 'nginx']);
    await d.fake.settled();
    const ps = await run(['service', 'ps', '--no-trunc', 'stuck']);
    t.true(ps.out.includes('"no suitable node (1 node not available for new tasks)"'), ps.out);
  } finally {
    d.fake.policy = 'converge';
  }
});

test.serial('rm prints each service removed; a missing one is an error', async (t) => {
  const r = await run(['service', 'rm', 'stuck', 'nosuch', 'quiet']);
  t.is(r.status, 1);
  t.is(r.out, 'stuck\nquiet\n');
  t.is(r.err, 'Error: No such service: nosuch\n');
});

test.serial('usage errors read like docker\'s', async (t) => {
  const noImage = await run(['service', 'create']);
  t.is(noImage.status, 1);
  t.true(noImage.err.startsWith('"shoal service create" requires at least 1 argument.\nSee \'shoal service create --help\'.\n'));
  const badReplicas = await run(['service', 'create', '--replicas', 'x', 'nginx']);
  t.is(badReplicas.status, 125);
  t.is(badReplicas.err, 'invalid argument "x" for "--replicas" flag: strconv.ParseUint: parsing "x": invalid syntax\nSee \'shoal service create --help\'.\n');
  const conflict = await run(['service', 'create', '--mode', 'global', '--replicas', '2', 'nginx']);
  t.is(conflict.status, 1);
  t.is(conflict.err, 'replicas can only be used with replicated or replicated-job mode\n');
  const dup = await run(['service', 'create', '-d', '--name', 'web', 'nginx']);
  t.is(dup.status, 1);
  t.is(dup.err, 'Error response from daemon: service web already exists\n');
  const update = await run(['service', 'update', '--image', 'x', 'nosuch']);
  t.is(update.err, 'Error: No such service: nosuch\n');
  const invalid = await run(['service', 'update', '--update-failure-action', 'explode', 'web']);
  t.is(invalid.status, 1);
  t.regex(invalid.err, /^Error response from daemon: invalid service spec field UpdateConfig\.FailureAction/);
  const help = await run(['service', 'update', '--help']);
  t.true(help.out.includes('      --env-add list'));
  t.true(help.out.includes('  -d, --detach'));
});

test.serial('a daemon nobody answers', async (t) => {
  const r = await shoal('unix:///nonexistent/shoald.sock', ['service', 'ls']);
  t.is(r.status, 1);
  t.is(r.err, 'Cannot connect to the shoal daemon at unix:///nonexistent/shoald.sock. Is the shoal daemon running?\n');
});
