// What the screen is made of before ink draws it: lines of segments, each
// with a tone. Tones are meanings (ok, warn, bad), never colours: the theme
// maps them to colours when the terminal has any, and every tone-bearing
// cell also says its state in words, so nothing depends on colour alone.

export type Tone = 'normal' | 'ok' | 'warn' | 'bad' | 'dim' | 'accent' | 'title';

export interface Segment {
  readonly text: string;
  readonly tone?: Tone;
  /** The selected row, the chosen answer: reverse video (and a `>` marker elsewhere on the row). */
  readonly inverse?: boolean;
  readonly bold?: boolean;
}

export type Line = readonly Segment[];

export interface Cell {
  readonly text: string;
  readonly tone?: Tone;
}

/** Characters on screen; the console's text is ASCII or one-column characters. */
export function width(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** The few non-ASCII characters the console draws, and their ASCII stand-ins for terminals without UTF-8. */
export interface Glyphs {
  readonly ellipsis: string;
  readonly up: string;
  readonly down: string;
  readonly sep: string;
  readonly bullet: string;
}

export const UNICODE_GLYPHS: Glyphs = { ellipsis: '…', up: '↑', down: '↓', sep: '│', bullet: '●' };
export const ASCII_GLYPHS: Glyphs = { ellipsis: '~', up: '^', down: 'v', sep: '|', bullet: '*' };

/** Cut to `w` columns (ending with the ellipsis when cut) and pad with spaces to exactly `w`. */
export function fit(s: string, w: number, right = false, ellipsis = '…'): string {
  if (w <= 0) return '';
  const chars = [...s];
  if (chars.length > w) return w === 1 ? ellipsis : `${chars.slice(0, w - 1).join('')}${ellipsis}`;
  const pad = ' '.repeat(w - chars.length);
  return right ? pad + s : s + pad;
}

/** Cut to at most `w` columns without padding. */
export function cut(s: string, w: number, ellipsis = '…'): string {
  const chars = [...s];
  if (chars.length <= w) return s;
  return w <= 1 ? chars.slice(0, Math.max(0, w)).join('') : `${chars.slice(0, w - 1).join('')}${ellipsis}`;
}

export function plain(text: string, tone?: Tone): Line {
  return tone === undefined ? [{ text }] : [{ text, tone }];
}

/** The text of a line, for tests and searches. */
export function lineText(line: Line): string {
  return line.map((s) => s.text).join('');
}

/** Pad or cut a line of segments to exactly `w` columns. */
export function fitLine(line: Line, w: number, ellipsis = '…'): Line {
  const out: Segment[] = [];
  let used = 0;
  for (const seg of line) {
    if (used >= w) break;
    const sw = width(seg.text);
    if (used + sw <= w) {
      out.push(seg);
      used += sw;
      continue;
    }
    out.push({ ...seg, text: cut(seg.text, w - used, ellipsis) });
    used = w;
  }
  if (used < w) out.push({ text: ' '.repeat(w - used) });
  return out;
}

/**
 * Adjacent segments of the same style as one, and no trailing blanks
 * outside reverse video: ink's cost per frame grows with the characters
 * it is given.
 */
export function mergeSegments(line: Line): Line {
  const out: Segment[] = [];
  for (const seg of line) {
    if (seg.text === '') continue;
    const prev = out[out.length - 1];
    if (prev !== undefined && (prev.tone ?? 'normal') === (seg.tone ?? 'normal') && prev.inverse === seg.inverse && prev.bold === seg.bold) {
      out[out.length - 1] = { ...prev, text: prev.text + seg.text };
      continue;
    }
    out.push(seg);
  }
  const last = out[out.length - 1];
  if (last !== undefined && last.inverse !== true) {
    const text = last.text.trimEnd();
    if (text === '') out.pop();
    else out[out.length - 1] = { ...last, text };
  }
  // An empty line still takes its row (ink gives a Text without characters no height).
  return out.length > 0 ? out : [{ text: ' ' }];
}
