// A key press as the console's pure core sees it, independent of ink:
// printable text (one character, or several when pasted) or a named key.

export type NamedKey =
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'pageUp'
  | 'pageDown'
  | 'home'
  | 'end'
  | 'enter'
  | 'escape'
  | 'backspace'
  | 'delete'
  | 'tab'
  | 'ctrl-c';

export type Key = { readonly kind: 'text'; readonly text: string } | { readonly kind: NamedKey };

/** The fields of ink's `Key` this module reads (structural, so the core does not import ink). */
export interface InkKeyLike {
  readonly upArrow: boolean;
  readonly downArrow: boolean;
  readonly leftArrow: boolean;
  readonly rightArrow: boolean;
  readonly pageUp: boolean;
  readonly pageDown: boolean;
  readonly home: boolean;
  readonly end: boolean;
  readonly return: boolean;
  readonly escape: boolean;
  readonly ctrl: boolean;
  readonly tab: boolean;
  readonly backspace: boolean;
  readonly delete: boolean;
  readonly meta: boolean;
}

export const text = (t: string): Key => ({ kind: 'text', text: t });
export const named = (k: NamedKey): Key => ({ kind: k });

/** ink's (input, key) as a Key; undefined for keys the console ignores (other Ctrl/Meta chords). */
export function keyFromInk(input: string, key: InkKeyLike): Key | undefined {
  if (key.ctrl && input === 'c') return named('ctrl-c');
  if (key.upArrow) return named('up');
  if (key.downArrow) return named('down');
  if (key.leftArrow) return named('left');
  if (key.rightArrow) return named('right');
  if (key.pageUp) return named('pageUp');
  if (key.pageDown) return named('pageDown');
  if (key.home) return named('home');
  if (key.end) return named('end');
  if (key.return) return named('enter');
  if (key.escape) return named('escape');
  if (key.tab) return named('tab');
  // Terminals send DEL (0x7f) for Backspace; ink reports it as `delete` on some and `backspace` on others.
  if (key.backspace || key.delete) return named('backspace');
  if (key.ctrl || key.meta) {
    // Ctrl+U / Ctrl+D page like less; the rest is ignored.
    if (key.ctrl && input === 'u') return named('pageUp');
    if (key.ctrl && input === 'd') return named('pageDown');
    return undefined;
  }
  if (input === '') return undefined;
  return text(input);
}

const CONTROL_CHARS: Readonly<Record<string, NamedKey>> = { '\r': 'enter', '\n': 'enter', '\x7f': 'backspace', '\b': 'backspace', '\t': 'tab', '\x03': 'ctrl-c', '\x15': 'pageUp', '\x04': 'pageDown' };

/**
 * ink hands over a run of plain characters that arrive together (typed
 * fast, pasted, or sent by `tmux send-keys`) as one input, `:dash\r`
 * included; the console takes them one key at a time.
 */
export function keysFromInk(input: string, key: InkKeyLike): Key[] {
  const named = key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown || key.home || key.end || key.escape || key.ctrl || key.meta;
  if (input.length <= 1 || named) {
    const k = keyFromInk(input, key);
    return k === undefined ? [] : [k];
  }
  const out: Key[] = [];
  for (const ch of input) {
    const special = CONTROL_CHARS[ch];
    if (special !== undefined) out.push({ kind: special });
    else if (ch >= ' ') out.push(text(ch));
  }
  return out;
}
