// `docker node ls` rows (docker/cli cli/command/node/formatter.go): the
// default table `{{.ID}} {{if .Self}}*{{else}} {{end}}\t{{.Hostname}}\t
// {{.Status}}\t{{.Availability}}\t{{.ManagerStatus}}\t{{.EngineVersion}}`,
// and the fields `{{json .}}` prints. Rows are sorted by hostname with
// sortorder.NaturalLess, as `node ls` sorts them.
import type { TLSInfo } from '../../api/cluster.js';
import type { Node, NodeDescription } from '../../api/node.js';
import { formatTable } from '../framework/table.js';
import type { ListLayout } from './list-output.js';
import { naturalCompare } from './natural-sort.js';
import { prettyPrint } from './pretty-print.js';

export interface NodeRow {
  readonly ID: string;
  readonly Self: boolean;
  readonly Hostname: string;
  readonly Status: string;
  readonly Availability: string;
  readonly ManagerStatus: string;
  readonly EngineVersion: string;
  readonly TLSStatus: string;
}

/**
 * The node's certificate issuer as its agent reports it (moby
 * NodeDescription.TLSInfo). shoal's Node does not carry it yet; when it
 * does, TLS STATUS and `inspect --pretty` show it.
 */
export function nodeTlsInfo(node: Node): TLSInfo | undefined {
  const description: NodeDescription & { readonly TLSInfo?: TLSInfo } = node.Description;
  return description.TLSInfo;
}

function isEmptyTls(tls: TLSInfo | undefined): boolean {
  return tls === undefined || (tls.TrustRoot === '' && tls.CertIssuerSubject === '' && tls.CertIssuerPublicKey === '');
}

/** TLS STATUS: Ready when the node's issuer is the cluster's, Needs Rotation when not, Unknown without both. */
export function tlsStatus(node: Node, clusterTls: TLSInfo | undefined): string {
  const own = nodeTlsInfo(node);
  if (isEmptyTls(clusterTls) || isEmptyTls(own) || own === undefined || clusterTls === undefined) return 'Unknown';
  const same = own.TrustRoot === clusterTls.TrustRoot && own.CertIssuerSubject === clusterTls.CertIssuerSubject && own.CertIssuerPublicKey === clusterTls.CertIssuerPublicKey;
  return same ? 'Ready' : 'Needs Rotation';
}

/** MANAGER STATUS: "Leader", the reachability pretty-printed, or "" for a worker. */
export function managerStatusColumn(node: Node): string {
  const ms = node.ManagerStatus;
  if (ms === undefined) return '';
  return prettyPrint(ms.Leader === true ? 'Leader' : ms.Reachability);
}

export function nodeRow(node: Node, selfId: string, clusterTls?: TLSInfo): NodeRow {
  return {
    ID: node.ID,
    Self: node.ID === selfId,
    Hostname: node.Description.Hostname,
    Status: prettyPrint(node.Status.State),
    Availability: prettyPrint(node.Spec.Availability),
    ManagerStatus: managerStatusColumn(node),
    EngineVersion: node.Description.Engine.EngineVersion,
    TLSStatus: tlsStatus(node, clusterTls),
  };
}

/** `node ls` order: hostnames in natural order; equal hostnames keep the manager's order. */
export function sortNodes(nodes: readonly Node[]): Node[] {
  return [...nodes].sort((a, b) => naturalCompare(a.Description.Hostname, b.Description.Hostname));
}

export const NODE_HEADERS: Readonly<Record<string, string>> = {
  ID: 'ID',
  Self: '',
  Hostname: 'HOSTNAME',
  Status: 'STATUS',
  Availability: 'AVAILABILITY',
  ManagerStatus: 'MANAGER STATUS',
  EngineVersion: 'ENGINE VERSION',
  TLSStatus: 'TLS STATUS',
};

export function nodeTable(rows: readonly NodeRow[]): string {
  // The header runs the same template: `{{.ID}} {{if .Self}}...` gives "ID" + " " + " ".
  return formatTable(
    ['ID  ', 'HOSTNAME', 'STATUS', 'AVAILABILITY', 'MANAGER STATUS', 'ENGINE VERSION'],
    rows.map((r) => [`${r.ID} ${r.Self ? '*' : ' '}`, r.Hostname, r.Status, r.Availability, r.ManagerStatus, r.EngineVersion]),
  );
}

export const NODE_LIST_LAYOUT: ListLayout<NodeRow> = { headers: NODE_HEADERS, table: nodeTable, id: (r) => r.ID };
