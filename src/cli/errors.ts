// The CLI's one top-level error handler: errors from the daemon read as
// Docker's do ("Error response from daemon: ..."), a daemon nobody answers
// says so, and anything else is a bug report.
import { isShoalError } from '../api/errors.js';
import type { Io } from './framework/command.js';

export function handleError(err: unknown, io: Io, host = ''): number {
  if (isShoalError(err)) {
    if (err.code === 'Unavailable' && /cannot reach|connect/i.test(err.message) && /daemon at/.test(err.message)) {
      io.err.write(`Cannot connect to the shoal daemon at ${host}. Is the shoal daemon running?\n`);
      return 1;
    }
    if (err.detail === 'local') {
      io.err.write(`${err.message}\n`);
      return 1;
    }
    io.err.write(`Error response from daemon: ${err.message}\n`);
    return 1;
  }
  io.err.write(`shoal: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 1;
}
