// Colours and glyphs for the terminal at hand. Tones (ok, warn, bad) map to
// 16 or 256 colours, or to none with NO_COLOR / TERM=dumb; every toned
// cell says its state in words too. The console decides the depth itself
// and tells chalk (ink's colouring) through FORCE_COLOR before ink loads,
// since chalk would otherwise turn colour off under CI=true.
import type { Glyphs, Tone } from './state/cells.js';
import { ASCII_GLYPHS, UNICODE_GLYPHS } from './state/cells.js';

export type ColorMode = 'none' | '16' | '256';

export interface Theme {
  readonly mode: ColorMode;
  readonly glyphs: Glyphs;
  /** An ink colour for a tone, or undefined to leave the text as it is. */
  color(tone: Tone | undefined): string | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

export function detectColorMode(env: Env): ColorMode {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return 'none';
  const force = env['FORCE_COLOR'];
  if (force === '0' || force === 'false') return 'none';
  if (force === '1' || force === 'true' || force === '') return '16';
  if (force === '2' || force === '3') return '256';
  const term = env['TERM'] ?? '';
  if (term === 'dumb') return 'none';
  const colorterm = env['COLORTERM'] ?? '';
  if (term.includes('256color') || colorterm === 'truecolor' || colorterm === '24bit') return '256';
  return '16';
}

export function detectUnicode(env: Env): boolean {
  const locale = env['LC_ALL'] || env['LC_CTYPE'] || env['LANG'] || '';
  return /utf-?8/i.test(locale);
}

const PALETTE_16: Readonly<Record<Tone, string | undefined>> = { normal: undefined, ok: 'green', warn: 'yellow', bad: 'red', dim: 'gray', accent: 'cyan', title: 'blue' };
const PALETTE_256: Readonly<Record<Tone, string | undefined>> = {
  normal: undefined,
  ok: 'ansi256(71)',
  warn: 'ansi256(178)',
  bad: 'ansi256(167)',
  dim: 'ansi256(244)',
  accent: 'ansi256(74)',
  title: 'ansi256(111)',
};

export function makeTheme(mode: ColorMode, unicode: boolean): Theme {
  const palette = mode === '256' ? PALETTE_256 : PALETTE_16;
  return { mode, glyphs: unicode ? UNICODE_GLYPHS : ASCII_GLYPHS, color: (tone) => (mode === 'none' || tone === undefined ? undefined : palette[tone]) };
}

export function detectTheme(env: Env): Theme {
  return makeTheme(detectColorMode(env), detectUnicode(env));
}

/**
 * chalk's level for FORCE_COLOR: with no colour the level stays 1, so
 * reverse video and bold (not colours) still mark the selection.
 */
export function chalkLevel(mode: ColorMode): string {
  return mode === '256' ? '2' : '1';
}
