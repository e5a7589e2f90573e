// `docker node inspect`: the node as moby's swarm.Node marshals it (field
// order and omitempty as in api/types/swarm/node.go), and the `--pretty`
// text of docker/cli cli/command/node/formatter.go nodeInspectPrettyTemplate
// (tabs and all: the pretty format is not a table, so no tabwriter runs).
import { bytesSize } from '../../api/format.js';
import type { Node } from '../../api/node.js';
import { nodeTlsInfo } from './node-rows.js';
import { goTimeString, prettyPrint } from './pretty-print.js';

type Json = Record<string, unknown>;

/** Go's omitempty: "", 0, false, undefined/null, and empty maps and slices are left out. */
function omitEmpty(fields: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined || v === null || v === '' || v === 0 || v === false) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out;
}

/** The JSON object `docker node inspect` prints for a node. */
export function nodeInspectView(node: Node): Json {
  const d = node.Description;
  const tls = nodeTlsInfo(node);
  return {
    ID: node.ID,
    Version: { Index: node.Version.Index },
    CreatedAt: node.CreatedAt,
    UpdatedAt: node.UpdatedAt,
    Spec: { ...omitEmpty({ Name: node.Spec.Name }), Labels: node.Spec.Labels, ...omitEmpty({ Role: node.Spec.Role, Availability: node.Spec.Availability }) },
    Description: {
      ...omitEmpty({ Hostname: d.Hostname }),
      Platform: omitEmpty({ Architecture: d.Platform.Architecture, OS: d.Platform.OS }),
      Resources: omitEmpty({ NanoCPUs: d.Resources.NanoCPUs, MemoryBytes: d.Resources.MemoryBytes }),
      Engine: omitEmpty({ EngineVersion: d.Engine.EngineVersion, Labels: d.Engine.Labels, Plugins: d.Engine.Plugins }),
      TLSInfo: omitEmpty({ TrustRoot: tls?.TrustRoot, CertIssuerSubject: tls?.CertIssuerSubject, CertIssuerPublicKey: tls?.CertIssuerPublicKey }),
    },
    Status: { State: node.Status.State, ...omitEmpty({ Message: node.Status.Message, Addr: node.Status.Addr }) },
    ...(node.ManagerStatus !== undefined
      ? { ManagerStatus: omitEmpty({ Leader: node.ManagerStatus.Leader, Reachability: node.ManagerStatus.Reachability, Addr: node.ManagerStatus.Addr }) }
      : {}),
  };
}

/** A Go template `range` over a map: keys in sorted order. */
function sortedEntries(map: Readonly<Record<string, string>>): [string, string][] {
  return Object.keys(map)
    .sort()
    .map((k) => [k, map[k] ?? '']);
}

function labelLines(labels: Readonly<Record<string, string>>): string[] {
  return sortedEntries(labels).map(([k, v]) => ` - ${k}${v !== '' ? `=${v}` : ''}`);
}

/** Plugin names by type, joined with ", " (nodeInspectContext.EnginePlugins). */
function pluginsByType(node: Node): Record<string, string> {
  const byType = new Map<string, string[]>();
  for (const p of node.Description.Engine.Plugins ?? []) byType.set(p.Type, [...(byType.get(p.Type) ?? []), p.Name]);
  const out: Record<string, string> = {};
  for (const [type, names] of byType) out[type] = names.join(', ');
  return out;
}

/** `docker node inspect --pretty` for one node, ending with a newline. */
export function prettyNode(node: Node): string {
  const d = node.Description;
  const lines = [`ID:\t\t\t${node.ID}`];
  if (node.Spec.Name !== undefined && node.Spec.Name !== '') lines.push(`Name:\t\t\t${node.Spec.Name}`);
  if (Object.keys(node.Spec.Labels).length > 0) lines.push('Labels:', ...labelLines(node.Spec.Labels));
  lines.push(`Hostname:              \t${d.Hostname}`, `Joined at:             \t${prettyPrint(goTimeString(node.CreatedAt))}`, 'Status:');
  lines.push(` State:\t\t\t${prettyPrint(node.Status.State)}`);
  if (node.Status.Message !== undefined && node.Status.Message !== '') lines.push(` Message:              \t${prettyPrint(node.Status.Message)}`);
  lines.push(` Availability:         \t${prettyPrint(node.Spec.Availability)}`);
  if (node.Status.Addr !== '') lines.push(` Address:\t\t${node.Status.Addr}`);
  const ms = node.ManagerStatus;
  if (ms !== undefined) {
    lines.push('Manager Status:', ` Address:\t\t${ms.Addr}`, ` Raft Status:\t\t${prettyPrint(ms.Reachability)}`, ` Leader:\t\t${ms.Leader === true ? 'Yes' : 'No'}`);
  }
  lines.push('Platform:', ` Operating System:\t${d.Platform.OS}`, ` Architecture:\t\t${d.Platform.Architecture}`);
  // int(NanoCPUs) / 1e9 in Go: integer division.
  const cpus = Math.trunc(d.Resources.NanoCPUs / 1e9);
  const memory = d.Resources.MemoryBytes === 0 ? '' : bytesSize(d.Resources.MemoryBytes);
  lines.push('Resources:', ` CPUs:\t\t\t${cpus}`, ` Memory:\t\t${memory}`);
  const plugins = sortedEntries(pluginsByType(node));
  if (plugins.length > 0) lines.push('Plugins:', ...plugins.map(([k, v]) => ` ${k}:${v !== '' ? `\t\t${v}` : ''}`));
  lines.push(`Engine Version:\t\t${d.Engine.EngineVersion}`);
  if (Object.keys(d.Engine.Labels).length > 0) lines.push('Engine Labels:', ...labelLines(d.Engine.Labels));
  const tls = nodeTlsInfo(node);
  if (tls !== undefined && (tls.TrustRoot !== '' || tls.CertIssuerSubject !== '' || tls.CertIssuerPublicKey !== '')) {
    // TrustRoot is PEM with its own final newline, so a blank line follows it, as in Docker.
    lines.push('TLS Info:', ' TrustRoot:', tls.TrustRoot, ` Issuer Subject:\t${tls.CertIssuerSubject}`, ` Issuer Public Key:\t${tls.CertIssuerPublicKey}`);
  }
  return `${lines.join('\n')}\n`;
}
