// `service update` flags applied to the current spec, as docker/cli's
// updateService does (cli/command/service/update.go): plain flags replace
// a field; `--X-add`/`--X-rm` edit a list or a map (removals first, then
// additions; constraints, mounts and ports sorted "so that the result is
// predictable"); `--force` bumps ForceUpdate. Pure: the current spec, the
// flags and the client's environment in, the new spec out.
import type { Flags } from '../../framework/flags.js';
import type { ContainerSpec, Healthcheck, Mount } from '../../../api/container-spec.js';
import type { PortConfig, ServiceMode, ServiceSpec, UpdateConfig } from '../../../api/service-spec.js';
import { withUpdateDefaults } from '../../../api/service-spec.js';
import type { TaskSpec } from '../../../api/task-spec.js';
import { FlagReader } from './flag-reader.js';
import { cutKeyValue, envValidator, labelsOf, parseFileReference, parseMount, parseNetwork, parsePlacementPref, parsePublish, validateLabel } from './option-values.js';
import type { Env } from './spec-from-flags.js';
import { commandFlag, configRefs, containerScalars, flagConflict, networkAttachments, restartPolicyFlags, secretRefs, updateConfigFlags } from './spec-from-flags.js';
import { ROLLBACK_COMPATIBLE, UPDATE_FLAGS } from './service-flags.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** `--rollback` may only come with -d/-q (runUpdate). */
export function checkRollbackAlone(flags: Flags): void {
  const others = UPDATE_FLAGS.filter((d) => !(ROLLBACK_COMPATIBLE as readonly string[]).includes(d.name)).some((d) => flags.has(d.name));
  if (others) throw flagConflict('other flags may not be combined with --rollback');
}

function editMap(current: Readonly<Record<string, string>>, remove: readonly string[], add: readonly string[]): Record<string, string> {
  const out = { ...current };
  for (const key of remove) delete out[key];
  return { ...out, ...labelsOf(add) };
}

/** updateEnvironment: remove by key, then add or replace by key (in place, new keys last). */
function editEnv(current: readonly string[], remove: readonly string[], add: readonly string[]): string[] {
  const key = (e: string) => cutKeyValue(e).key;
  const out = current.filter((e) => !remove.includes(key(e)));
  for (const entry of add) {
    const i = out.findIndex((e) => key(e) === key(entry));
    if (i >= 0) out[i] = entry;
    else out.push(entry);
  }
  return out;
}

/** updateMounts: added mounts replace those with the same target; removal by target; sorted by source then target. */
function editMounts(current: readonly Mount[], add: readonly Mount[], remove: readonly string[]): Mount[] {
  const byTarget = new Map<string, Mount>();
  for (const m of add) {
    if (byTarget.has(m.Target)) throw flagConflict('duplicate mount target');
    byTarget.set(m.Target, m);
  }
  for (const m of current) if (!byTarget.has(m.Target)) byTarget.set(m.Target, m);
  const src = (m: Mount) => m.Source ?? '';
  return [...byTarget.values()]
    .filter((m) => !remove.includes(m.Target))
    .sort((a, b) => (src(a) === src(b) ? (a.Target < b.Target ? -1 : a.Target > b.Target ? 1 : 0) : src(a) < src(b) ? -1 : 1));
}

function portKey(p: PortConfig): string {
  return `${p.PublishedPort ?? 0}:${p.TargetPort}/${p.Protocol}/${p.PublishMode}`;
}

/** updatePorts: remove by target port, protocol and mode; add unless already there; sorted by `published:target/proto/mode`. */
function editPorts(current: readonly PortConfig[], add: readonly PortConfig[], remove: readonly PortConfig[]): PortConfig[] {
  const seen = new Map<string, PortConfig>();
  for (const p of current) if (!seen.has(portKey(p))) seen.set(portKey(p), p);
  const kept = [...seen.values()].filter((p) => !remove.some((r) => r.TargetPort === p.TargetPort && r.Protocol === p.Protocol && r.PublishMode === p.PublishMode));
  const added = add.filter((p) => !seen.has(portKey(p)));
  return [...kept, ...added].sort((a, b) => (portKey(a) < portKey(b) ? -1 : portKey(a) > portKey(b) ? 1 : 0));
}

