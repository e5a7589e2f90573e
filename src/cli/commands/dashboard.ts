// `shoal dashboard`: the console's charts (blessed-contrib) on their own,
// fed by the same watch stream; q quits. Also reachable from the console
// (`:dashboard`).
import type { Command } from '../framework/command.js';
import type { Global } from '../global.js';
import { ConsoleController } from '../../tui/controller.js';
import { rpcSource } from '../../tui/rpc-source.js';
import { TerminalGuard } from '../../tui/terminal.js';
import { detectTheme } from '../../tui/theme.js';
import { requireTerminal } from './console.js';

export const dashboardCommand: Command<Global> = {
  name: 'dashboard',
  usage: '[OPTIONS]',
  short: 'Show the cluster dashboard (charts of tasks, raft, nodes, events)',
  args: { kind: 'none' },
  run: async (ctx) => {
    requireTerminal('dashboard');
    const theme = detectTheme(ctx.io.env);
    const stdout = process.stdout;
    const controller = new ConsoleController({
      source: rpcSource(ctx.global.client(), ctx.global.host),
      size: { columns: stdout.columns || 80, rows: stdout.rows || 24 },
      readOnly: true,
      glyphs: theme.glyphs,
    });
    // blessed restores the terminal on a normal exit; the guard covers signals and crashes.
    const guard = new TerminalGuard(process.stdin, stdout, process);
    const { runDashboard } = await import('../../tui/dashboard/dashboard.js');
    controller.start();
    controller.setDashboard(true);
    try {
      guard.enter();
      await runDashboard({ controller, io: { stdin: process.stdin, stdout, stderr: process.stderr }, theme, standalone: true });
    } finally {
      controller.stop();
      guard.dispose();
      process.stdin.pause();
    }
  },
};
