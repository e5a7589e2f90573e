// The dashboard (blessed-contrib): running vs desired tasks over time, the
// Raft commit rate and leader changes, nodes up and down, CPU and memory
// reserved on each node, recent events. It reads the same controller as
// the console (its index and metrics), redrawing once a second; q or Esc
// hands the terminal back (or quits, as `shoal dashboard`).
import blessed from 'blessed';
import contrib from 'blessed-contrib';
import type { ConsoleIo } from '../console-app.js';
import type { ConsoleController } from '../controller.js';
import { cut } from '../state/cells.js';
import type { Theme } from '../theme.js';
import { panels, type Chart } from './panels.js';

export interface DashboardOptions {
  readonly controller: ConsoleController;
  readonly io: ConsoleIo;
  readonly theme: Theme;
  /** `shoal dashboard`: q quits; from the console: q goes back to it. */
  readonly standalone: boolean;
  readonly refreshMs?: number;
}

const SERIES_COLOURS = ['green', 'yellow', 'cyan', 'magenta', 'blue'];

export async function runDashboard(o: DashboardOptions): Promise<void> {
  const plain = o.theme.mode === 'none';
  const colour = (i: number): string => (plain ? 'white' : (SERIES_COLOURS[i % SERIES_COLOURS.length] ?? 'white'));
  const unicode = o.theme.glyphs.ellipsis === '…';
  // With UTF-8, draw box lines as Unicode characters rather than through the
  // terminal's line-drawing charset, which UTF-8 terminals (tmux among them)
  // may show as letters (lqqk); blessed reads ncurses' switch for that.
  const saved = process.env['NCURSES_NO_UTF8_ACS'];
  if (unicode) process.env['NCURSES_NO_UTF8_ACS'] = '1';
  const screen = blessed.screen({ input: o.io.stdin, output: o.io.stdout, smartCSR: true, fullUnicode: unicode, title: 'shoal dashboard', warnings: false });
  if (saved === undefined) delete process.env['NCURSES_NO_UTF8_ACS'];
  else process.env['NCURSES_NO_UTF8_ACS'] = saved;
  const grid = new contrib.grid({ rows: 12, cols: 12, screen, color: plain ? 'white' : 'cyan' });
  const lineOptions = (label: string, whole: boolean) => ({ label, showLegend: true, legend: { width: 16 }, minY: 0, wholeNumbersOnly: whole, style: { line: colour(0), text: plain ? 'white' : 'green', baseline: plain ? 'white' : 'black' }, xLabelPadding: 3, xPadding: 5 });
  const tasks = grid.set(0, 0, 4, 7, contrib.line, lineOptions(' Tasks ', true));
  const raft = grid.set(0, 7, 4, 5, contrib.line, lineOptions(' Raft ', false));
  const nodes = grid.set(4, 0, 4, 4, contrib.line, lineOptions(' Nodes ', true));
  const barOptions = (label: string) => ({ label, barWidth: 5, barSpacing: 8, xOffset: 1, maxHeight: 100, barBgColor: colour(2), barFgColor: 'white' });
  const cpu = grid.set(4, 4, 4, 4, contrib.bar, barOptions(' CPU reserved % '));
  const memory = grid.set(4, 8, 4, 4, contrib.bar, barOptions(' Memory reserved % '));
  const back = o.standalone ? 'q quits' : 'q or Esc: back to the console';
  const events = grid.set(8, 0, 4, 12, contrib.log, { label: ` Recent events (${back}) `, fg: plain ? 'white' : 'green', bufferLength: 50 });

  /** A label cut to its box (blessed would wrap it into the chart). */
  const label = (widget: { width: number | string; setLabel(l: string): void }, text: string): void => {
    const w = typeof widget.width === 'number' ? widget.width : 40;
    widget.setLabel(cut(text, Math.max(4, w - 4), o.theme.glyphs.ellipsis));
  };
  const draw = (widget: { width: number | string; setData(d: { title: string; x: string[]; y: number[]; style: { line: string } }[]): void; setLabel(l: string): void }, c: Chart): void => {
    label(widget, c.label);
    widget.setData(c.series.map((s, i) => ({ title: s.title, x: c.x, y: s.y, style: { line: colour(i) } })));
  };
  let shownEvents = 0;
  const refresh = (): void => {
    const c = o.controller;
    const bars = Math.max(1, Math.floor(((screen.width as number) / 3 - 4) / 8));
    const p = panels(c.metrics, c.index, c.agg, c.events, bars);
    draw(tasks, p.tasks);
    draw(raft, p.raft);
    draw(nodes, p.nodes);
    label(cpu, p.cpu.label);
    cpu.setData({ titles: p.cpu.shares.map((s) => s.name.slice(0, 7)), data: p.cpu.shares.map((s) => s.cpu) });
    label(memory, p.memory.label);
    memory.setData({ titles: p.memory.shares.map((s) => s.name.slice(0, 7)), data: p.memory.shares.map((s) => s.memory) });
    const total = c.events.total;
    for (const line of p.events.slice(-Math.min(p.events.length, total - shownEvents))) events.log(line);
    shownEvents = total;
    screen.render();
  };
  refresh();
  const timer = setInterval(refresh, o.refreshMs ?? 1000);
  screen.on('resize', refresh);
  try {
    await new Promise<void>((resolve) => screen.key(['q', 'escape', 'C-c'], () => resolve()));
  } finally {
    clearInterval(timer);
    screen.destroy();
    // blessed pauses the input while a read is pending; Node then never
    // restarts the tty handle (the stream still counts the read as under
    // way), so the console would get no more keys. resume() restarts it;
    // ink's 'readable' listener takes the flow back when it mounts.
    o.io.stdin.resume();
  }
}
