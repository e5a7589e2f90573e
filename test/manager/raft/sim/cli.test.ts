// The command line: one seed (with its trace), a range of seeds, and a
// failing seed reported with a command that replays it.
import test from 'ava';
import { execFile } from 'node:child_process';

const CLI = 'src/manager/raft/sim/cli.ts';

function run(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', CLI, ...args], { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

test('a range of seeds prints progress and exits 0', async (t) => {
  const r = await run(['--seeds', '3', '--from', '10', '--steps', '1500']);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /3\/3 seeds \(up to 12\), 0 failed/);
});

test('a failing seed prints its failure, the trace and the replay command, and exits 1', async (t) => {
  const r = await run(['--seed', '1', '--profile', 'partitions', '--fault', 'local-read', '--trace']);
  t.is(r.code, 1, r.stderr);
  t.regex(r.stdout, /^ +\d+ n1 start #1 term=0/m, 'the trace streams first');
  t.regex(r.stdout, /partition: /);
  t.regex(r.stdout, /seed 1 FAILED .* fault local-read\)\n +at step \d+, \d+ virtual ms: linearizability/);
  t.regex(r.stdout, /replay: npx tsx src\/manager\/raft\/sim\/cli\.ts --seed 1 --members \d --profile partitions --steps 4000 --fault local-read --trace/);
});

test('bad usage exits 2 and says why', async (t) => {
  const r = await run(['--seed', '1', '--members', '4']);
  t.is(r.code, 2);
  t.regex(r.stderr, /--members must be 3 or 5/);
});
