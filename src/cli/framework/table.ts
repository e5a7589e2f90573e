// Docker prints its tables through Go's text/tabwriter with minwidth 10,
// tabwidth 1, padding 3 (docker/cli formatter.go). A column is as wide as its
// widest cell plus 3, at least 10; the last column is not padded.

const MIN_WIDTH = 10;
const PADDING = 3;

/** Display width: counts code points, as Go's tabwriter counts runes. */
function width(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const cols = Math.max(...all.map((r) => r.length));
  const widths: number[] = [];
  for (let c = 0; c < cols - 1; c++) {
    let w = MIN_WIDTH;
    for (const r of all) {
      const cell = r[c];
      if (cell !== undefined && c < r.length - 1) w = Math.max(w, width(cell) + PADDING);
    }
    widths.push(w);
  }
  const lines = all.map((r) => {
    let line = '';
    for (let c = 0; c < r.length; c++) {
      const cell = r[c] ?? '';
      if (c === r.length - 1) line += cell;
      else line += cell + ' '.repeat((widths[c] ?? MIN_WIDTH) - width(cell));
    }
    return line;
  });
  return lines.join('\n') + '\n';
}
