// A task template's filters run against nodes (swarmkit
// manager/scheduler/pipeline.go). The first failing filter is the reason a
// node is rejected; counting reasons over all nodes gives the explanation a
// pending task carries.
import { sortRejections, type FilterName, type Rejection } from './explain.js';
import type { Filter } from './filters.js';
import type { NodeInfo } from './node-info.js';

export class Pipeline {
  private readonly dynamic: readonly Filter[];

  constructor(readonly filters: readonly Filter[]) {
    this.dynamic = filters.filter((f) => f.dynamic);
  }

  /** The first filter, in pipeline order, that rejects the node; undefined when it passes all. */
  firstRejection(node: NodeInfo): FilterName | undefined {
    for (const f of this.filters) if (!f.check(node)) return f.name;
    return undefined;
  }

  passes(node: NodeInfo): boolean {
    return this.firstRejection(node) === undefined;
  }

  /** After a task of the group was added to a node that passed: does it still take another? */
  passesDynamic(node: NodeInfo): boolean {
    for (const f of this.dynamic) if (!f.check(node)) return false;
    return true;
  }

  /** Why each node rejects the template now: one reason per node, most frequent first. */
  rejections(nodes: readonly NodeInfo[]): Rejection[] {
    const counts = new Map<FilterName, number>();
    for (const n of nodes) {
      const name = this.firstRejection(n);
      if (name !== undefined) counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    return sortRejections(counts);
  }
}
