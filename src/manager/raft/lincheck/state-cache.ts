// Lowe's cache of configurations already explored: (set of linearized
// operations, model state). Reaching one again cannot succeed where it failed
// before, so the search prunes it.

interface Configuration<S> {
  readonly linearized: Uint32Array;
  readonly state: S;
}

export class StateCache<S> {
  private readonly buckets = new Map<number, Configuration<S>[]>();
  private count = 0;

  constructor(private readonly equal: (a: S, b: S) => boolean) {}

  get size(): number {
    return this.count;
  }

  /**
   * Record (linearized, state) under `hash` unless already there; returns
   * whether it was added. `linearized` is copied, so the caller may mutate it.
   */
  maybeAdd(hash: number, linearized: Uint32Array, state: S): boolean {
    let bucket = this.buckets.get(hash);
    if (bucket === undefined) {
      bucket = [];
      this.buckets.set(hash, bucket);
    } else {
      for (const c of bucket) {
        if (sameBits(c.linearized, linearized) && this.equal(c.state, state)) return false;
      }
    }
    bucket.push({ linearized: linearized.slice(), state });
    this.count++;
    return true;
  }
}

function sameBits(a: Uint32Array, b: Uint32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
