// Commands that act on several objects (node rm, node ps, node inspect)
// report every failure, one line each, after doing what they could, as
// docker/cli does (errors.Join / strings.Join(errs, "\n")). Each line reads
// as the top-level handler would print that error alone.
import type { Io } from '../framework/command.js';
import { ExitError } from '../framework/command.js';
import { handleError } from '../errors.js';

/** The line the top-level handler prints for `err` ("Error response from daemon: ..."). */
export function errorLine(err: unknown, host: string): string {
  let text = '';
  const sink: Io = { out: { write: () => undefined }, err: { write: (s) => void (text += s) }, env: {} };
  handleError(err, sink, host);
  return text.replace(/\n$/, '');
}

/** Exit 1 printing the collected lines, or return when there are none. */
export function failWithLines(lines: readonly string[]): void {
  if (lines.length > 0) throw new ExitError(1, lines.join('\n'));
}
