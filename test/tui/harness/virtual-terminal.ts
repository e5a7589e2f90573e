// A small terminal emulator for tests: it applies what ink writes (text,
// cursor moves, line and screen erases, the alternate screen, SGR
// attributes) to a grid of fixed rows and columns, so a test reads the
// screen as a person would see it: the golden frame.

interface Cell {
  ch: string;
  inverse: boolean;
}

const blank = (): Cell => ({ ch: ' ', inverse: false });

export class VirtualTerminal {
  private grid: Cell[][];
  private saved: Cell[][] | undefined;
  private row = 0;
  private col = 0;
  private pendingWrap = false;
  private inverse = false;
  private state: 'text' | 'esc' | 'csi' | 'osc' = 'text';
  private params = '';
  /** In the alternate screen (?1049h). */
  alt = false;
  cursorVisible = true;
  /** SGR colour codes seen (30-37, 90-97, 38;5;n ...). */
  colours = 0;

  constructor(
    public columns: number,
    public rows: number,
  ) {
    this.grid = this.emptyGrid();
  }

  private emptyGrid(): Cell[][] {
    return Array.from({ length: this.rows }, () => Array.from({ length: this.columns }, blank));
  }

  resize(columns: number, rows: number): void {
    const old = this.grid;
    this.columns = columns;
    this.rows = rows;
    this.grid = this.emptyGrid();
    for (let r = 0; r < Math.min(rows, old.length); r++) for (let c = 0; c < Math.min(columns, old[r]?.length ?? 0); c++) this.grid[r]![c] = old[r]![c]!;
    this.row = Math.min(this.row, rows - 1);
    this.col = Math.min(this.col, columns - 1);
  }

  /** The screen's text, one line per row, trailing spaces trimmed. */
  text(): string {
    return this.lines().join('\n');
  }

  lines(): string[] {
    return this.grid.map((r) => r.map((c) => c.ch).join('').replace(/ +$/, ''));
  }

  /** Row `r` with `[`…`]` around reverse-video runs. */
  marked(r: number): string {
    let out = '';
    let inv = false;
    for (const c of this.grid[r] ?? []) {
      if (c.inverse !== inv) out += c.inverse ? '[' : ']';
      inv = c.inverse;
      out += c.ch;
    }
    return (inv ? `${out}]` : out).replace(/ +$/, '');
  }

  write(data: string): void {
    for (const ch of data) this.feed(ch);
  }

  private feed(ch: string): void {
    switch (this.state) {
      case 'esc':
        if (ch === '[') {
          this.state = 'csi';
          this.params = '';
        } else if (ch === ']') this.state = 'osc';
        else this.state = 'text'; // ESC 7, ESC 8 and the like: ignored
        return;
      case 'csi':
        if (/[0-9;?<>=]/.test(ch)) {
          this.params += ch;
          return;
        }
        this.state = 'text';
        this.csi(ch, this.params);
        return;
      case 'osc':
        if (ch === '\x07' || ch === '\\') this.state = 'text';
        return;
      case 'text':
        break;
    }
    switch (ch) {
      case '\x1b':
        this.state = 'esc';
        return;
      case '\r':
        this.col = 0;
        this.pendingWrap = false;
        return;
      case '\n':
        // The tty driver's ONLCR (kept on in Node's raw mode) makes a newline a carriage return too.
        this.col = 0;
        this.lineFeed();
        return;
      case '\b':
        this.col = Math.max(0, this.col - 1);
        return;
      case '\x07':
        return;
    }
    if (this.pendingWrap) {
      this.col = 0;
      this.lineFeed();
    }
    const line = this.grid[this.row];
    if (line !== undefined) line[this.col] = { ch, inverse: this.inverse };
    if (this.col === this.columns - 1) this.pendingWrap = true;
    else this.col++;
  }

  private lineFeed(): void {
    this.pendingWrap = false;
    if (this.row < this.rows - 1) {
      this.row++;
      return;
    }
    this.grid.shift();
    this.grid.push(Array.from({ length: this.columns }, blank));
  }

  private csi(final: string, params: string): void {
    const priv = params.startsWith('?');
    const nums = (priv ? params.slice(1) : params).split(';').map((p) => (p === '' ? NaN : Number(p)));
    const n = (i: number, d: number): number => {
      const v = nums[i];
      return v === undefined || Number.isNaN(v) ? d : v;
    };
    this.pendingWrap = false;
    switch (final) {
      case 'A':
        this.row = Math.max(0, this.row - n(0, 1));
        return;
      case 'B':
        this.row = Math.min(this.rows - 1, this.row + n(0, 1));
        return;
      case 'C':
        this.col = Math.min(this.columns - 1, this.col + n(0, 1));
        return;
      case 'D':
        this.col = Math.max(0, this.col - n(0, 1));
        return;
      case 'E':
        this.row = Math.min(this.rows - 1, this.row + n(0, 1));
        this.col = 0;
        return;
      case 'F':
        this.row = Math.max(0, this.row - n(0, 1));
        this.col = 0;
        return;
      case 'G':
        this.col = Math.min(this.columns - 1, n(0, 1) - 1);
        return;
      case 'H':
      case 'f':
        this.row = Math.min(this.rows - 1, n(0, 1) - 1);
        this.col = Math.min(this.columns - 1, n(1, 1) - 1);
        return;
      case 'J':
        return this.eraseDisplay(n(0, 0));
      case 'K':
        return this.eraseLine(n(0, 0));
      case 'm':
        return this.sgr(nums);
      case 'h':
      case 'l':
        if (!priv) return;
        for (const m of nums) {
          if (m === 1049) this.altScreen(final === 'h');
          if (m === 25) this.cursorVisible = final === 'h';
        }
        return;
      default:
        return;
    }
  }

  private eraseDisplay(mode: number): void {
    if (mode === 2 || mode === 3) {
      this.grid = this.emptyGrid();
      return;
    }
    if (mode === 0) {
      this.eraseLine(0);
      for (let r = this.row + 1; r < this.rows; r++) this.grid[r] = Array.from({ length: this.columns }, blank);
    } else {
      this.eraseLine(1);
      for (let r = 0; r < this.row; r++) this.grid[r] = Array.from({ length: this.columns }, blank);
    }
  }

  private eraseLine(mode: number): void {
    const line = this.grid[this.row];
    if (line === undefined) return;
    const [from, to] = mode === 0 ? [this.col, this.columns] : mode === 1 ? [0, this.col + 1] : [0, this.columns];
    for (let c = from; c < to; c++) line[c] = blank();
  }

  private sgr(nums: number[]): void {
    if (nums.length === 0 || nums.every((x) => Number.isNaN(x))) {
      this.inverse = false;
      return;
    }
    for (let i = 0; i < nums.length; i++) {
      const v = nums[i];
      if (v === 0) this.inverse = false;
      else if (v === 7) this.inverse = true;
      else if (v === 27) this.inverse = false;
      else if (v !== undefined && ((v >= 30 && v <= 37) || (v >= 90 && v <= 97) || (v >= 40 && v <= 47) || v === 38 || v === 48)) {
        this.colours++;
        if (v === 38 || v === 48) i += nums[i + 1] === 5 ? 2 : 4;
      }
    }
  }

  private altScreen(on: boolean): void {
    if (on === this.alt) return;
    this.alt = on;
    if (on) {
      this.saved = this.grid;
      this.grid = this.emptyGrid();
    } else {
      this.grid = this.saved ?? this.emptyGrid();
      this.saved = undefined;
    }
  }
}
