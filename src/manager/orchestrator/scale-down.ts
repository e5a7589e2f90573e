// Which replicas go when a service scales down (swarmkit
// replicated/services.go reconcile, slotsByRunningState + slotsByIndex):
// first tasks no node holds yet, then tasks that are not running, then,
// to leave the rest balanced, tasks from the spread-preference group and
// the node holding the most replicas; the highest slot number breaks ties.
// swarmkit balances by node only; shoal also honours the service's
// `--placement-pref spread=` levels, outermost first, the mirror of how the
// scheduler spreads (so scaling down does not undo the spread).
import type { NodeId } from '../../api/ids.js';
import type { Node } from '../../api/node.js';
import type { PlacementPreference } from '../../api/task-spec.js';

export interface ScaleDownCandidate {
  readonly slot: number;
  /** The node its task is on, if any. */
  readonly nodeId?: NodeId;
  /** Observed running. */
  readonly running: boolean;
}

/** The value a spread descriptor (`node.labels.zone`, `engine.labels.az`) reads on a node; "" when absent. */
export function spreadValue(descriptor: string, node: Node | undefined): string {
  if (node === undefined) return '';
  const d = descriptor.trim();
  const lower = d.toLowerCase();
  if (lower.startsWith('node.labels.')) return node.Spec.Labels[d.slice('node.labels.'.length)] ?? '';
  if (lower.startsWith('engine.labels.')) return node.Description.Engine.Labels[d.slice('engine.labels.'.length)] ?? '';
  return '';
}

/** The slots to remove, `count` of them, in removal order. Deterministic for a given input. */
export function chooseSlotsToRemove(
  candidates: readonly ScaleDownCandidate[],
  count: number,
  prefs: readonly PlacementPreference[],
  nodeOf: (id: NodeId) => Node | undefined,
): number[] {
  if (count <= 0) return [];
  // The group path of a candidate at each preference level: "a", "a/b", ...
  const paths = new Map<number, string[]>();
  const groupCounts = prefs.map(() => new Map<string, number>());
  const nodeCounts = new Map<string, number>();
  for (const c of candidates) {
    if (c.nodeId === undefined) continue;
    const node = nodeOf(c.nodeId);
    const path: string[] = [];
    let prefix = '';
    for (const [i, pref] of prefs.entries()) {
      prefix = `${prefix}/${spreadValue(pref.Spread.SpreadDescriptor, node)}`;
      path.push(prefix);
      const m = groupCounts[i];
      if (m !== undefined) m.set(prefix, (m.get(prefix) ?? 0) + 1);
    }
    paths.set(c.slot, path);
    nodeCounts.set(c.nodeId, (nodeCounts.get(c.nodeId) ?? 0) + 1);
  }
  const key = (c: ScaleDownCandidate): number[] => {
    if (c.nodeId === undefined) return [1, c.running ? 0 : 1, ...prefs.map(() => 0), 0, c.slot];
    const path = paths.get(c.slot) ?? [];
    return [0, c.running ? 0 : 1, ...path.map((p, i) => groupCounts[i]?.get(p) ?? 0), nodeCounts.get(c.nodeId) ?? 0, c.slot];
  };
  const remaining = [...candidates];
  const chosen: number[] = [];
  while (chosen.length < count && remaining.length > 0) {
    let best = 0;
    let bestKey = key(remaining[0] as ScaleDownCandidate);
    for (let i = 1; i < remaining.length; i++) {
      const k = key(remaining[i] as ScaleDownCandidate);
      if (compareKeys(k, bestKey) > 0) {
        best = i;
        bestKey = k;
      }
    }
    const [c] = remaining.splice(best, 1);
    if (c === undefined) break;
    chosen.push(c.slot);
    if (c.nodeId !== undefined) {
      nodeCounts.set(c.nodeId, (nodeCounts.get(c.nodeId) ?? 1) - 1);
      for (const [i, p] of (paths.get(c.slot) ?? []).entries()) groupCounts[i]?.set(p, (groupCounts[i]?.get(p) ?? 1) - 1);
    }
  }
  return chosen;
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