/** updateHealthcheck. */
function editHealthcheck(r: FlagReader, current: Healthcheck | undefined): Healthcheck | undefined {
  const healthFlags = ['health-cmd', 'health-interval', 'health-retries', 'health-timeout', 'health-start-period'];
  if (!r.any('no-healthcheck', ...healthFlags)) return current;
  if (r.bool('no-healthcheck')) {
    if (r.any(...healthFlags)) throw flagConflict('--no-healthcheck conflicts with --health-* options');
    return { Test: ['NONE'], Interval: 0, Timeout: 0, Retries: 0, StartPeriod: 0 };
  }
  const base: Mutable<Healthcheck> = { ...(current ?? { Test: [], Interval: 0, Timeout: 0, Retries: 0, StartPeriod: 0 }) };
  if (base.Test[0] === 'NONE') base.Test = [];
  const interval = r.positiveDuration('health-interval');
  if (interval !== undefined) base.Interval = interval;
  const timeout = r.positiveDuration('health-timeout');
  if (timeout !== undefined) base.Timeout = timeout;
  const start = r.positiveDuration('health-start-period');
  if (start !== undefined) base.StartPeriod = start;
  const retries = r.int('health-retries');
  if (retries !== undefined) base.Retries = retries;
  const cmd = r.string('health-cmd');
  if (cmd !== undefined) base.Test = cmd === '' ? [] : ['CMD-SHELL', cmd];
  return base;
}

/** updateReplicas (and docker/cli scale's rule for jobs: replicas are the total completions). */
function editMode(r: FlagReader, mode: ServiceMode): ServiceMode {
  const replicas = r.uint('replicas');
  const concurrent = r.uint('max-concurrent');
  if (replicas === undefined && concurrent === undefined) return mode;
  if (mode.Replicated !== undefined) {
    if (concurrent !== undefined) throw flagConflict('max-concurrent can only be used with replicated-job mode');
    return { Replicated: { Replicas: replicas ?? mode.Replicated.Replicas } };
  }
  if (mode.ReplicatedJob !== undefined) {
    return { ReplicatedJob: { MaxConcurrent: concurrent ?? mode.ReplicatedJob.MaxConcurrent, TotalCompletions: replicas ?? mode.ReplicatedJob.TotalCompletions } };
  }
  if (replicas !== undefined) throw flagConflict('replicas can only be used with replicated mode');
  throw flagConflict('max-concurrent can only be used with replicated-job mode');
}

function editUpdateConfig(r: FlagReader, prefix: 'update' | 'rollback', current: UpdateConfig | undefined): UpdateConfig | undefined {
  const given = updateConfigFlags(r, prefix);
  if (given === undefined) return current;
  const base = current ?? withUpdateDefaults(undefined);
  return withUpdateDefaults({ ...base, ...given });
}

function editContainer(r: FlagReader, c: ContainerSpec, env: Env): ContainerSpec {
  const out: Mutable<ContainerSpec> = { ...c, ...containerScalars(r) };
  // containerScalars only sets what is non-empty; an explicit "" clears, as docker's updateString does.
  for (const [flag, field] of [['workdir', 'Dir'], ['user', 'User'], ['hostname', 'Hostname'], ['stop-signal', 'StopSignal']] as const) {
    if (r.string(flag) === '') delete out[field];
  }
  if (r.has('tty')) out.TTY = r.bool('tty');
  if (r.has('read-only')) out.ReadOnly = r.bool('read-only');
  if (r.has('init')) out.Init = r.bool('init');
  const image = r.string('image');
  if (image !== undefined) out.Image = image;
  const args = commandFlag(r, 'args');
  if (args !== undefined) out.Args = args;
  const entrypoint = commandFlag(r, 'entrypoint');
  if (entrypoint !== undefined) out.Command = entrypoint;
  if (r.any('container-label-add', 'container-label-rm')) {
    out.Labels = editMap(c.Labels, r.list('container-label-rm'), r.list('container-label-add', validateLabel));
  }
  if (r.any('env-add', 'env-rm')) out.Env = editEnv(c.Env ?? [], r.list('env-rm'), r.list('env-add', envValidator(env)));
  if (r.any('mount-add', 'mount-rm')) out.Mounts = editMounts(c.Mounts ?? [], r.each('mount-add', parseMount), r.list('mount-rm'));
  const health = editHealthcheck(r, c.Healthcheck);
  if (health !== undefined) out.Healthcheck = health;
  if (r.any('secret-add', 'secret-rm')) {
    const remove = r.list('secret-rm');
    const kept = (c.Secrets ?? []).filter((s) => !remove.includes(s.SecretName));
    const added = secretRefs(r.each('secret-add', (v) => parseFileReference('secret', v)));
    out.Secrets = [...kept, ...added.map((s) => ({ ...s, SecretID: '' }))];
  }
  if (r.any('config-add', 'config-rm')) {
    const remove = r.list('config-rm');
    const kept = (c.Configs ?? []).filter((s) => !remove.includes(s.ConfigName));
    const added = configRefs(r.each('config-add', (v) => parseFileReference('config', v)));
    out.Configs = [...kept, ...added.map((s) => ({ ...s, ConfigID: '' }))];
  }
  return out;
}

