// A real terminal run: `bin/shoal.js service create` in a tmux pane against
// the fake daemon, and what the screen shows in the end (tmux is required:
// .ci/run installs it). At 130 columns the bars are drawn; at 80 they are
// not, as docker.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { startFakeDaemon, type FakeDaemon } from './fake-control.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const serial = test.serial;
const bin = fileURLToPath(new URL('../../../bin/shoal.js', import.meta.url));

let d: FakeDaemon | undefined;
test.before(async () => {
  if (!hasTmux) throw new Error('these tests need tmux (apt-get install tmux; .ci/run installs it)');
  d = await startFakeDaemon();
  d.fake.addNode(1, 'docker-node01');
});
test.after.always(async () => d?.close());

/** Run `argv` in a fresh tmux pane `columns` wide; the pane's text once the command has exited. */
async function inTmux(argv: readonly string[], columns: number): Promise<string> {
  const session = `shoal-svc-${process.pid}-${columns}`;
  const quoted = argv.map((a) => `'${a}'`).join(' ');
  execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', String(columns), '-y', '20', `node '${bin}' ${quoted}; echo EXIT=$?; sleep 60`]);
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const pane = execFileSync('tmux', ['capture-pane', '-t', session, '-p'], { encoding: 'utf8' });
      if (pane.includes('EXIT=') || Date.now() > deadline) return pane.split('\n').filter((l) => l.trim() !== '').join('\n');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    execFileSync('tmux', ['kill-session', '-t', session]);
  }
}

serial('create on a 130-column terminal: the final screen shows docker\'s bars', async (t) => {
  const pane = await inTmux(['-H', d?.host ?? '', 'service', 'create', '--name', 'web', '--replicas', '2', '--update-monitor', '300ms', 'nginx'], 130);
  const bar = `[${'='.repeat(50)}>]`;
  t.regex(pane, /^svc[0-9a-z]{22}\n/);
  t.true(pane.endsWith(['overall progress: 2 out of 2 tasks', `1/2: running   ${bar}`, `2/2: running   ${bar}`, 'verify: Service converged', 'EXIT=0'].join('\n')), pane);
});

serial('update on an 80-column terminal: no bars', async (t) => {
  const pane = await inTmux(['-H', d?.host ?? '', 'service', 'update', '--env-add', 'A=1', 'web'], 80);
  t.true(pane.endsWith(['web', 'overall progress: 2 out of 2 tasks', '1/2: running', '2/2: running', 'verify: Service converged', 'EXIT=0'].join('\n')), pane);
});
