// The whole screen as lines, from the state and the index: what ink draws.
// Pure, and bounded by the screen: only the rows in view are formatted.
// Exactly `rows` lines of exactly `columns` characters.
import type { Aggregates } from '../state/aggregates.js';
import type { Glyphs, Line } from '../state/cells.js';
import { fitLine, mergeSegments } from '../state/cells.js';
import type { IndexView } from '../state/cluster-index.js';
import type { ConnectionView } from '../state/connection.js';
import { helpLines } from '../state/help.js';
import { resolvePos, textTop } from '../state/list-pos.js';
import type { TableRows } from '../state/table-rows.js';
import type { TableFrame, TextFrame, UiState } from '../state/ui-state.js';
import { bodyHeight, current, isTable } from '../state/ui-state.js';
import { headerLine, hintLine, statusLine, viewTitle } from './bars.js';
import { tableBody, tableHead } from './table-lines.js';
import type { TextViews } from './text-views.js';

export interface ScreenInput {
  readonly ui: UiState;
  readonly index: IndexView;
  readonly agg: Aggregates;
  readonly tables: TableRows;
  readonly texts: TextViews;
  readonly connection: ConnectionView;
  readonly nowMs: number;
  readonly glyphs: Glyphs;
}

interface Part {
  readonly title: string;
  readonly sub: Line;
  readonly body: readonly Line[];
}

function scopeTotal(i: ScreenInput, frame: TableFrame): number {
  if (frame.kind === 'nodes') return i.index.nodes.size;
  if (frame.kind === 'services') return i.index.services.size;
  const s = frame.scope;
  return s.kind === 'all' ? i.index.tasks.size : s.kind === 'service' ? i.index.tasksOfService(s.id).size : i.index.tasksOfNode(s.id).size;
}

function emptyTable(i: ScreenInput, frame: TableFrame): Line {
  if (frame.filter.text !== '') return [{ text: '  no rows match the filter (Esc clears it)', tone: 'dim' }];
  const w = i.connection.watch.kind;
  if (w === 'starting' || w === 'snapshot') return [{ text: '  loading…', tone: 'dim' }];
  return [{ text: `  no ${frame.kind}`, tone: 'dim' }];
}

function tablePart(i: ScreenInput, frame: TableFrame, h: number): Part {
  const cols = i.ui.size.columns;
  const ids = i.tables.rows(frame, i.nowMs);
  const pos = resolvePos(frame.pos, ids, h);
  const body = tableBody(frame, ids, pos, cols, h, { index: i.index, agg: i.agg, nowMs: i.nowMs }, i.glyphs);
  return { title: viewTitle(frame, ids.length, scopeTotal(i, frame)), sub: tableHead(frame, cols, i.glyphs), body: body.length > 0 ? body : [emptyTable(i, frame)] };
}

function textSub(i: ScreenInput, frame: TextFrame, count: number, top: number, h: number): Line {
  const range = count === 0 ? 'no lines' : `lines ${top + 1}-${Math.min(count, top + h)} of ${count}`;
  switch (frame.kind) {
    case 'events':
      return [{ text: `Changes since the console started, newest last  ${i.glyphs.sep} ${range}  ${i.glyphs.sep} ${frame.follow ? 'following (f stops)' : 'not following (f or G follows)'}`, tone: 'dim' }];
    case 'logs': {
      const feed = i.texts.logsFeed();
      const phase = feed?.phase ?? { kind: 'connecting' as const };
      const state = phase.kind === 'failed' ? `ERROR ${phase.error}` : phase.kind === 'connecting' ? 'waiting for log lines…' : phase.kind === 'ended' ? 'the log stream ended' : 'streaming';
      const held = frame.pausedAt !== undefined && feed !== undefined ? `PAUSED (+${feed.entries.total - frame.pausedAt} new, p resumes)` : frame.follow ? 'following' : 'not following';
      return [
        { text: state, tone: phase.kind === 'failed' ? 'bad' : 'dim', bold: phase.kind === 'failed' },
        { text: `  ${i.glyphs.sep} ${range}  ${i.glyphs.sep} ${held}  ${i.glyphs.sep} wrap ${frame.wrap ? 'on' : 'off'}`, tone: 'dim' },
      ];
    }
    case 'inspect':
      return [{ text: `YAML  ${i.glyphs.sep} ${range}`, tone: 'dim' }];
    case 'cluster':
      return [{ text: 'Raft members, leader, term and indexes (read from the manager every 2 s)', tone: 'dim' }];
  }
}

function textPart(i: ScreenInput, frame: TextFrame, h: number): Part {
  const lines = i.texts.lines(frame, i.ui.size.columns, i.glyphs);
  const top = textTop(frame.top, frame.follow, lines.length, h);
  const body = lines.slice(top, top + h);
  if (body.length === 0 && frame.kind === 'logs') {
    const phase = i.texts.logsFeed()?.phase;
    if (phase?.kind === 'failed') body.push([{ text: `  ${phase.error}`, tone: 'bad' }]);
  }
  return { title: viewTitle(frame, lines.length, lines.length), sub: textSub(i, frame, lines.length, top, h), body };
}

function helpPart(i: ScreenInput, top: number, h: number): Part {
  const lines = helpLines(i.ui.readOnly);
  return { title: 'Help', sub: [{ text: `keys and commands  ${i.glyphs.sep} lines ${top + 1}-${Math.min(lines.length, top + h)} of ${lines.length}`, tone: 'dim' }], body: lines.slice(top, top + h).map((text): Line => [{ text }]) };
}

export function buildScreen(i: ScreenInput): Line[] {
  const { columns } = i.ui.size;
  const h = bodyHeight(i.ui.size);
  const frame = current(i.ui);
  const part = i.ui.mode.kind === 'help' ? helpPart(i, i.ui.mode.top, h) : isTable(frame) ? tablePart(i, frame, h) : textPart(i, frame, h);
  const lines: Line[] = [headerLine(i.ui, part.title, i.connection, columns, i.glyphs), part.sub];
  for (let r = 0; r < h; r++) lines.push(part.body[r] ?? [{ text: '' }]);
  lines.push(statusLine(i.ui), hintLine(i.ui, columns));
  return lines.map((l) => mergeSegments(fitLine(l, columns, i.glyphs.ellipsis)));
}