function editTask(r: FlagReader, t: TaskSpec, env: Env): TaskSpec {
  const out: Mutable<TaskSpec> = { ...t, ContainerSpec: editContainer(r, t.ContainerSpec, env) };
  if (r.any('limit-cpu', 'limit-memory')) {
    out.Resources = { ...out.Resources, Limits: { NanoCPUs: r.nanoCpus('limit-cpu') ?? t.Resources.Limits.NanoCPUs, MemoryBytes: r.memBytes('limit-memory') ?? t.Resources.Limits.MemoryBytes } };
  }
  if (r.any('reserve-cpu', 'reserve-memory')) {
    out.Resources = {
      ...out.Resources,
      Reservations: { NanoCPUs: r.nanoCpus('reserve-cpu') ?? t.Resources.Reservations.NanoCPUs, MemoryBytes: r.memBytes('reserve-memory') ?? t.Resources.Reservations.MemoryBytes },
    };
  }
  const restart = restartPolicyFlags(r);
  if (restart !== undefined) out.RestartPolicy = { ...t.RestartPolicy, ...restart };
  const placement: Mutable<TaskSpec['Placement']> = { ...t.Placement };
  if (r.any('constraint-add', 'constraint-rm')) {
    const remove = r.list('constraint-rm');
    placement.Constraints = [...t.Placement.Constraints, ...r.list('constraint-add')].filter((c) => !remove.includes(c)).sort();
  }
  if (r.any('placement-pref-add', 'placement-pref-rm')) {
    const remove = r.each('placement-pref-rm', parsePlacementPref).map((p) => p.Spread.SpreadDescriptor);
    const kept = t.Placement.Preferences.filter((p) => !remove.includes(p.Spread.SpreadDescriptor));
    placement.Preferences = [...kept, ...r.each('placement-pref-add', parsePlacementPref)];
  }
  const maxPerNode = r.uint('replicas-max-per-node');
  if (maxPerNode !== undefined) placement.MaxReplicas = maxPerNode;
  out.Placement = placement;
  if (r.any('network-add', 'network-rm')) {
    const remove = r.list('network-rm');
    const kept = (t.Networks ?? []).filter((n) => !remove.includes(n.Target));
    for (const n of r.each('network-add', parseNetwork)) {
      if (kept.some((k) => k.Target === n.Target)) throw flagConflict(`service is already attached to network ${n.Target}`);
      kept.push(...networkAttachments([n]));
    }
    out.Networks = [...kept].sort((a, b) => (a.Target < b.Target ? -1 : a.Target > b.Target ? 1 : 0));
  }
  if (r.bool('force')) out.ForceUpdate = t.ForceUpdate + 1;
  return out;
}

/** `service update [OPTIONS] SERVICE` flags -> the new spec. */
export function updateSpecFromFlags(current: ServiceSpec, flags: Flags, env: Env): ServiceSpec {
  const r = new FlagReader(flags, UPDATE_FLAGS);
  const out: Mutable<ServiceSpec> = { ...current };
  if (r.any('label-add', 'label-rm')) out.Labels = editMap(current.Labels, r.list('label-rm'), r.list('label-add', validateLabel));
  out.TaskTemplate = editTask(r, current.TaskTemplate, env);
  out.Mode = editMode(r, current.Mode);
  const update = editUpdateConfig(r, 'update', current.UpdateConfig);
  if (update !== undefined) out.UpdateConfig = update;
  const rollback = editUpdateConfig(r, 'rollback', current.RollbackConfig);
  if (rollback !== undefined) out.RollbackConfig = rollback;
  const endpointMode = r.string('endpoint-mode');
  if (endpointMode !== undefined) out.EndpointSpec = { ...out.EndpointSpec, Mode: endpointMode.toLowerCase() as ServiceSpec['EndpointSpec']['Mode'] };
  if (r.any('publish-add', 'publish-rm')) {
    out.EndpointSpec = { ...out.EndpointSpec, Ports: editPorts(current.EndpointSpec.Ports, r.each('publish-add', parsePublish).flat(), r.each('publish-rm', parsePublish).flat()) };
  }
  return out;
}
