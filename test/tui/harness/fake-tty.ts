// Fake stdin and stdout for running the console under ink in-process: a
// stdout of fixed rows and columns that feeds a VirtualTerminal and keeps
// the raw bytes, and a stdin in raw mode that a test types into.
import { PassThrough, Writable } from 'node:stream';
import { VirtualTerminal } from './virtual-terminal.js';

export class FakeStdout extends Writable {
  readonly isTTY = true;
  readonly term: VirtualTerminal;
  raw = '';
  writes = 0;

  constructor(
    public columns: number,
    public rows: number,
  ) {
    super({ decodeStrings: false });
    this.term = new VirtualTerminal(columns, rows);
  }

  override _write(chunk: unknown, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
    this.raw += text;
    this.writes++;
    this.term.write(text);
    this.emit('frame');
    cb();
  }

  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.term.resize(columns, rows);
    this.emit('resize');
  }

  getColorDepth(): number {
    return 8;
  }

  hasColors(): boolean {
    return true;
  }
}

export class FakeStdin extends PassThrough {
  readonly isTTY = true;
  isRaw = false;

  setRawMode(on: boolean): this {
    this.isRaw = on;
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }
}

/** What terminals send for the named keys. */
export const KEYS = {
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  pageUp: '\x1b[5~',
  pageDown: '\x1b[6~',
  home: '\x1b[H',
  end: '\x1b[F',
  enter: '\r',
  escape: '\x1b',
  backspace: '\x7f',
  tab: '\t',
  ctrlC: '\x03',
} as const;
