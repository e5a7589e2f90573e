// The screen's fixed lines: the header (view, counts, filter, connection),
// the status line (an action's outcome, or the input of a prompt) and the
// hint line (the keys that work here).
import type { Glyphs, Line, Segment } from '../state/cells.js';
import { width } from '../state/cells.js';
import { connectionCell, type ConnectionView } from '../state/connection.js';
import { hintEntries } from '../state/help.js';
import { completions } from '../state/palette.js';
import type { Frame, UiState } from '../state/ui-state.js';
import { current } from '../state/ui-state.js';

export function viewTitle(frame: Frame, shown: number, total: number): string {
  const count = shown === total ? `(${total})` : `(${shown} of ${total})`;
  switch (frame.kind) {
    case 'nodes':
      return `Nodes ${count}`;
    case 'services':
      return `Services ${count}`;
    case 'tasks': {
      const s = frame.scope;
      return s.kind === 'all' ? `Tasks ${count}` : s.kind === 'service' ? `Tasks of service ${s.name} ${count}` : `Tasks on node ${s.name} ${count}`;
    }
    case 'cluster':
      return 'Cluster';
    case 'events':
      return `Events ${count}`;
    case 'logs':
      return `Logs of ${frame.logs?.kind ?? 'service'} ${frame.logs?.name ?? ''}`;
    case 'inspect':
      return `Inspect ${frame.inspect?.table.replace(/s$/, '') ?? ''} ${frame.inspect?.name ?? ''}`;
  }
}

export function headerLine(ui: UiState, title: string, conn: ConnectionView, cols: number, glyphs: Glyphs): Line {
  const frame = current(ui);
  const left: Segment[] = [{ text: ' shoal ', tone: 'title', bold: true, inverse: true }, { text: ` ${ui.mode.kind === 'help' ? 'Help' : title}`, bold: true }];
  if (frame.filter.text !== '') left.push({ text: `  ${frame.filter.invert ? '!' : ''}/${frame.filter.text}`, tone: 'accent' });
  if (ui.stack.length > 1) left.push({ text: `  ${glyphs.sep} Esc back`, tone: 'dim' });
  const c = connectionCell(conn);
  const right: Segment[] = [];
  if (ui.readOnly) right.push({ text: 'READ-ONLY ', tone: 'warn', bold: true });
  right.push({ text: `${glyphs.bullet} ${c.text}`, ...(c.tone !== undefined ? { tone: c.tone } : {}) }, { text: ` ${conn.address} `, tone: 'dim' });
  const lw = left.reduce((n, s) => n + width(s.text), 0);
  let rw = right.reduce((n, s) => n + width(s.text), 0);
  // The connection state always shows; the address goes first when space is short.
  if (lw + rw + 1 > cols && right.length > 0) {
    right.pop();
    rw = right.reduce((n, s) => n + width(s.text), 0);
  }
  const gap = Math.max(1, cols - lw - rw);
  return [...left, { text: ' '.repeat(gap) }, ...right];
}

export function statusLine(ui: UiState): Line {
  const m = ui.mode;
  switch (m.kind) {
    case 'palette':
      return [{ text: ':', tone: 'accent', bold: true }, { text: `${m.text}_` }];
    case 'filter':
      return [{ text: '/', tone: 'accent', bold: true }, { text: `${m.text}_` }];
    case 'prompt':
      return [{ text: m.prompt.kind === 'scale' ? `Scale ${m.prompt.name} to: ` : `New image for ${m.prompt.name}: `, tone: 'accent', bold: true }, { text: `${m.text}_` }];
    case 'confirm': {
      const no = m.choice === 'no';
      return [
        { text: `${m.question} `, tone: 'warn', bold: true },
        { text: no ? '[No]' : ' No ', inverse: no, bold: no },
        { text: ' ' },
        { text: no ? ' Yes ' : '[Yes]', inverse: !no, bold: !no },
      ];
    }
    case 'help':
    case 'normal':
      break;
  }
  const st = ui.status;
  if (st === undefined) return [{ text: '' }];
  switch (st.tone) {
    case 'pending':
      return [{ text: 'working: ', tone: 'accent' }, { text: st.text }];
    case 'ok':
      return [{ text: 'OK ', tone: 'ok', bold: true }, { text: st.text, tone: 'ok' }];
    case 'error':
      return [{ text: 'ERROR ', tone: 'bad', bold: true }, { text: st.text, tone: 'bad' }];
    case 'info':
      return [{ text: st.text }];
  }
}

function keys(pairs: readonly string[]): Segment[] {
  return pairs.flatMap((p, i) => {
    const at = p.indexOf(' ');
    const k = at < 0 ? p : p.slice(0, at);
    const w = at < 0 ? '' : p.slice(at + 1);
    return [{ text: `${i === 0 ? ' ' : '  '}${k}`, tone: 'accent' as const, bold: true }, { text: w === '' ? '' : ` ${w}`, tone: 'dim' as const }];
  });
}

export function hintLine(ui: UiState, cols: number): Line {
  const m = ui.mode;
  switch (m.kind) {
    case 'palette': {
      const c = completions(m.text);
      return [{ text: ' ' }, ...keys(['Enter run', 'Tab complete', 'Esc close']), { text: `   ${c.map((x) => `:${x}`).join(' ')}`, tone: 'dim' }];
    }
    case 'filter':
      return keys(['Enter keep', 'Esc undo', '! invert (as first character)']);
    case 'prompt':
      return keys(['Enter apply', 'Esc cancel']);
    case 'confirm':
      return keys(['y yes', 'n no', 'Esc cancel', '←→ choose', 'Enter the chosen answer']);
    case 'help':
      return keys(['↑↓ scroll', 'Esc close']);
    case 'normal':
      break;
  }
  const frame = current(ui);
  const { own: all, global: globals } = hintEntries(frame.kind, ui.readOnly);
  let own = all;
  // Drop the view's own keys from the right until the line fits; help always shows.
  const fits = (xs: readonly string[]) => xs.reduce((n, x) => n + x.length + 2, 1) <= cols;
  while (own.length > 0 && !fits([...own, ...globals])) own = own.slice(0, -1);
  let shown = [...own, ...globals];
  while (shown.length > 1 && !fits(shown)) shown = shown.slice(1);
  return keys(shown);
}
