// Fitting a table's columns to the terminal's width. Optional columns
// (`keep` below OPTIONAL) show only when every shown column gets its
// preferred width; then columns are dropped lowest `keep` first until the
// rest fit at their smallest, widened towards their preferred width (most
// kept first), and growing columns share what is left.
import type { AnyColumn } from '../state/columns.js';

export interface Placed {
  readonly column: AnyColumn;
  readonly width: number;
}

/** Columns are separated by one space; `width` is what is left after the cursor marker. */
export const OPTIONAL = 5;

export function layoutColumns(columns: readonly AnyColumn[], width: number): Placed[] {
  let shown = [...columns];
  const gaps = (cols: readonly AnyColumn[]) => Math.max(0, cols.length - 1);
  const need = (cols: readonly AnyColumn[]) => cols.reduce((n, c) => n + c.min, 0) + gaps(cols);
  const want = (cols: readonly AnyColumn[]) => cols.reduce((n, c) => n + c.width, 0) + gaps(cols);
  const lowest = (cols: readonly AnyColumn[]) => cols.reduce((lo, c) => (c.keep < lo.keep ? c : lo));
  while (shown.length > 1 && want(shown) > width && lowest(shown).keep < OPTIONAL) {
    const drop = lowest(shown);
    shown = shown.filter((c) => c !== drop);
  }
  while (shown.length > 1 && need(shown) > width) {
    const drop = lowest(shown);
    shown = shown.filter((c) => c !== drop);
  }
  const widths = new Map<AnyColumn, number>(shown.map((c) => [c, c.min]));
  let spare = width - need(shown);
  for (const c of [...shown].sort((a, b) => b.keep - a.keep)) {
    if (spare <= 0) break;
    const add = Math.min(spare, c.width - c.min);
    widths.set(c, c.min + add);
    spare -= add;
  }
  const growing = shown.filter((c) => c.grow === true);
  for (let i = 0; spare > 0 && growing.length > 0; i++) {
    const c = growing[i % growing.length] as AnyColumn;
    widths.set(c, (widths.get(c) ?? 0) + 1);
    spare--;
  }
  if (shown.length === 1 && shown[0] !== undefined) widths.set(shown[0], Math.max(1, width));
  return shown.map((c) => ({ column: c, width: widths.get(c) ?? c.min }));
}
