// The replayable event log of a run: one short line per delivery, drop,
// crash, partition, role change and client operation, prefixed with the
// virtual time. Off by default (formatting costs time); a failing seed is run
// again with it on, which replays the same run since everything depends only
// on the seed.
import type { Entry } from '../types.js';
import type { Message } from '../core/index.js';

export class Trace {
  readonly lines: string[] = [];

  constructor(
    readonly enabled: boolean,
    /** Called with each line as it is logged (the CLI streams them). */
    private readonly sink?: (line: string) => void,
  ) {}

  log(time: number, text: string): void {
    if (!this.enabled) return;
    const line = `${String(time).padStart(7)} ${text}`;
    this.lines.push(line);
    this.sink?.(line);
  }
}

function entries(es: readonly Entry[]): string {
  const first = es[0];
  const last = es.at(-1);
  if (first === undefined || last === undefined) return '[]';
  const kinds = es.some((e) => e.kind === 'config') ? ' conf' : '';
  if (first === last) return `[${first.index}/${first.term}${kinds}]`;
  return `[${first.index}/${first.term}..${last.index}/${last.term}${kinds}]`;
}

function ctx(c: Uint8Array | null): string {
  return c === null ? '' : ` ctx=${new TextDecoder().decode(c)}`;
}

/** `append t3 prev=5/3 [6/3..7/3] commit=5`: a message without its ends. */
export function describeMessage(m: Message): string {
  switch (m.type) {
    case 'pre-vote':
    case 'vote':
      return `${m.type} t${m.term} last=${m.lastIndex}/${m.lastTerm}${m.type === 'vote' && m.transfer ? ' transfer' : ''}`;
    case 'pre-vote-response':
    case 'vote-response':
      return `${m.type} t${m.term} ${m.reject ? 'reject' : 'grant'}`;
    case 'append':
      return `append t${m.term} prev=${m.prevIndex}/${m.prevTerm} ${entries(m.entries)} commit=${m.commit}`;
    case 'append-response':
      return m.reject === null
        ? `append-response t${m.term} ok=${m.index}`
        : `append-response t${m.term} reject=${m.index} hint=${m.reject.hintIndex}/${m.reject.hintTerm}`;
    case 'heartbeat':
      return `heartbeat t${m.term} commit=${m.commit}${ctx(m.context)}`;
    case 'heartbeat-response':
      return `heartbeat-response t${m.term}${ctx(m.context)}`;
    case 'snapshot':
      return `snapshot t${m.term} @${m.snapshot.meta.index}/${m.snapshot.meta.term} voters=${m.snapshot.meta.conf.voters.join(',')}`;
    case 'propose':
      return `propose t${m.term} n=${m.entries.length}`;
    case 'read-index':
      return `read-index t${m.term}${ctx(m.context)}`;
    case 'read-index-response':
      return `read-index-response t${m.term} index=${m.index}${ctx(m.context)}`;
    case 'timeout-now':
      return `timeout-now t${m.term}`;
  }
}
