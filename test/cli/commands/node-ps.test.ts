import test from 'ava';
import { NOT_A_MANAGER } from '../fake-daemon.js';
import { runCli } from '../run-cli.js';
import { closeFakes, NODE02, seedSwarm, seedTasks } from './cluster-fixture.js';

test.after.always(closeFakes);

/** A table row padded to the given column widths (Docker's tabwriter: widest cell + 3). */
function table(widths: readonly number[], rows: readonly (readonly string[])[]): string {
  return rows.map((cells) => cells.map((c, i) => (i < cells.length - 1 ? c.padEnd(widths[i] ?? 0) : c)).join('') + '\n').join('');
}

const HEADER = ['ID', 'NAME', 'IMAGE', 'NODE', 'DESIRED STATE', 'CURRENT STATE', 'ERROR', 'PORTS'];
const IMAGE = 'docker-registry.io/test/nginx:latest';
const ERR = '"task: non-zero exit (137): th…"';

test('node ps with no tasks prints the header (seed 002: `docker node ps`)', async (t) => {
  const f = await seedSwarm();
  const r = await runCli(f.host, ['node', 'ps']);
  t.is(r.status, 0, r.err);
  t.is(r.out, 'ID        NAME      IMAGE     NODE      DESIRED STATE   CURRENT STATE   ERROR     PORTS\n');
  t.deepEqual(f.methods(), ['info', 'getNode', 'listTasks']);
  t.deepEqual(f.calls.at(-1)?.request, { nodeIds: ['ynz304mbltxx10v3i15ldkmj1'] });
});

test('node ps NODE: names, images without digest, states, cut errors and ports, in Docker\'s order', async (t) => {
  const f = await seedSwarm();
  seedTasks(f);
  const r = await runCli(f.host, ['node', 'ps', 'docker-node02']);
  t.is(r.status, 0, r.err);
  t.is(
    r.out,
    table(
      [15, 34, 39, 16, 16, 25, 35],
      [
        HEADER,
        ['j7w490h2lons', `myweb.${NODE02.ID}`, 'nginx:1.25', 'docker-node02', 'Running', 'Running 40 minutes ago', '', ''],
        ['1rt0e7u4senz', 'web.1', IMAGE, 'docker-node02', 'Running', 'Running 3 hours ago', '', ''],
        ['31ll0zu7udld', 'web.2', IMAGE, 'docker-node02', 'Shutdown', 'Failed 3 hours ago', ERR, ''],
        ['t3gjvsgtpuql', 'web.3', IMAGE, 'docker-node02', 'Running', 'Running 2 hours ago', '', '*:8080->80/tcp'],
      ],
    ),
  );
});

test('node ps over two nodes indents the earlier task of a slot, newest first', async (t) => {
  const f = await seedSwarm();
  seedTasks(f);
  const r = await runCli(f.host, ['node', 'ps', '-f', 'name=web.3', 'docker-node02', 'docker-node03']);
  t.is(r.status, 0, r.err);
  t.is(
    r.out,
    table(
      [15, 12, 39, 16, 16, 23, 10],
      [
        HEADER,
        ['t3gjvsgtpuql', 'web.3', IMAGE, 'docker-node02', 'Running', 'Running 2 hours ago', '', '*:8080->80/tcp'],
        ['l9jtbswl2x22', ' \\_ web.3', IMAGE, 'docker-node03', 'Shutdown', 'Shutdown 2 hours ago', '', ''],
      ],
    ),
  );
});

test('node ps -q, --no-trunc, --no-resolve, --format json', async (t) => {
  const f = await seedSwarm();
  seedTasks(f);
  const q = await runCli(f.host, ['node', 'ps', '-q', 'docker-node02']);
  t.is(q.out, 'j7w490h2lons\n1rt0e7u4senz\n31ll0zu7udld\nt3gjvsgtpuql\n');
  const full = await runCli(f.host, ['node', 'ps', '--no-trunc', '-f', 'desired-state=shutdown', 'docker-node02']);
  t.true(full.out.includes('31ll0zu7udldpzb0t6rrl3fuo   web.2     docker-registry.io/test/nginx:latest@sha256:54d65c'));
  t.true(full.out.includes('"task: non-zero exit (137): the container was killed because it ran out of memory"'));
  t.is(full.out.trimEnd().split('\n').length, 2);
  const ids = await runCli(f.host, ['node', 'ps', '--no-resolve', '--format', '{{.Name}} {{.Node}}', '-f', 'desired-state=running', 'docker-node02']);
  t.is(ids.out, `i0j6wvvtfe1360ibj04jxulmd.${NODE02.ID} ${NODE02.ID}\nmbiap412jyugfpi4a38mb5i1k.1 ${NODE02.ID}\nmbiap412jyugfpi4a38mb5i1k.3 ${NODE02.ID}\n`);
  const json = await runCli(f.host, ['node', 'ps', '--format', 'json', '-f', 'id=31ll', 'docker-node02']);
  t.is(
    json.out,
    `{"CurrentState":"Failed 3 hours ago","DesiredState":"Shutdown","Error":${JSON.stringify(ERR)},"ID":"31ll0zu7udld","Image":"${IMAGE}","Name":"web.2","Node":"docker-node02","Ports":""}\n`,
  );
});

test('node ps: a node that cannot be found is reported after the tasks of the others', async (t) => {
  const f = await seedSwarm();
  seedTasks(f);
  const r = await runCli(f.host, ['node', 'ps', '-q', 'docker-node03', 'nosuch']);
  t.is(r.status, 1);
  t.is(r.out, 'l9jtbswl2x22\n');
  t.is(r.err, 'Error response from daemon: node nosuch not found\n');
  const only = await runCli(f.host, ['node', 'ps', 'nosuch']);
  t.is(only.out, '');
  t.is(only.err, 'Error response from daemon: node nosuch not found\n');
});

test('node ps guard rails: bad filters, a worker node', async (t) => {
  const f = await seedSwarm();
  const state = await runCli(f.host, ['node', 'ps', '-f', 'desired-state=sleeping']);
  t.is(state.status, 1);
  t.is(state.err, "Error response from daemon: Invalid desired-state filter: 'sleeping'\n");
  const key = await runCli(f.host, ['node', 'ps', '-f', 'colour=red']);
  t.is(key.err, "Error response from daemon: invalid filter 'colour'\n");
  t.deepEqual(f.methods(), []);
  const worker = await seedSwarm(NODE02);
  const r = await runCli(worker.host, ['node', 'ps']);
  t.is(r.status, 1);
  t.is(r.err, `Error response from daemon: ${NOT_A_MANAGER}\n`);
});
