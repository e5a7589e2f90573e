// A table view as lines: the column titles (the sorted one marked) and
// the visible rows only, the selected one in reverse video with a `>`
// marker so it shows without colour too.
import type { Node } from '../../api/node.js';
import type { Service } from '../../api/service.js';
import type { Task } from '../../api/task.js';
import type { Glyphs, Line, Segment } from '../state/cells.js';
import { fit } from '../state/cells.js';
import type { CellContext, Column } from '../state/columns.js';
import { columnsOf, DEFAULT_SORT, taskNameOf } from '../state/columns.js';
import type { ListPos, TableFrame } from '../state/ui-state.js';
import { layoutColumns, type Placed } from './layout.js';

const MARK = 2;

export function tableHead(frame: TableFrame, width: number, glyphs: Glyphs): Line {
  const placed = layoutColumns(columnsOf(frame.kind), width - MARK);
  const sort = frame.sort ?? { column: DEFAULT_SORT[frame.kind], desc: false };
  const segs: Segment[] = [{ text: ' '.repeat(MARK) }];
  placed.forEach((p, i) => {
    const mark = p.column.id === sort.column ? (sort.desc ? glyphs.down : glyphs.up) : '';
    segs.push({ text: fit(`${p.column.title}${mark}`, p.width, p.column.right === true, glyphs.ellipsis) + (i < placed.length - 1 ? ' ' : ''), tone: 'title', bold: true });
  });
  return segs;
}

function rowLine<T>(o: T, placed: readonly Placed[], ctx: CellContext, selected: boolean, glyphs: Glyphs, nameText?: string): Line {
  const segs: Segment[] = [{ text: selected ? '> ' : '  ', inverse: selected, bold: selected }];
  placed.forEach((p, i) => {
    const col = p.column as unknown as Column<T>;
    const cell = col.cell(o, ctx);
    const text = col.id === 'name' && nameText !== undefined ? nameText : cell.text;
    const seg: Segment = { text: fit(text, p.width, col.right === true, glyphs.ellipsis) + (i < placed.length - 1 ? ' ' : ''), inverse: selected };
    segs.push(cell.tone !== undefined && cell.tone !== 'normal' ? { ...seg, tone: cell.tone } : seg);
  });
  return segs;
}

/** The `height` rows from `pos.top`; `ids` are all the rows in order. */
export function tableBody(frame: TableFrame, ids: readonly string[], pos: ListPos, width: number, height: number, ctx: CellContext, glyphs: Glyphs): Line[] {
  const placed = layoutColumns(columnsOf(frame.kind), width - MARK);
  const out: Line[] = [];
  const end = Math.min(ids.length, pos.top + height);
  const historyIndent = frame.kind === 'tasks' && (frame.sort === undefined || frame.sort.column === 'name');
  for (let i = pos.top; i < end; i++) {
    const id = ids[i] as string;
    const selected = i === pos.cursor;
    if (frame.kind === 'nodes') {
      const n = ctx.index.nodes.get(id);
      if (n !== undefined) out.push(rowLine<Node>(n, placed, ctx, selected, glyphs));
    } else if (frame.kind === 'services') {
      const s = ctx.index.services.get(id);
      if (s !== undefined) out.push(rowLine<Service>(s, placed, ctx, selected, glyphs));
    } else {
      const t = ctx.index.tasks.get(id);
      if (t === undefined) continue;
      // docker service ps: earlier tasks of a slot are indented under the newest one.
      let name: string | undefined;
      if (historyIndent && i > 0) {
        const prev = ctx.index.tasks.get(ids[i - 1] as string);
        const own = taskNameOf(ctx.index, t);
        if (prev !== undefined && taskNameOf(ctx.index, prev) === own) name = ` \\_ ${own}`;
      }
      out.push(rowLine<Task>(t, placed, ctx, selected, glyphs, name));
    }
  }
  return out;
}
