// `shoal console`: the full-screen operator console (src/tui) on the
// chosen daemon: the local socket, or `-H wss://HOST:PORT` with a client
// certificate. It needs a terminal on both ends; ink and the dashboard are
// loaded only here, through src/tui/ink-env.ts (see why there).
import type { Command } from '../framework/command.js';
import { ExitError } from '../framework/command.js';
import type { Global } from '../global.js';
import { connect } from '../connect.js';
import type { RpcClient } from '../../net/rpc/index.js';
import { rpcSource } from '../../tui/rpc-source.js';
import { detectTheme } from '../../tui/theme.js';
import { loadInk } from '../../tui/ink-env.js';

export const NOT_A_TTY =
  'shoal console needs an interactive terminal, but its input is not a TTY. Run it from a terminal (over ssh, use ssh -t); for scripts use the shoal node/service commands.';
export const STDOUT_NOT_A_TTY = 'shoal console draws on a terminal, but its output is not a TTY (it is piped or redirected).';

/** The terminal checks every full-screen command makes. */
export function requireTerminal(what: string): void {
  if (process.stdin.isTTY !== true) throw new ExitError(1, what === 'console' ? NOT_A_TTY : NOT_A_TTY.replace('shoal console', `shoal ${what}`));
  if (process.stdout.isTTY !== true) throw new ExitError(1, STDOUT_NOT_A_TTY.replace('shoal console', `shoal ${what}`));
}

/** The console on `client` until the operator quits. */
async function openConsole(client: RpcClient, host: string, readOnly: boolean, env: Readonly<Record<string, string | undefined>>): Promise<void> {
  const theme = detectTheme(env);
  const source = rpcSource(client, host);
  const { runConsole: run } = await loadInk(theme.mode, () => import('../../tui/console-app.js'));
  const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
  await run({
    source,
    io,
    readOnly,
    theme,
    process,
    dashboard: async (controller) => {
      const { runDashboard } = await import('../../tui/dashboard/dashboard.js');
      await runDashboard({ controller, io, theme, standalone: false });
    },
  });
  // ink leaves stdin referenced after its last unmount on some paths; the console is done with it.
  process.stdin.pause();
}

/** For `shoal up`: open the console on the local cluster it started. */
export async function runConsole(host: string): Promise<number> {
  requireTerminal('console');
  const client = connect(host, {}, process.env);
  try {
    await openConsole(client, host, false, process.env);
  } finally {
    await client.close();
  }
  return 0;
}

export const consoleCommand: Command<Global> = {
  name: 'console',
  usage: '[OPTIONS]',
  short: 'Open the full-screen operator console',
  args: { kind: 'none' },
  flags: [{ name: 'read-only', kind: 'bool', usage: 'Watch only: every action that would change the cluster is disabled' }],
  run: async (ctx) => {
    requireTerminal('console');
    await openConsole(ctx.global.client(), ctx.global.host, ctx.flags.bool('read-only'), ctx.io.env);
  },
};
