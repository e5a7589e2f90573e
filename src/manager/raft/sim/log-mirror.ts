// What a simulated member's storage holds, as the sim driver wrote it: the
// snapshot's (index, term) and the term of every entry after it. Built from
// the SaveBatches the driver issues (the same rules as the storages), reset
// from disk on restart. The safety monitor reads it; the core is never
// looked into.
import type { Entry, SnapshotMeta } from '../types.js';
import { planSnapshot } from '../storage/log-rules.js';

export class LogMirror {
  private base = 0;
  private baseTerm = 0;
  /** terms[k] is the term of the entry at base + 1 + k. */
  private terms: number[] = [];

  get snapshotIndex(): number {
    return this.base;
  }

  lastIndex(): number {
    return this.base + this.terms.length;
  }

  /** The term at `i`; undefined when before the snapshot or past the end. */
  term(i: number): number | undefined {
    if (i === this.base) return this.baseTerm;
    if (i < this.base) return undefined;
    return this.terms[i - this.base - 1];
  }

  /** Install a snapshot the way storage does (keep the suffix if the log holds its last entry). */
  storeSnapshot(meta: SnapshotMeta): void {
    const plan = planSnapshot(this.base === 0 && this.baseTerm === 0 ? null : this.base, this.term(meta.index), meta);
    if (plan === 'ignore') return;
    this.terms = plan === 'keep-suffix' ? this.terms.slice(meta.index - this.base) : [];
    this.base = meta.index;
    this.baseTerm = meta.term;
  }

  /**
   * Store one entry (the caller goes through a batch in order). Returns the
   * term of the entry before it, or an error when it would leave a gap.
   */
  storeEntry(e: Entry): { readonly prevTerm: number | undefined } | { readonly gapAfter: number } {
    if (e.index <= this.base) return { prevTerm: undefined };
    const last = this.lastIndex();
    if (e.index > last + 1) return { gapAfter: last };
    const prevTerm = this.term(e.index - 1);
    this.terms.length = e.index - this.base - 1;
    this.terms.push(e.term);
    return { prevTerm };
  }

  copy(): LogMirror {
    const c = new LogMirror();
    c.base = this.base;
    c.baseTerm = this.baseTerm;
    c.terms = [...this.terms];
    return c;
  }
}
