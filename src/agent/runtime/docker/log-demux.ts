// Docker's multiplexed log stream (non-TTY containers): frames of an 8-byte
// header [stream, 0, 0, 0, size (uint32 BE)] then `size` bytes. Stream 1 is
// stdout, 2 stderr (0, stdin, is not expected). With timestamps=true every
// line starts with an RFC 3339 nano timestamp and a space.
import { LineSplitter } from '../line-splitter.js';
import type { LogEntry } from '../types.js';

export interface LogFrame {
  readonly stream: 'stdout' | 'stderr';
  readonly payload: Buffer;
}

const HEADER_BYTES = 8;

export class FrameDemuxer {
  private pending: Buffer = Buffer.alloc(0);

  /** The complete frames in what arrived so far. */
  push(chunk: Uint8Array): LogFrame[] {
    this.pending = this.pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.pending, chunk]);
    const frames: LogFrame[] = [];
    while (this.pending.length >= HEADER_BYTES) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < HEADER_BYTES + size) break;
      const kind = this.pending[0];
      const payload = this.pending.subarray(HEADER_BYTES, HEADER_BYTES + size);
      this.pending = this.pending.subarray(HEADER_BYTES + size);
      if (kind === 1 || kind === 2) frames.push({ stream: kind === 1 ? 'stdout' : 'stderr', payload: Buffer.from(payload) });
    }
    return frames;
  }
}

/** "2024-05-01T12:00:00.123456789Z text" -> the time and the text. */
export function splitTimestamp(line: string): { time: Date; text: string } | undefined {
  const space = line.indexOf(' ');
  const stamp = space === -1 ? line : line.slice(0, space);
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(stamp);
  if (match === null) return undefined;
  const fraction = (match[2] ?? '').slice(0, 4);
  const time = new Date(`${match[1]}${fraction}${match[3]}`);
  if (Number.isNaN(time.getTime())) return undefined;
  return { time, text: space === -1 ? '' : line.slice(space + 1) };
}

/** Frames -> timestamped log entries, one per line, per stream. */
export class DockerLogDecoder {
  private readonly demuxer = new FrameDemuxer();
  private readonly splitters = { stdout: new LineSplitter(), stderr: new LineSplitter() };

  constructor(private readonly now: () => Date = () => new Date()) {}

  push(chunk: Uint8Array): LogEntry[] {
    const entries: LogEntry[] = [];
    for (const frame of this.demuxer.push(chunk)) {
      for (const line of this.splitters[frame.stream].push(frame.payload)) entries.push(this.entry(frame.stream, line));
    }
    return entries;
  }

  flush(): LogEntry[] {
    const entries: LogEntry[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.splitters[stream].flush();
      if (rest !== undefined) entries.push(this.entry(stream, rest));
    }
    return entries;
  }

  private entry(stream: 'stdout' | 'stderr', line: string): LogEntry {
    const stamped = splitTimestamp(line);
    return stamped === undefined ? { stream, line, time: this.now() } : { stream, line: stamped.text, time: stamped.time };
  }
}
