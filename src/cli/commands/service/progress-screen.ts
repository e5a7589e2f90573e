// How docker prints the progress messages (moby pkg/jsonmessage
// DisplayJSONMessagesStream + JSONProgress.String): a message with an id
// owns a line that later messages with the same id rewrite in place (cursor
// up, erase line, write, cursor down); a plain message is written below and
// starts a new group of lines. A bar is drawn only when the terminal is
// wider than 110 columns (200 is assumed when the width is unknown).
//
// `ProgressScreen` turns messages into the bytes for a terminal and keeps
// the frame the terminal ends up showing, which is what a non-terminal gets
// once the command is done (docker prints the bar-less lines as they come;
// shoal prints the final frame instead).
import type { ProgressMessage } from './progress-updaters.js';

const ESC = '\u001b[';
const BAR_MIN_COLUMNS = 110;

/** JSONProgress.String with HideCounts: `[=====>    ] ` when wide enough, else nothing. */
export function progressBar(current: number, total: number, columns: number): string {
  if (current <= 0 && total <= 0) return '';
  if (total <= 0) return '';
  const percentage = Math.min(50, Math.trunc(Math.trunc((current / total) * 100) / 2));
  if (columns <= BAR_MIN_COLUMNS) return '';
  return `[${'='.repeat(percentage)}>${' '.repeat(Math.max(0, 50 - percentage))}] `;
}

/** The text of one message's line, as Display writes it (without the terminal codes). */
export function lineText(msg: ProgressMessage, columns: number): string {
  if (msg.kind === 'message') return msg.id === '' ? msg.text : `${msg.id}: ${msg.text}`;
  return `${msg.id}: ${msg.action} ${progressBar(msg.current ?? 0, msg.total ?? 0, columns)}`;
}

export class ProgressScreen {
  /** The lines on screen, top to bottom. */
  private readonly lines: string[] = [];
  /** Line index on screen of each id of the current group. */
  private readonly group = new Map<string, number>();

  constructor(private readonly columns: number) {}

  /** Record `msg`; returns the bytes docker writes to a terminal for it. */
  apply(msg: ProgressMessage): string {
    const text = lineText(msg, this.columns);
    if (msg.kind === 'message') {
      this.lines.push(text);
      this.group.clear();
      return `${text}\n`;
    }
    let bytes = '';
    let index = this.group.get(msg.id);
    if (index === undefined) {
      index = this.lines.length;
      this.lines.push(text);
      this.group.set(msg.id, index);
      bytes += '\n';
    } else {
      this.lines[index] = text;
    }
    // The cursor rests on the line below the group; go up to the id's line and back.
    const up = this.lines.length - index;
    return `${bytes}${ESC}${up}A${ESC}2K\r${text}\r${ESC}${up}B`;
  }

  /** Apply several messages; the bytes for all of them. */
  applyAll(messages: readonly ProgressMessage[]): string {
    return messages.map((m) => this.apply(m)).join('');
  }

  /** What the terminal shows in the end: every line, trailing blanks trimmed. */
  frame(): string {
    return this.lines.map((l) => `${l.trimEnd()}\n`).join('');
  }
}
