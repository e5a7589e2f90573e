import test from 'ava';
import { runCommand, type Command, type Io } from '../../../src/cli/framework/command.js';

function io(): Io & { outText: () => string; errText: () => string } {
  let out = '';
  let err = '';
  return { out: { write: (s) => void (out += s) }, err: { write: (s) => void (err += s) }, env: {}, outText: () => out, errText: () => err };
}

const seen: string[][] = [];
const root: Command<{ host: string | undefined }> = {
  name: 'shoal',
  short: 'A container orchestrator',
  flags: [{ name: 'host', short: 'H', kind: 'string', usage: 'Daemon socket to connect to' }],
  subcommands: [
    {
      name: 'service',
      short: 'Manage services',
      subcommands: [
        {
          name: 'ps',
          usage: '[OPTIONS] SERVICE [SERVICE...]',
          short: 'List the tasks of one or more services',
          args: { kind: 'min', n: 1 },
          flags: [{ name: 'quiet', short: 'q', kind: 'bool', usage: 'Only display task IDs' }],
          run: async (ctx) => {
            seen.push([ctx.global.host ?? '', String(ctx.flags.bool('quiet')), ...ctx.args]);
          },
        },
      ],
    },
  ],
};
const run = (argv: string[], i: Io) => runCommand(root, argv, i, (f) => ({ host: f.string('host') }), (e, x) => (x.err.write(`Error: ${String(e)}\n`), 1));

test('a subcommand runs with its own flags and the global ones', async (t) => {
  const i = io();
  t.is(await run(['-H', 'unix:///tmp/s.sock', 'service', 'ps', 'web', '-q'], i), 0);
  t.deepEqual(seen.at(-1), ['unix:///tmp/s.sock', 'true', 'web']);
});

test('missing arguments print docker\'s message and usage, exit 1', async (t) => {
  const i = io();
  t.is(await run(['service', 'ps'], i), 1);
  t.is(i.errText(), '"shoal service ps" requires at least 1 argument.\nSee \'shoal service ps --help\'.\n\nUsage:  shoal service ps [OPTIONS] SERVICE [SERVICE...]\n\nList the tasks of one or more services\n');
});

test('an unknown flag exits 125 with pflag\'s message', async (t) => {
  const i = io();
  t.is(await run(['service', 'ps', '--bogus', 'web'], i), 125);
  t.is(i.errText(), "unknown flag: --bogus\nSee 'shoal service ps --help'.\n");
});

test('--help prints usage with commands and options', async (t) => {
  const i = io();
  t.is(await run(['service', '--help'], i), 0);
  t.regex(i.outText(), /Usage: {2}shoal service COMMAND\n\nManage services\n\nCommands:\n {2}ps {3}List the tasks/);
});
