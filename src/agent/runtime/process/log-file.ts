// A process task's output.log, as the supervisor writes it: one
// "<ISO time> <o|e> <text>" line per line of output. Reading it back: the last
// N lines (read backwards, so a large log costs what the tail costs), then,
// when following, what is appended until the task has exited.
import { watch, type FSWatcher } from 'node:fs';
import { open } from 'node:fs/promises';
import { abortableDelay } from '../abortable-delay.js';
import { LineSplitter } from '../line-splitter.js';
import type { LogEntry } from '../types.js';

export function formatLogLine(entry: LogEntry): string {
  return `${entry.time.toISOString()} ${entry.stream === 'stdout' ? 'o' : 'e'} ${entry.line}\n`;
}

export function parseLogLine(line: string): LogEntry | undefined {
  const first = line.indexOf(' ');
  if (first === -1) return undefined;
  const time = new Date(line.slice(0, first));
  const kind = line.slice(first + 1, first + 2);
  if (Number.isNaN(time.getTime()) || (kind !== 'o' && kind !== 'e') || line.length < first + 2) return undefined;
  if (line.length > first + 2 && line[first + 2] !== ' ') return undefined;
  return { stream: kind === 'o' ? 'stdout' : 'stderr', line: line.slice(first + 3), time };
}

const CHUNK = 64 * 1024;

/**
 * The byte offset where the last `tail` lines of the file begin (0 for the
 * whole file), and the file's size when it was read.
 */
export async function tailOffset(path: string, tail: number | undefined): Promise<{ start: number; end: number }> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return { start: 0, end: 0 };
  }
  try {
    const end = (await handle.stat()).size;
    if (tail === undefined) return { start: 0, end };
    if (tail <= 0) return { start: end, end };
    // Count newlines backwards; the file's last byte is a newline (the
    // supervisor writes whole lines), so the (tail+1)-th newline from the end
    // ends the line before the ones we want.
    let newlines = 0;
    let position = end;
    const buffer = Buffer.alloc(CHUNK);
    while (position > 0) {
      const size = Math.min(CHUNK, position);
      position -= size;
      await handle.read(buffer, 0, size, position);
      for (let i = size - 1; i >= 0; i--) {
        if (buffer[i] !== 0x0a) continue;
        newlines += 1;
        if (newlines === tail + 1) return { start: position + i + 1, end };
      }
    }
    return { start: 0, end };
  } finally {
    await handle.close();
  }
}

export interface ReadLogOptions {
  readonly tail?: number;
  readonly follow: boolean;
  /** Following stops once this says the writer is done and the file is read to its end. */
  readonly writerDone: () => Promise<boolean>;
  readonly signal: AbortSignal;
  /** How often to look for new data when no change notification comes (default 500 ms). */
  readonly pollMs?: number;
}

/** Entries of the log file, from the tail on, following it if asked. */
export async function* readLogFile(path: string, options: ReadLogOptions): AsyncGenerator<LogEntry> {
  const { start } = await tailOffset(path, options.tail);
  let position = start;
  const splitter = new LineSplitter(64 * 1024);
  let changed: (() => void) | undefined;
  let watcher: FSWatcher | undefined;
  try {
    while (!options.signal.aborted) {
      const { entries, read } = await readFrom(path, position, splitter);
      position += read;
      for (const entry of entries) yield entry;
      if (read > 0) continue;
      if (!options.follow) return;
      // Read to the end; done when the writer has finished (and check once
      // more, since it may have written between our read and its exit).
      if (await options.writerDone()) {
        const last = await readFrom(path, position, splitter);
        for (const entry of last.entries) yield entry;
        return;
      }
      watcher ??= watchQuietly(path, () => changed?.());
      const wake = new AbortController();
      changed = () => wake.abort();
      await abortableDelay(options.pollMs ?? 500, AbortSignal.any([options.signal, wake.signal]));
      changed = undefined;
    }
  } finally {
    watcher?.close();
  }
}

function watchQuietly(path: string, onChange: () => void): FSWatcher | undefined {
  try {
    const watcher = watch(path, { persistent: false }, onChange);
    watcher.on('error', () => {});
    return watcher;
  } catch {
    return undefined;
  }
}

async function readFrom(
  path: string,
  position: number,
  splitter: LineSplitter,
): Promise<{ entries: LogEntry[]; read: number }> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return { entries: [], read: 0 };
  }
  try {
    const buffer = Buffer.alloc(CHUNK);
    const { bytesRead } = await handle.read(buffer, 0, CHUNK, position);
    const entries: LogEntry[] = [];
    for (const line of splitter.push(buffer.subarray(0, bytesRead))) {
      const entry = parseLogLine(line);
      if (entry !== undefined) entries.push(entry);
    }
    return { entries, read: bytesRead };
  } finally {
    await handle.close();
  }
}
