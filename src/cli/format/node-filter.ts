// `-f/--filter key=value` for `node ls`, as docker's daemon and swarmkit's
// ListNodes apply them (moby daemon/cluster/filters.go
// newListNodesFilters, swarmkit controlapi/node.go): keys id (prefix), name
// (hostname prefix), label (engine labels), node.label (node labels), role,
// membership. Values of one key are alternatives; different keys must all match.
import { ShoalError } from '../../api/errors.js';
import type { Node } from '../../api/node.js';
import { flagArgumentError } from '../../api/units.js';
import { UsageError } from '../framework/flags.js';

export type FilterArgs = ReadonlyMap<string, readonly string[]>;

/** opts.FilterOpt.Set for each `-f` value: `name=value`, name lower-cased, both trimmed. */
export function parseFilters(values: readonly string[], flag = '-f, --filter'): FilterArgs {
  const out = new Map<string, string[]>();
  for (const value of values) {
    if (value === '') continue;
    const eq = value.indexOf('=');
    if (eq < 0) throw new UsageError(flagArgumentError(flag, value, 'bad format of filter (expected name=value)'));
    const name = value.slice(0, eq).trim().toLowerCase();
    const v = value.slice(eq + 1).trim();
    const list = out.get(name) ?? [];
    if (!list.includes(v)) list.push(v);
    out.set(name, list);
  }
  return out;
}

/** filters.Args.Validate: the daemon's words for a key it does not know. */
export function checkFilterKeys(filters: FilterArgs, accepted: readonly string[]): void {
  for (const key of filters.keys()) {
    if (!accepted.includes(key)) throw new ShoalError('InvalidArgument', `invalid filter '${key}'`);
  }
}

/** opts.ConvertKVStringsToMap: "k=v" -> k: v, "k" -> k: "". */
export function kvMap(values: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const kv of values) {
    const eq = kv.indexOf('=');
    if (eq < 0) out.set(kv, '');
    else out.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  return out;
}

/** swarmkit filterMatchLabels: every wanted key present, and equal when a value is given. */
export function matchLabels(labels: Readonly<Record<string, string>>, wanted: ReadonlyMap<string, string>): boolean {
  for (const [k, v] of wanted) {
    const have = labels[k];
    if (have === undefined) return false;
    if (v !== '' && v !== have) return false;
  }
  return true;
}

function prefixOf(text: string, prefixes: readonly string[] | undefined): boolean {
  return prefixes === undefined || prefixes.length === 0 || prefixes.some((p) => text.startsWith(p));
}

/** The accepted values of an enum filter; "" is ignored, anything else refused in the daemon's words. */
function enumValues(filters: FilterArgs, key: string, allowed: readonly string[], what: string): string[] | undefined {
  const values = filters.get(key);
  if (values === undefined) return undefined;
  const out: string[] = [];
  for (const v of values) {
    const lower = v.toLowerCase();
    if (allowed.includes(lower)) out.push(lower);
    else if (v !== '') throw new ShoalError('InvalidArgument', `Invalid ${what} filter: '${v}'`);
  }
  return out;
}

export const NODE_FILTER_KEYS = ['name', 'id', 'label', 'role', 'membership', 'node.label'] as const;

/** The nodes that pass every filter. Throws the daemon's error for an unknown key or value. */
export function filterNodes(nodes: readonly Node[], filters: FilterArgs): Node[] {
  checkFilterKeys(filters, NODE_FILTER_KEYS);
  const roles = enumValues(filters, 'role', ['manager', 'worker'], 'role');
  // shoal admits nodes only with a valid join token, so every node is "accepted".
  const memberships = enumValues(filters, 'membership', ['accepted', 'pending'], 'membership');
  const engineLabels = kvMap(filters.get('label') ?? []);
  const nodeLabels = kvMap(filters.get('node.label') ?? []);
  return nodes.filter(
    (n) =>
      prefixOf(n.Description.Hostname, filters.get('name')) &&
      prefixOf(n.ID, filters.get('id')) &&
      matchLabels(n.Description.Engine.Labels, engineLabels) &&
      matchLabels(n.Spec.Labels, nodeLabels) &&
      (roles === undefined || roles.length === 0 || roles.includes(n.Spec.Role)) &&
      (memberships === undefined || memberships.length === 0 || memberships.includes('accepted')),
  );
}
