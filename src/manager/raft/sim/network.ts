// The simulated network between members: per-message loss, duplication and
// delay (a slow message is overtaken by later ones: reordering; a few arrive
// terms later), and partitions as a set of cut directed links, so a cut may
// be asymmetric (A hears B while B does not hear A). A link is checked when a
// message would arrive: a partition also drops what was in flight.
import type { MemberId } from '../types.js';
import type { Rng } from './rng.js';

export interface LinkFaults {
  readonly loss: number;
  readonly duplicate: number;
  readonly slow: number;
}

export const NO_FAULTS: LinkFaults = { loss: 0, duplicate: 0, slow: 0 };

export type Fate = { readonly kind: 'lost' } | { readonly kind: 'sent'; readonly delays: readonly number[] };

export class Network {
  faults: LinkFaults = NO_FAULTS;
  private readonly cut = new Set<string>();
  /** A short description of the current partition, for the trace. */
  description = 'none';

  constructor(private readonly rng: Rng) {}

  /** What happens to one message put on the wire: lost, or arriving after each delay (two on duplication). */
  fate(): Fate {
    const f = this.faults;
    if (this.rng.chance(f.loss)) return { kind: 'lost' };
    const delays = [this.delay()];
    if (this.rng.chance(f.duplicate)) delays.push(this.delay());
    return { kind: 'sent', delays };
  }

  private delay(): number {
    if (!this.rng.chance(this.faults.slow)) return this.rng.int(1, 8);
    // Now and then a message arrives terms later, to test that stale ones are harmless.
    return this.rng.chance(0.1) ? this.rng.int(300, 1500) : this.rng.int(20, 150);
  }

  blocked(from: MemberId, to: MemberId): boolean {
    return this.cut.size > 0 && this.cut.has(`${from}>${to}`);
  }

  get partitioned(): boolean {
    return this.cut.size > 0;
  }

  /** Cuts every listed directed link (from -> to). */
  partition(links: readonly (readonly [MemberId, MemberId])[], description: string): void {
    for (const [a, b] of links) this.cut.add(`${a}>${b}`);
    this.description = description;
  }

  heal(): void {
    this.cut.clear();
    this.description = 'none';
  }
}

export type PartitionKind = 'isolate' | 'split' | 'one-way-out' | 'one-way-in' | 'bridge' | 'random-links';

export const PARTITION_KINDS: readonly PartitionKind[] = ['isolate', 'split', 'one-way-out', 'one-way-in', 'bridge', 'random-links'];

/** The links a partition of `kind` cuts among `ids`, and its description. */
export function planPartition(
  kind: PartitionKind,
  ids: readonly MemberId[],
  rng: Rng,
): { readonly links: (readonly [MemberId, MemberId])[]; readonly description: string } {
  const links: (readonly [MemberId, MemberId])[] = [];
  const both = (a: readonly MemberId[], b: readonly MemberId[]): void => {
    for (const x of a) for (const y of b) links.push([x, y], [y, x]);
  };
  const shuffled = [...ids];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const a = shuffled[i];
    const b = shuffled[j];
    if (a !== undefined && b !== undefined) {
      shuffled[i] = b;
      shuffled[j] = a;
    }
  }
  const one = shuffled[0];
  if (one === undefined) return { links, description: 'none' };
  const rest = shuffled.slice(1);
  switch (kind) {
    case 'isolate':
      both([one], rest);
      return { links, description: `isolate ${one}` };
    case 'split': {
      const k = rng.int(1, Math.max(1, Math.floor(ids.length / 2)));
      const a = shuffled.slice(0, k);
      const b = shuffled.slice(k);
      both(a, b);
      return { links, description: `split ${a.join(',')} | ${b.join(',')}` };
    }
    case 'one-way-out':
      for (const y of rest) links.push([one, y]);
      return { links, description: `nobody hears ${one} (it hears all)` };
    case 'one-way-in':
      for (const y of rest) links.push([y, one]);
      return { links, description: `${one} hears nobody (all hear it)` };
    case 'bridge': {
      // `one` talks to both halves; the halves cannot talk to each other.
      const half = Math.ceil(rest.length / 2);
      const a = rest.slice(0, half);
      const b = rest.slice(half);
      both(a, b);
      return { links, description: `bridge ${one} between ${a.join(',')} | ${b.join(',')}` };
    }
    case 'random-links': {
      const cut: string[] = [];
      for (const x of ids) {
        for (const y of ids) {
          if (x !== y && rng.chance(0.3)) {
            links.push([x, y]);
            cut.push(`${x}>${y}`);
          }
        }
      }
      return { links, description: `cut ${cut.join(' ') || 'nothing'}` };
    }
  }
}
