// `--format` and `-q` for list commands, as docker/cli's formatter decides
// (formatter.Format, NewFormat in each command's formatter.go):
//   "" or "table"  the command's default table; with -q, one ID per line
//   "json"         one JSON object per line ({{json .}}), keys sorted
//   anything else  a template (go-template.ts); `table ...` gets a header
import { ShoalError } from '../../api/errors.js';
import { goJson } from './go-json.js';
import { parseTemplate, writeTemplate } from './go-template.js';

export interface ListLayout<Row> {
  /** Column header for each field, for `table {{.Field}}` templates. */
  readonly headers: Readonly<Record<string, string>>;
  /** The default table. */
  readonly table: (rows: readonly Row[]) => string;
  /** What `-q` prints for a row. */
  readonly id: (row: Row) => string;
}

/** Go's encoding/json writes a map with sorted keys; docker's `{{json .}}` of a row is such a map. */
export function sortedKeys<T extends object>(row: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(row).sort()) out[k] = (row as Record<string, unknown>)[k];
  return out;
}

export function writeList<Row extends object>(rows: readonly Row[], format: string | undefined, quiet: boolean, layout: ListLayout<Row>): string {
  const f = format ?? '';
  if (f === '' || f === 'table') {
    if (quiet) return rows.map((r) => `${layout.id(r)}\n`).join('');
    return layout.table(rows);
  }
  if (f === 'json') return rows.map((r) => `${goJson(sortedKeys(r))}\n`).join('');
  if (f === 'raw') throw new ShoalError('InvalidArgument', 'template parsing error: the "raw" format is not supported by shoal; use "json" or a template', 'local');
  return writeTemplate(parseTemplate(f), rows, layout.headers);
}
