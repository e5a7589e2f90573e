// Where a list's cursor and viewport are, given the rows as they are now.
// The cursor follows the selected object when rows move (a re-sort, new
// rows above it); if that object is gone it stays at the same position.
// The renderer and the key handler resolve through the same function, so a
// key always moves from the row the operator sees.
import type { ListPos } from './ui-state.js';

export function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}

/** Keep `cursor` inside [top, top + height). */
function scrolled(cursor: number, top: number, height: number, count: number): number {
  let t = top;
  if (cursor < t) t = cursor;
  if (cursor >= t + height) t = cursor - height + 1;
  return clamp(t, 0, Math.max(0, count - height));
}

export function resolvePos(pos: ListPos, ids: readonly string[], height: number): ListPos {
  const count = ids.length;
  if (count === 0) return { cursor: 0, top: 0, selected: undefined };
  let cursor = clamp(pos.cursor, 0, count - 1);
  if (pos.selected !== undefined && ids[cursor] !== pos.selected) {
    const at = ids.indexOf(pos.selected);
    if (at >= 0) cursor = at;
  }
  return { cursor, top: scrolled(cursor, pos.top, height, count), selected: ids[cursor] };
}

/** Move to an absolute row (clamped). */
export function moveTo(pos: ListPos, ids: readonly string[], height: number, row: number): ListPos {
  const count = ids.length;
  if (count === 0) return { cursor: 0, top: 0, selected: undefined };
  const cursor = clamp(row, 0, count - 1);
  return { cursor, top: scrolled(cursor, pos.top, height, count), selected: ids[cursor] };
}

/** Move by `delta` rows from where the cursor is shown. */
export function moveBy(pos: ListPos, ids: readonly string[], height: number, delta: number): ListPos {
  const here = resolvePos(pos, ids, height);
  return moveTo(here, ids, height, here.cursor + delta);
}

/** The first line shown in a text view of `count` lines. */
export function textTop(top: number, follow: boolean, count: number, height: number): number {
  const last = Math.max(0, count - height);
  return follow ? last : clamp(top, 0, last);
}
