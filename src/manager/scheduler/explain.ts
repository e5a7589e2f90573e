// The scheduler's words, as swarmkit writes them, so `docker service ps`
// output reads the same:
// - each filter's Explain (manager/scheduler/filter.go), e.g.
//   "1 node not available for new tasks", "insufficient resources on 3 nodes";
// - the pipeline's Explain (pipeline.go): the failing filters, most failures
//   first, joined with "; ";
// - Status.Err of a task left pending (scheduler.go noSuitableNode):
//   "no suitable node (<explanation>)", or "no suitable node" when no node
//   failed a filter (an empty cluster);
// - Status.Message on assignment (scheduler.go): "scheduler assigned task to
//   node", or "scheduler confirmed task can run on preassigned node".
import { assertNever } from '../../api/errors.js';

export const FILTER_NAMES = ['ready', 'resources', 'constraints', 'platform', 'host-ports', 'max-replicas'] as const;
/** The filters in pipeline order (swarmkit defaultFilters, without plugins and CSI volumes). */
export type FilterName = (typeof FILTER_NAMES)[number];

export const ASSIGNED_MESSAGE = 'scheduler assigned task to node';
export const CONFIRMED_MESSAGE = 'scheduler confirmed task can run on preassigned node';
export const NO_SUITABLE_NODE = 'no suitable node';

function nodes(n: number): string {
  return n === 1 ? '1 node' : `${n} nodes`;
}

/** swarmkit's Filter.Explain(nodes) for each filter. */
export function explainFilter(name: FilterName, count: number): string {
  switch (name) {
    case 'ready':
      return `${nodes(count)} not available for new tasks`;
    case 'resources':
      return `insufficient resources on ${nodes(count)}`;
    case 'constraints':
      return `scheduling constraints not satisfied on ${nodes(count)}`;
    case 'platform':
      return `unsupported platform on ${nodes(count)}`;
    case 'host-ports':
      return `host-mode port already in use on ${nodes(count)}`;
    case 'max-replicas':
      // swarmkit's MaxReplicasFilter says this, without a count.
      return 'max replicas per node limit exceed';
    default:
      return assertNever(name, 'filter');
  }
}

export interface Rejection {
  readonly Filter: FilterName;
  readonly Nodes: number;
}

/**
 * Rejections with at least one node, most first; equal counts keep pipeline
 * order (swarmkit sorts with an unstable sort, so its order for ties varies).
 */
export function sortRejections(counts: ReadonlyMap<FilterName, number>): Rejection[] {
  const out: Rejection[] = [];
  for (const name of FILTER_NAMES) {
    const n = counts.get(name) ?? 0;
    if (n > 0) out.push({ Filter: name, Nodes: n });
  }
  return out.sort((a, b) => b.Nodes - a.Nodes);
}

/** swarmkit Pipeline.Explain. */
export function explainRejections(rejections: readonly Rejection[]): string {
  return rejections.map((r) => explainFilter(r.Filter, r.Nodes)).join('; ');
}

/** Status.Err of a task no node can take. */
export function noSuitableNode(explanation: string): string {
  return explanation === '' ? NO_SUITABLE_NODE : `${NO_SUITABLE_NODE} (${explanation})`;
}
