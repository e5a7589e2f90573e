// `shoal swarm update` (docker/cli cli/command/swarm/update.go, opts.go
// mergeSwarmSpec): the cluster spec as read, with the given flags merged,
// written back at the version read. No flags prints the usage, as Docker.
import type { ClusterSpec } from '../../api/cluster.js';
import { ControlContract } from '../../api/contracts/control.js';
import type { Command } from '../framework/command.js';
import { usageText } from '../framework/command.js';
import type { FlagDef, Flags } from '../framework/flags.js';
import { GLOBAL_FLAGS, type Global } from '../global.js';
import { durationFlag } from './swarm-flags.js';

const FLAGS: readonly FlagDef[] = [
  { name: 'cert-expiry', kind: 'string', valueName: 'duration', usage: 'Validity period for node certificates (ns|us|ms|s|m|h)', defaultText: '2160h0m0s' },
  { name: 'dispatcher-heartbeat', kind: 'string', valueName: 'duration', usage: 'Dispatcher heartbeat period (ns|us|ms|s|m|h)', defaultText: '5s' },
  { name: 'max-snapshots', kind: 'uint', valueName: 'uint', usage: 'Number of additional Raft snapshots to retain' },
  { name: 'snapshot-interval', kind: 'uint', valueName: 'uint', usage: 'Number of log entries between Raft snapshots', defaultText: '10000' },
  { name: 'task-history-limit', kind: 'int', valueName: 'int', usage: 'Task history retention limit', defaultText: '5' },
];

/** What the flags ask to change; parsed before anything is read, so a bad value changes nothing. */
export interface ClusterChanges {
  readonly taskHistoryLimit?: number;
  readonly heartbeat?: number;
  readonly certExpiry?: number;
  readonly keepOldSnapshots?: number;
  readonly snapshotInterval?: number;
}

export function clusterChanges(f: Flags): ClusterChanges {
  const taskHistoryLimit = f.number('task-history-limit');
  const heartbeat = durationFlag(f, 'dispatcher-heartbeat');
  const certExpiry = durationFlag(f, 'cert-expiry');
  const keepOldSnapshots = f.number('max-snapshots');
  const snapshotInterval = f.number('snapshot-interval');
  return {
    ...(taskHistoryLimit !== undefined ? { taskHistoryLimit } : {}),
    ...(heartbeat !== undefined ? { heartbeat } : {}),
    ...(certExpiry !== undefined ? { certExpiry } : {}),
    ...(keepOldSnapshots !== undefined ? { keepOldSnapshots } : {}),
    ...(snapshotInterval !== undefined ? { snapshotInterval } : {}),
  };
}

/** mergeSwarmSpec: only the flags given change the spec. */
export function mergeClusterSpec(spec: ClusterSpec, c: ClusterChanges): ClusterSpec {
  return {
    ...spec,
    Orchestration: c.taskHistoryLimit !== undefined ? { ...spec.Orchestration, TaskHistoryRetentionLimit: c.taskHistoryLimit } : spec.Orchestration,
    Dispatcher: c.heartbeat !== undefined ? { ...spec.Dispatcher, HeartbeatPeriod: c.heartbeat } : spec.Dispatcher,
    CAConfig: c.certExpiry !== undefined ? { ...spec.CAConfig, NodeCertExpiry: c.certExpiry } : spec.CAConfig,
    Raft: {
      ...spec.Raft,
      ...(c.keepOldSnapshots !== undefined ? { KeepOldSnapshots: c.keepOldSnapshots } : {}),
      ...(c.snapshotInterval !== undefined ? { SnapshotInterval: c.snapshotInterval } : {}),
    },
  };
}

export const swarmUpdateCommand: Command<Global> = {
  name: 'update',
  usage: '[OPTIONS]',
  short: 'Update the swarm',
  args: { kind: 'none' },
  flags: FLAGS,
  run: async (ctx) => {
    if (!FLAGS.some((d) => ctx.flags.has(d.name))) {
      ctx.io.out.write(usageText(swarmUpdateCommand, ctx.path, GLOBAL_FLAGS));
      return 0;
    }
    const changes = clusterChanges(ctx.flags);
    const client = ctx.global.client();
    const cluster = await client.call(ControlContract, 'getCluster', {});
    const spec = mergeClusterSpec(cluster.Spec, changes);
    await client.call(ControlContract, 'updateCluster', { version: cluster.Version.Index, spec });
    ctx.io.out.write('Swarm updated.\n');
    return 0;
  },
};
