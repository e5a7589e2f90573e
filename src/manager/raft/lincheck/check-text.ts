// Recognise a history file's format from its text, parse it with the matching
// parser and check it against the matching model. Pure: the CLI reads files.
import { appendKvModel } from './append-kv-model.js';
import type { CheckOptions, Verdict } from './check.js';
import { checkHistory } from './check.js';
import { explainResult } from './explain.js';
import { kvModel } from './kv-model.js';
import { parseKvJsonLines } from './kv-json-lines.js';
import type { Model } from './model.js';
import type { History } from './operation.js';
import { parseJepsenEtcdLog } from './parse-jepsen-etcd.js';
import type { ParseResult } from './parse-result.js';
import { parseKvEdn } from './parse-kv-edn.js';
import { registerModel } from './register-model.js';

/** jepsen-etcd: Jepsen etcd logs (register); kv-edn: Porcupine's kv files; kv-jsonl: shoal's recordings. */
export type HistoryFormat = 'jepsen-etcd' | 'kv-edn' | 'kv-jsonl';

export type TextCheck =
  | { readonly ok: true; readonly format: HistoryFormat; readonly verdict: Verdict; readonly report: string }
  | { readonly ok: false; readonly message: string };

/** The format of a history, from its content; undefined if none fits. */
export function detectFormat(text: string): HistoryFormat | undefined {
  if (/\bjepsen\.util\b/.test(text)) return 'jepsen-etcd';
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '')?.trim();
  if (first === undefined) return 'jepsen-etcd'; // empty: no operations in any format
  if (first.startsWith('{:')) return 'kv-edn';
  if (first.startsWith('{"')) return 'kv-jsonl';
  return undefined;
}

function run<S, I, O>(model: Model<S, I, O>, format: HistoryFormat, parsed: ParseResult<History<I, O>>, options: CheckOptions): TextCheck {
  if (!parsed.ok) return { ok: false, message: `line ${parsed.line}: ${parsed.message}` };
  const result = checkHistory(model, parsed.value, options);
  return { ok: true, format, verdict: result.verdict, report: explainResult(model, parsed.value, result) };
}

export function checkText(text: string, options: CheckOptions = {}): TextCheck {
  const format = detectFormat(text);
  switch (format) {
    case 'jepsen-etcd':
      return run(registerModel, format, parseJepsenEtcdLog(text), options);
    case 'kv-edn':
      return run(appendKvModel, format, parseKvEdn(text), options);
    case 'kv-jsonl':
      return run(kvModel, format, parseKvJsonLines(text), options);
    case undefined:
      return { ok: false, message: 'unrecognised history format (expected a Jepsen etcd log, EDN kv lines or shoal kv JSON lines)' };
  }
}
