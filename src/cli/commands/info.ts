// `shoal info` and `shoal version` (docker/cli cli/command/system/info.go,
// version.go): the daemon's swarm section in docker info's layout, with the
// cluster details a manager adds, and the client's and daemon's versions.
import { readFileSync } from 'node:fs';
import { humanDuration } from '../../api/format.js';
import { ControlContract } from '../../api/contracts/control.js';
import { DaemonContract, type DaemonInfo } from '../../api/contracts/daemon.js';
import { clusterInfoView, type Cluster } from '../../api/cluster.js';
import { isShoalError } from '../../api/errors.js';
import type { Command, Io } from '../framework/command.js';
import { ExitError } from '../framework/command.js';
import type { Global } from '../global.js';
import type { RpcClient } from '../../net/rpc/index.js';
import { errorLine } from '../format/error-lines.js';
import { goJson } from '../format/go-json.js';
import { parseTemplate, renderTemplate } from '../format/go-template.js';

/** The client's version, from package.json. */
export function clientVersion(): string {
  try {
    const pkg: unknown = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
    const v = typeof pkg === 'object' && pkg !== null ? (pkg as Record<string, unknown>)['version'] : undefined;
    return typeof v === 'string' ? v : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Go's GOARCH names for Node's process.arch. */
function goArch(arch: string): string {
  return ({ x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[arch] ?? arch;
}

/** What a manager adds to info (the daemon fills these in Docker): the cluster, and node counts. */
export interface SwarmDetails {
  readonly cluster: Cluster;
  readonly managers: number;
  readonly nodes: number;
}

export type ClusterView = { readonly ok: true; readonly details: SwarmDetails } | { readonly ok: false; readonly error: string };

async function clusterView(client: RpcClient, host: string): Promise<ClusterView> {
  try {
    const [cluster, { nodes }] = await Promise.all([client.call(ControlContract, 'getCluster', {}), client.call(ControlContract, 'listNodes', {})]);
    return { ok: true, details: { cluster, managers: nodes.filter((n) => n.ManagerStatus !== undefined).length, nodes: nodes.length } };
  } catch (err) {
    // The daemon puts such a failure in Swarm.Error; printing it there keeps the rest of info useful.
    return { ok: false, error: isShoalError(err) ? err.message : errorLine(err, host) };
  }
}

/** printSwarmInfo. */
export function swarmInfoLines(info: DaemonInfo, view: ClusterView | undefined): string[] {
  const sw = info.Swarm;
  const lines = [` Swarm: ${sw.LocalNodeState}`];
  if (sw.LocalNodeState === 'inactive' || sw.LocalNodeState === 'locked') return lines;
  lines.push(`  NodeID: ${sw.NodeID}`);
  const error = sw.Error !== '' ? sw.Error : view !== undefined && !view.ok ? view.error : '';
  if (error !== '') lines.push(`  Error: ${error}`);
  lines.push(`  Is Manager: ${sw.ControlAvailable}`);
  if (view !== undefined && view.ok && sw.ControlAvailable && error === '' && sw.LocalNodeState !== 'error') {
    const { cluster: c, managers, nodes } = view.details;
    const spec = c.Spec;
    lines.push(`  ClusterID: ${c.ID}`, `  Managers: ${managers}`, `  Nodes: ${nodes}`);
    lines.push(`  Default Address Pool: ${c.DefaultAddrPool.map((p) => `${p}  `).join('')}`, `  SubnetSize: ${c.SubnetSize}`);
    if (c.DataPathPort > 0) lines.push(`  Data Path Port: ${c.DataPathPort}`);
    lines.push('  Orchestration:', `   Task History Retention Limit: ${spec.Orchestration.TaskHistoryRetentionLimit}`);
    lines.push('  Raft:', `   Snapshot Interval: ${spec.Raft.SnapshotInterval}`, `   Number of Old Snapshots to Retain: ${spec.Raft.KeepOldSnapshots}`);
    lines.push(`   Heartbeat Tick: ${spec.Raft.HeartbeatTick}`, `   Election Tick: ${spec.Raft.ElectionTick}`);
    lines.push('  Dispatcher:', `   Heartbeat Period: ${humanDuration(spec.Dispatcher.HeartbeatPeriod)}`);
    lines.push('  CA Configuration:', `   Expiry Duration: ${humanDuration(spec.CAConfig.NodeCertExpiry)}`, '   Force Rotate: 0');
    lines.push(`  Autolock Managers: ${spec.EncryptionConfig.AutoLockManagers}`, `  Root Rotation In Progress: ${c.RootRotationInProgress}`);
  }
  lines.push(`  Node Address: ${sw.NodeAddr}`);
  if (sw.RemoteManagers.length > 0) {
    const addrs = sw.RemoteManagers.map((m) => m.Addr).sort();
    lines.push('  Manager Addresses:', ...addrs.map((a) => `   ${a}`));
  }
  return lines;
}

/** The whole `info` text after a successful info call. */
export function infoText(version: string, info: DaemonInfo, view: ClusterView | undefined): string {
  const lines = ['Client:', ` Version:    ${version}`, '', 'Server:', ` Server Version: ${info.ServerVersion}`];
  lines.push(...swarmInfoLines(info, view));
  if (info.Runtime !== '') lines.push(` Default Runtime: ${info.Runtime}`);
  if (info.Name !== '') lines.push(` Name: ${info.Name}`);
  if (info.ID !== '') lines.push(` ID: ${info.ID}`);
  return `${lines.join('\n')}\n\n`;
}

/** `--format`: json, or a template over the same object. */
function formatted(format: string, value: unknown): string {
  if (format === 'json') return `${goJson(value)}\n`;
  return `${renderTemplate(parseTemplate(format), value)}\n`;
}

export const infoCommand: Command<Global> = {
  name: 'info',
  usage: '[OPTIONS]',
  short: 'Display system-wide information',
  args: { kind: 'none' },
  flags: [{ name: 'format', short: 'f', kind: 'string', valueName: 'string', usage: "Format output using a custom template: 'json' or 'TEMPLATE'" }],
  run: async (ctx) => {
    const version = clientVersion();
    const format = ctx.flags.string('format') ?? '';
    const client = ctx.global.client();
    let info: DaemonInfo;
    try {
      info = await client.call(DaemonContract, 'info', {});
    } catch (err) {
      if (format !== '') throw err;
      // As docker info: the client part, an empty server part, the error, and a failure status.
      ctx.io.out.write(`Client:\n Version:    ${version}\n\nServer:\n`);
      throw new ExitError(1, `ERROR: ${errorLine(err, ctx.global.host)}\nerrors pretty printing info`);
    }
    const view = info.Swarm.ControlAvailable ? await clusterView(client, ctx.global.host) : undefined;
    if (format === '') {
      ctx.io.out.write(infoText(version, info, view));
      return;
    }
    // As Docker's ClusterInfo: the cluster without its join tokens.
    const swarm = view?.ok === true ? { ...info.Swarm, Cluster: clusterInfoView(view.details.cluster), Managers: view.details.managers, Nodes: view.details.nodes } : info.Swarm;
    ctx.io.out.write(formatted(format, { ...info, Swarm: swarm, ClientInfo: { Version: version } }));
  },
};

/** Go's tabwriter(minwidth 20, padding 1) over `label\tvalue` lines: one block of columns between untabbed lines. */
export function alignVersion(lines: readonly string[]): string {
  const out: string[] = [];
  let block: string[][] = [];
  const flush = () => {
    const w = Math.max(20, ...block.map((cells) => [...(cells[0] ?? '')].length + 1));
    for (const cells of block) out.push((cells[0] ?? '').padEnd(w) + (cells[1] ?? ''));
    block = [];
  };
  for (const line of lines) {
    if (line.includes('\t')) block.push(line.split('\t'));
    else {
      flush();
      out.push(line);
    }
  }
  flush();
  return `${out.join('\n')}\n`;
}

function clientLines(version: string): string[] {
  return ['Client:', ` Version:\t${version}`, ` Node.js version:\t${process.version}`, ` OS/Arch:\t${process.platform}/${goArch(process.arch)}`];
}

function writeVersion(io: Io, format: string, version: string, server: string | undefined): void {
  if (format !== '') {
    const value = {
      Client: { Version: version, NodeVersion: process.version, Os: process.platform, Arch: goArch(process.arch) },
      Server: server === undefined ? null : { Version: server },
    };
    io.out.write(formatted(format, value));
    return;
  }
  const lines = clientLines(version);
  if (server !== undefined) lines.push('', 'Server:', ' Engine:', `  Version:\t${server}`);
  io.out.write(alignVersion(lines));
}

export const versionCommand: Command<Global> = {
  name: 'version',
  usage: '[OPTIONS]',
  short: 'Show the shoal version information',
  args: { kind: 'none' },
  flags: [{ name: 'format', short: 'f', kind: 'string', valueName: 'string', usage: "Format output using a custom template: 'json' or 'TEMPLATE'" }],
  run: async (ctx) => {
    const format = ctx.flags.string('format') ?? '';
    if (format !== '' && format !== 'json') parseTemplate(format);
    const version = clientVersion();
    let server: string | undefined;
    let failure: unknown;
    try {
      server = (await ctx.global.client().call(DaemonContract, 'info', {})).ServerVersion;
    } catch (err) {
      failure = err;
    }
    // As docker version: the client part is printed even when the daemon cannot be reached.
    writeVersion(ctx.io, format, version, server);
    if (failure !== undefined) throw failure;
  },
};
