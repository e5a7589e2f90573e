// Placement preferences as a decision tree (swarmkit nodeset.go `tree` and
// scheduler.go scheduleNTasksOnSubtree). `--placement-pref
// spread=node.labels.zone --placement-pref spread=node.labels.rack` splits
// the nodes by zone, each zone by rack; tasks are spread evenly across the
// zones, then across the racks of each zone, then across the nodes of a rack.
//
// Every branch counts the service's active tasks on all its nodes, feasible
// or not, as swarmkit does: evenness is about where the service runs, not
// where it could run. A node without the label sits under the value "".
// Only node.labels.* and engine.labels.* descriptors split; others are
// ignored, as in swarmkit.
import type { PlacementPreference } from '../../api/task-spec.js';
import { NodeHeap, type Candidate } from './node-heap.js';
import type { NodeInfo } from './node-info.js';

export interface Branch {
  /** Active tasks of the service under this branch; grows as tasks are placed. */
  tasks: number;
  /** Sub-branches by label value, or null at a leaf. */
  readonly children: Map<string, Branch> | null;
  /** At a leaf: the nodes that pass the pipeline. */
  readonly candidates: Candidate[];
  heap: NodeHeap | null;
}

export type SpreadKey = { readonly kind: 'node' | 'engine'; readonly label: string };

const NODE_PREFIX = 'node.labels.';
const ENGINE_PREFIX = 'engine.labels.';

/** The label a spread descriptor names, or undefined when swarmkit would ignore it. */
export function spreadKey(descriptor: string): SpreadKey | undefined {
  const lower = descriptor.toLowerCase();
  if (descriptor.length > NODE_PREFIX.length && lower.startsWith(NODE_PREFIX)) return { kind: 'node', label: descriptor.slice(NODE_PREFIX.length) };
  if (descriptor.length > ENGINE_PREFIX.length && lower.startsWith(ENGINE_PREFIX)) return { kind: 'engine', label: descriptor.slice(ENGINE_PREFIX.length) };
  return undefined;
}

export function spreadKeys(preferences: readonly PlacementPreference[]): SpreadKey[] {
  const out: SpreadKey[] = [];
  for (const p of preferences) {
    const k = spreadKey(p.Spread.SpreadDescriptor);
    if (k !== undefined) out.push(k);
  }
  return out;
}

function newBranch(leaf: boolean): Branch {
  return { tasks: 0, children: leaf ? null : new Map(), candidates: [], heap: null };
}

/**
 * The tree for one group. `candidate` returns the node's heap entry when the
 * node passes the group's filters, undefined otherwise.
 */
export function buildTree(nodes: readonly NodeInfo[], serviceId: string, keys: readonly SpreadKey[], candidate: (n: NodeInfo) => Candidate | undefined): Branch {
  const root = newBranch(keys.length === 0);
  for (const n of nodes) {
    const count = n.activeOf(serviceId);
    let branch = root;
    for (let level = 0; level < keys.length; level++) {
      const key = keys[level] as SpreadKey;
      branch.tasks += count;
      const labels = key.kind === 'node' ? n.node.Spec.Labels : n.node.Description.Engine.Labels;
      const value = labels[key.label] ?? '';
      const children = branch.children as Map<string, Branch>;
      let next = children.get(value);
      if (next === undefined) {
        next = newBranch(level === keys.length - 1);
        children.set(value, next);
      }
      branch = next;
    }
    branch.tasks += count;
    const c = candidate(n);
    if (c !== undefined) branch.candidates.push(c);
  }
  return root;
}

/**
 * Shares of `n` new tasks for branches that hold `counts` tasks, making them
 * as even as possible: the emptiest are raised to a common level, and what
 * is left goes one each to the branches at that level, earliest first.
 * Invariant: the shares sum to n, and afterwards no two branches that got
 * a share differ by more than one.
 */
export function waterFill(counts: readonly number[], n: number): number[] {
  const shares = counts.map(() => 0);
  if (n <= 0 || counts.length === 0) return shares;
  const at = (i: number): number => counts[i] as number;
  const order = counts.map((_, i) => i).sort((a, b) => at(a) - at(b) || a - b);
  let pool = 1;
  let level = at(order[0] as number);
  let remaining = n;
  for (;;) {
    while (pool < order.length && at(order[pool] as number) <= level) pool++;
    const nextLevel = pool < order.length ? at(order[pool] as number) : Infinity;
    const cost = (nextLevel - level) * pool;
    if (cost <= remaining) {
      remaining -= cost;
      level = nextLevel;
      continue;
    }
    const up = Math.floor(remaining / pool);
    level += up;
    remaining -= up * pool;
    break;
  }
  const members = order.slice(0, pool).sort((a, b) => a - b);
  for (const i of members) shares[i] = level - at(i);
  // remaining < pool: one more each for the earliest branches.
  for (let j = 0; j < remaining; j++) {
    const m = members[j] as number;
    shares[m] = (shares[m] as number) + 1;
  }
  return shares;
}

/**
 * Place up to `n` tasks under `branch`; returns how many were placed. `place`
 * puts one task on the candidate and says whether the node takes more.
 * A branch that places fewer than its share is full, and the rest is spread
 * over the others.
 */
export function distribute(branch: Branch, n: number, place: (c: Candidate) => boolean): number {
  if (n <= 0) return 0;
  let placed = 0;
  if (branch.children === null) {
    const heap = (branch.heap ??= new NodeHeap(branch.candidates));
    while (placed < n) {
      const top = heap.top();
      if (top === undefined) break;
      placed++;
      if (place(top)) heap.fixTop();
      else heap.popTop();
    }
  } else {
    let usable = [...branch.children.values()];
    while (placed < n && usable.length > 0) {
      const shares = waterFill(
        usable.map((b) => b.tasks),
        n - placed,
      );
      const open: Branch[] = [];
      for (let i = 0; i < usable.length; i++) {
        const sub = usable[i] as Branch;
        const share = shares[i] as number;
        const got = distribute(sub, share, place);
        placed += got;
        if (got === share) open.push(sub);
      }
      usable = open;
    }
  }
  branch.tasks += placed;
  return placed;
}
