// Turns a byte stream into lines. A line longer than `maxLineBytes` is cut
// into pieces of at most that size (as Docker's log drivers cut at 16 KiB), so
// a task that never writes a newline cannot grow the buffer without bound.

export const DEFAULT_MAX_LINE_BYTES = 16 * 1024;

export class LineSplitter {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES) {}

  /** The complete lines in `chunk` (plus what was pending), without their newlines. */
  push(chunk: Uint8Array): string[] {
    let data = this.pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.pending, chunk]);
    const lines: string[] = [];
    while (true) {
      const newline = data.indexOf(0x0a);
      if (newline === -1 || newline > this.maxLineBytes) {
        if (data.length <= this.maxLineBytes) break;
        lines.push(data.subarray(0, this.maxLineBytes).toString('utf8'));
        data = data.subarray(this.maxLineBytes);
        continue;
      }
      const end = newline > 0 && data[newline - 1] === 0x0d ? newline - 1 : newline;
      lines.push(data.subarray(0, end).toString('utf8'));
      data = data.subarray(newline + 1);
    }
    this.pending = Buffer.from(data);
    return lines;
  }

  /** What is left without a newline (at end of stream), if anything. */
  flush(): string | undefined {
    if (this.pending.length === 0) return undefined;
    const rest = this.pending.toString('utf8');
    this.pending = Buffer.alloc(0);
    return rest;
  }
}
