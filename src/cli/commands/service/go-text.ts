// Small text routines the docker CLI gets from Go's standard library and
// its helper packages, with their results and error words:
// - csvRecord: encoding/csv, one record (`--mount`, `--secret`, `--publish` long syntax)
// - shellWords: google/shlex (`--args`, `--entrypoint`)
// - parseGoBool: strconv.ParseBool
// - parseUintBits: strconv.ParseUint(s, 10, bits)
// - naturalLess: fvbommel/sortorder.NaturalLess (the order of `service ls` and `ps`)
// - ellipsis: docker/cli formatter.Ellipsis
// - goJsonLine: docker's `--format json` (json.Marshal of a map: sorted keys, HTML escaped)
// - displayImage: distribution/reference FamiliarString of name:tag (the digest dropped)
import type { Parsed } from '../../../api/units.js';
import { parseImageReference } from '../../../api/image-reference.js';

function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

function fail<T = never>(error: string): Parsed<T> {
  return { ok: false, error };
}

/** encoding/csv Reader.Read of the first record; fields may be quoted with `"`, a quote doubled inside. */
export function csvRecord(text: string): Parsed<string[]> {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    const column = i + 1;
    if (text.charAt(i) === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) return fail(`parse error on line 1, column ${i + 1}: extraneous or missing " in quoted-field`);
        const ch = text.charAt(i);
        if (ch === '"') {
          if (text.charAt(i + 1) === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += ch;
        i++;
      }
      if (i < text.length && text.charAt(i) !== ',') return fail(`parse error on line 1, column ${i + 1}: extraneous or missing " in quoted-field`);
      fields.push(value);
    } else {
      const end = text.indexOf(',', i);
      const value = end < 0 ? text.slice(i) : text.slice(i, end);
      const quote = value.indexOf('"');
      if (quote >= 0) return fail(`parse error on line 1, column ${column + quote}: bare " in non-quoted-field`);
      fields.push(value);
      i = end < 0 ? text.length : end;
    }
    if (i >= text.length) return ok(fields);
    i++; // the comma
  }
}

/** google/shlex Split: words separated by blanks; '…' and "…" quote, `\` escapes (not inside '…'). */
export function shellWords(text: string): Parsed<string[]> {
  const words: string[] = [];
  let word: string | undefined;
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
      i++;
    } else if (ch === '\\') {
      if (i + 1 >= text.length) return fail('EOF found after escape character');
      word = (word ?? '') + text.charAt(i + 1);
      i += 2;
    } else if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return fail('EOF found when expecting closing quote');
      word = (word ?? '') + text.slice(i + 1, end);
      i = end + 1;
    } else if (ch === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) return fail('EOF found when expecting closing quote');
        const c = text.charAt(j);
        if (c === '"') break;
        if (c === '\\' && j + 1 < text.length && '"\\$`\n'.includes(text.charAt(j + 1))) {
          value += text.charAt(j + 1);
          j += 2;
          continue;
        }
        value += c;
        j++;
      }
      word = (word ?? '') + value;
      i = j + 1;
    } else {
      word = (word ?? '') + ch;
      i++;
    }
  }
  if (word !== undefined) words.push(word);
  return ok(words);
}

/** strconv.ParseBool. */
export function parseGoBool(text: string): Parsed<boolean> {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return ok(true);
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return ok(false);
  return fail(`strconv.ParseBool: parsing ${JSON.stringify(text)}: invalid syntax`);
}

/** strconv.ParseUint(text, 10, bits). */
export function parseUintBits(text: string, bits: number): Parsed<number> {
  if (!/^\d+$/.test(text)) return fail(`strconv.ParseUint: parsing ${JSON.stringify(text)}: invalid syntax`);
  const value = BigInt(text);
  if (value >= 1n << BigInt(bits)) return fail(`strconv.ParseUint: parsing ${JSON.stringify(text)}: value out of range`);
  return ok(Number(value));
}

/** sortorder.NaturalLess: runs of digits compare by value, the rest byte-wise. */
export function naturalLess(a: string, b: string): boolean {
  return naturalCompare(a, b) < 0;
}

export function naturalCompare(a: string, b: string): number {
  const chunk = /(\d+|\D+)/g;
  const ca = a.match(chunk) ?? [];
  const cb = b.match(chunk) ?? [];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = ca[i] as string;
    const y = cb[i] as string;
    if (x === y) continue;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const nx = BigInt(x);
      const ny = BigInt(y);
      if (nx !== ny) return nx < ny ? -1 : 1;
      if (x.length !== y.length) return x.length < y.length ? -1 : 1; // fewer leading zeros first
      continue;
    }
    return x < y ? -1 : 1;
  }
  return ca.length - cb.length;
}

/** formatter.Ellipsis: at most `max` characters, the last replaced by `…` when cut. */
export function ellipsis(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  if (max <= 0) return '';
  return `${chars.slice(0, max - 1).join('')}…`;
}

/** One `--format json` line: Go's json.Marshal of a map[string]string (keys sorted, <, >, & escaped). */
export function goJsonLine(fields: Readonly<Record<string, string>>): string {
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(fields).sort()) sorted[key] = fields[key] as string;
  return JSON.stringify(sorted).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The IMAGE column: a tagged reference loses its digest and Docker Hub's
 * `docker.io/library/` (`nginx:1.25@sha256:…` -> `nginx:1.25`); anything
 * else is shown as written.
 */
export function displayImage(image: string): string {
  const ref = parseImageReference(image);
  if (ref === undefined || ref.tag === undefined) return image;
  let name = ref.domain === undefined ? ref.path : `${ref.domain}/${ref.path}`;
  if (name.startsWith('docker.io/library/')) name = name.slice('docker.io/library/'.length);
  else if (name.startsWith('docker.io/')) name = name.slice('docker.io/'.length);
  return `${name}:${ref.tag}`;
}
