// How the daemon finds an object named on the command line (moby
// daemon/cluster/helpers.go getNode/getService): the full id, then an exact
// name, then a unique id prefix, with the daemon's words when none or
// several match.
import { ShoalError } from '../../src/api/errors.js';

export function resolveRef<T extends { readonly ID: string }>(kind: string, ref: string, objects: readonly T[], names: (o: T) => readonly string[]): T {
  const byId = objects.find((o) => o.ID === ref);
  if (byId !== undefined) return byId;
  let matches = objects.filter((o) => names(o).includes(ref));
  if (matches.length === 0) matches = objects.filter((o) => o.ID.startsWith(ref));
  if (matches.length === 0) throw new ShoalError('NotFound', `${kind} ${ref} not found`);
  if (matches.length > 1) throw new ShoalError('InvalidArgument', `${kind} ${ref} is ambiguous (${matches.length} matches found)`);
  return matches[0] as T;
}
