// The part of Go's text/template that `--format` strings use in practice,
// for the docker/cli formatter: `table` prefix, `{{.Field}}`,
// `{{.Field.Sub}}`, `{{json .}}`, `{{json .Field}}`, `{{-`/`-}}` trims, and
// `\t`/`\n` written literally (docker/cli formatter.Context.preFormat).
// Anything else is refused with a message that says what is understood.
import { ShoalError } from '../../api/errors.js';
import { formatTable } from '../framework/table.js';
import { goJson } from './go-json.js';

export type Piece =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'field'; readonly path: readonly string[]; readonly json: boolean };

export interface Template {
  /** `table ...`: rows are tab-separated cells written through the tabwriter, under a header. */
  readonly table: boolean;
  readonly pieces: readonly Piece[];
}

const ACTION = /^(?:json\s+)?\.(?:[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)?$/;

function templateError(message: string): ShoalError {
  return new ShoalError('InvalidArgument', `template parsing error: ${message}`, 'local');
}

/** Parse a docker-style format string (not the keys `json`/`table`, which callers map first). */
export function parseTemplate(source: string): Template {
  const table = source.startsWith('table');
  const text = (table ? source.slice('table'.length) : source).replace(/^ +| +$/g, '').replaceAll('\\t', '\t').replaceAll('\\n', '\n');
  const pieces: Piece[] = [];
  let rest = text;
  let trimNext = false;
  while (rest !== '') {
    const open = rest.indexOf('{{');
    let literal = open < 0 ? rest : rest.slice(0, open);
    if (trimNext) literal = literal.replace(/^\s+/, '');
    trimNext = false;
    if (open < 0) {
      if (literal !== '') pieces.push({ kind: 'text', text: literal });
      break;
    }
    const close = rest.indexOf('}}', open + 2);
    if (close < 0) throw templateError(`unclosed action in ${JSON.stringify(source)}`);
    let inner = rest.slice(open + 2, close);
    if (inner.startsWith('-') && /^-\s/.test(inner)) {
      literal = literal.replace(/\s+$/, '');
      inner = inner.slice(1);
    }
    if (/\s-$/.test(inner)) {
      trimNext = true;
      inner = inner.slice(0, -1);
    }
    if (literal !== '') pieces.push({ kind: 'text', text: literal });
    const action = inner.trim();
    if (!ACTION.test(action)) {
      throw templateError(`shoal understands {{.Field}}, {{.Field.Sub}}, {{json .}} and {{json .Field}}, not {{${inner}}}`);
    }
    const json = action.startsWith('json');
    const dotted = json ? action.replace(/^json\s+/, '') : action;
    const path = dotted === '.' ? [] : dotted.slice(1).split('.');
    pieces.push({ kind: 'field', path, json });
    rest = rest.slice(close + 2);
  }
  return { table, pieces };
}

function lookup(data: unknown, path: readonly string[]): unknown {
  let v = data;
  for (const key of path) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** fmt's `%v` as text/template prints a value. */
export function goPrint(value: unknown): string {
  if (value === undefined) return '<no value>';
  if (value === null) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `[${value.map(goPrint).join(' ')}]`;
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `map[${Object.keys(obj)
      .sort()
      .map((k) => `${k}:${goPrint(obj[k])}`)
      .join(' ')}]`;
  }
  return String(value);
}

export function renderTemplate(t: Template, data: unknown): string {
  let out = '';
  for (const p of t.pieces) {
    if (p.kind === 'text') out += p.text;
    else {
      const v = lookup(data, p.path);
      out += p.json ? goJson(v ?? null) : goPrint(v);
    }
  }
  return out;
}

/** The header line of a `table` template: each field names its column (docker's SubHeaderContext). */
export function renderHeader(t: Template, headers: Readonly<Record<string, string>>): string {
  let out = '';
  for (const p of t.pieces) {
    if (p.kind === 'text') out += p.text;
    else if (p.path.length === 0) out += p.json ? goJson(headers) : goPrint(headers);
    else out += headers[p.path[0] as string] ?? '';
  }
  return out;
}

/** Rows through a template: a table (header + tabwriter) or one rendered line per row. */
export function writeTemplate(t: Template, rows: readonly unknown[], headers: Readonly<Record<string, string>>): string {
  if (!t.table) return rows.map((r) => `${renderTemplate(t, r)}\n`).join('');
  const split = (line: string) => line.split('\t');
  return formatTable(split(renderHeader(t, headers)), rows.map((r) => split(renderTemplate(t, r))));
}
