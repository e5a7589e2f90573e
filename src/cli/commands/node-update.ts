// `shoal node update|promote|demote` (docker/cli cli/command/node/update.go,
// promote.go, demote.go): read each node, change its spec, write it back
// at the version read. The first failure stops the command.
import { ControlContract } from '../../api/contracts/control.js';
import { ShoalError } from '../../api/errors.js';
import type { Node, NodeSpec } from '../../api/node.js';
import type { RunContext } from '../framework/command.js';
import type { Command } from '../framework/command.js';
import type { Flags } from '../framework/flags.js';
import type { Global } from '../global.js';
import { kvMap } from '../format/node-filter.js';

/** A merge that finds nothing to change (the role is already the one asked for). */
const NO_CHANGE = 'no-change';
type Merge = (node: Node) => NodeSpec | typeof NO_CHANGE;

async function updateNodes(ctx: RunContext<Global>, refs: readonly string[], merge: Merge, success: (ref: string) => void): Promise<void> {
  const client = ctx.global.client();
  for (const ref of refs) {
    const node = await client.call(ControlContract, 'getNode', { ref });
    const spec = merge(node);
    if (spec === NO_CHANGE) continue;
    await client.call(ControlContract, 'updateNode', { ref: node.ID, version: node.Version.Index, spec });
    success(ref);
  }
}

const ROLES = ['worker', 'manager'] as const;
const AVAILABILITIES = ['active', 'pause', 'drain'] as const;

/**
 * Docker's daemon takes role and availability in any case and refuses other
 * words with these messages (moby daemon/cluster/convert/node.go).
 */
function enumFlag<T extends string>(flags: Flags, name: string, allowed: readonly T[], field: string): T | undefined {
  const text = flags.string(name);
  if (text === undefined) return undefined;
  const found = allowed.find((a) => a === text.toLowerCase());
  if (found === undefined) throw new ShoalError('InvalidArgument', `invalid ${field}: ${JSON.stringify(text)}`);
  return found;
}

/** mergeNodeUpdate: role, availability, then labels added and removed. */
export function mergeNodeUpdate(flags: Flags): Merge {
  const role = enumFlag(flags, 'role', ROLES, 'Role');
  const availability = enumFlag(flags, 'availability', AVAILABILITIES, 'Availability');
  const add = kvMap(flags.list('label-add'));
  const remove = flags.list('label-rm');
  return (node) => {
    const labels: Record<string, string> = { ...node.Spec.Labels };
    for (const [k, v] of add) labels[k] = v;
    for (const k of remove) {
      if (!(k in labels)) throw new ShoalError('NotFound', `key ${k} doesn't exist in node's labels`, 'local');
      delete labels[k];
    }
    return { ...node.Spec, Labels: labels, ...(role !== undefined ? { Role: role } : {}), ...(availability !== undefined ? { Availability: availability } : {}) };
  };
}

export const nodeUpdateCommand: Command<Global> = {
  name: 'update',
  usage: '[OPTIONS] NODE',
  short: 'Update a node',
  args: { kind: 'exact', n: 1 },
  flags: [
    { name: 'availability', kind: 'string', valueName: 'string', usage: 'Availability of the node ("active", "pause", "drain")' },
    { name: 'label-add', kind: 'list', valueName: 'list', usage: 'Add or update a node label ("key=value")' },
    { name: 'label-rm', kind: 'list', valueName: 'list', usage: 'Remove a node label if exists' },
    { name: 'role', kind: 'string', valueName: 'string', usage: 'Role of the node ("worker", "manager")' },
  ],
  run: async (ctx) => {
    const ref = ctx.args[0] ?? '';
    await updateNodes(ctx, [ref], mergeNodeUpdate(ctx.flags), () => ctx.io.out.write(`${ref}\n`));
  },
};

export const nodePromoteCommand: Command<Global> = {
  name: 'promote',
  usage: 'NODE [NODE...]',
  short: 'Promote one or more nodes to manager in the swarm',
  args: { kind: 'min', n: 1 },
  run: async (ctx) => {
    const promote: Merge = (node) => {
      if (node.Spec.Role === 'manager') {
        ctx.io.out.write(`Node ${node.ID} is already a manager.\n`);
        return NO_CHANGE;
      }
      return { ...node.Spec, Role: 'manager' };
    };
    await updateNodes(ctx, ctx.args, promote, (ref) => ctx.io.out.write(`Node ${ref} promoted to a manager in the swarm.\n`));
  },
};

export const nodeDemoteCommand: Command<Global> = {
  name: 'demote',
  usage: 'NODE [NODE...]',
  short: 'Demote one or more nodes from manager in the swarm',
  args: { kind: 'min', n: 1 },
  run: async (ctx) => {
    const demote: Merge = (node) => {
      if (node.Spec.Role === 'worker') {
        ctx.io.out.write(`Node ${node.ID} is already a worker.\n`);
        return NO_CHANGE;
      }
      return { ...node.Spec, Role: 'worker' };
    };
    await updateNodes(ctx, ctx.args, demote, (ref) => ctx.io.out.write(`Manager ${ref} demoted in the swarm.\n`));
  },
};
