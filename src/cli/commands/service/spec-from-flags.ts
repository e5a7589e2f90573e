// `service create` flags -> the spec sent to the manager, as docker/cli's
// serviceOptions.ToService does (cli/command/service/opts.go). Pure: flags,
// arguments and the client's environment in, a spec out. Only what the
// flags say is set; the manager fills Docker's defaults
// (withServiceDefaults), as the daemon does for docker. Secret and config
// references carry names; the manager resolves them to ids, as it does for
// network names.
//
// Errors: a value that does not parse is a usage error in pflag's words
// (exit 125); a contradiction between flags is a plain error in docker/cli's
// words (exit 1).
import type { Flags } from '../../framework/flags.js';
import { ExitError } from '../../framework/command.js';
import type { ServiceSpecInput, UpdateConfigInput } from '../../../api/service-spec.js';
import { FlagReader } from './flag-reader.js';
import { envValidator, labelsOf, parseFileReference, parseMount, parseNetwork, parsePlacementPref, parsePublish, validateLabel, cutKeyValue } from './option-values.js';
import type { FileReference, NetworkValue } from './option-values.js';
import { CREATE_FLAGS } from './service-flags.js';
import { shellWords } from './go-text.js';

export type Env = Readonly<Record<string, string | undefined>>;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type ContainerInput = Mutable<ServiceSpecInput['TaskTemplate']['ContainerSpec']>;
type TaskInput = Mutable<ServiceSpecInput['TaskTemplate']>;

/** A failure docker/cli returns from RunE: printed as is, exit status 1. */
export function flagConflict(message: string): ExitError {
  return new ExitError(1, message);
}

/** The update/rollback config from `--update-*` or `--rollback-*`, when any of them is given (updateConfig / rollbackConfig). */
export function updateConfigFlags(r: FlagReader, prefix: 'update' | 'rollback'): UpdateConfigInput | undefined {
  const f = (name: string) => `${prefix}-${name}`;
  if (!r.any(f('parallelism'), f('delay'), f('monitor'), f('failure-action'), f('max-failure-ratio'), f('order'))) return undefined;
  const out: Mutable<UpdateConfigInput> = {};
  const parallelism = r.uint(f('parallelism'));
  if (parallelism !== undefined) out.Parallelism = parallelism;
  const delay = r.duration(f('delay'));
  if (delay !== undefined) out.Delay = delay;
  const monitor = r.duration(f('monitor'));
  if (monitor !== undefined) out.Monitor = monitor;
  const action = r.string(f('failure-action'));
  // The manager checks the words; an unknown one is refused there, naming the field.
  if (action !== undefined) out.FailureAction = action as UpdateConfigInput['FailureAction'];
  const ratio = r.float(f('max-failure-ratio'));
  if (ratio !== undefined) out.MaxFailureRatio = ratio;
  const order = r.string(f('order'));
  if (order !== undefined) out.Order = order as UpdateConfigInput['Order'];
  return out;
}

/** The restart policy from `--restart-*` (ToRestartPolicy), when any is given. */
export function restartPolicyFlags(r: FlagReader): TaskInput['RestartPolicy'] {
  if (!r.any('restart-condition', 'restart-delay', 'restart-max-attempts', 'restart-window')) return undefined;
  const out: Mutable<NonNullable<TaskInput['RestartPolicy']>> = {};
  const condition = r.string('restart-condition');
  if (condition !== undefined) out.Condition = condition as NonNullable<TaskInput['RestartPolicy']>['Condition'];
  const delay = r.duration('restart-delay');
  if (delay !== undefined) out.Delay = delay;
  const attempts = r.uint('restart-max-attempts');
  if (attempts !== undefined) out.MaxAttempts = attempts;
  const window = r.duration('restart-window');
  if (window !== undefined) out.Window = window;
  return out;
}

/** The health check from `--health-*` / `--no-healthcheck` (toHealthConfig), when any is given. */
export function healthcheckFlags(r: FlagReader): ContainerInput['Healthcheck'] {
  const cmd = r.string('health-cmd') ?? '';
  const interval = r.positiveDuration('health-interval');
  const timeout = r.positiveDuration('health-timeout');
  const startPeriod = r.positiveDuration('health-start-period');
  const retries = r.int('health-retries') ?? 0;
  const haveSettings = cmd !== '' || interval !== undefined || timeout !== undefined || startPeriod !== undefined || retries !== 0;
  if (r.bool('no-healthcheck')) {
    if (haveSettings) throw flagConflict('--no-healthcheck conflicts with --health-* options');
    return { Test: ['NONE'] };
  }
  if (!haveSettings) return undefined;
  return {
    ...(cmd !== '' ? { Test: ['CMD-SHELL', cmd] } : {}),
    Interval: interval ?? 0,
    Timeout: timeout ?? 0,
    Retries: retries,
    StartPeriod: startPeriod ?? 0,
  };
}

/** opts.ReadKVEnvStrings + makeEnv: later values of a key replace earlier ones, in order. */
export function mergeEnv(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const entry of values) {
    const key = cutKeyValue(entry).key;
    const i = out.findIndex((e) => e === key || e.startsWith(`${key}=`));
    if (i >= 0) out.splice(i, 1);
    out.push(entry);
  }
  return out;
}

type FileTarget = FileReference['File'];

export function secretRefs(refs: readonly FileReference[]): { SecretName: string; File: FileTarget }[] {
  const targets = new Set<string>();
  return refs.map((ref) => {
    if (targets.has(ref.File.Name)) throw flagConflict(`duplicate secret target for ${ref.source} not allowed`);
    targets.add(ref.File.Name);
    return { SecretName: ref.source, File: { ...ref.File } };
  });
}

export function configRefs(refs: readonly FileReference[]): { ConfigName: string; File: FileTarget }[] {
  const targets = new Set<string>();
  return refs.map((ref) => {
    if (targets.has(ref.File.Name)) throw flagConflict(`duplicate config target for ${ref.source} not allowed`);
    targets.add(ref.File.Name);
    return { ConfigName: ref.source, File: { ...ref.File } };
  });
}

export function networkAttachments(values: readonly NetworkValue[]): NonNullable<TaskInput['Networks']> {
  return values
    .map((n) => ({ Target: n.Target, ...(n.Aliases !== undefined ? { Aliases: [...n.Aliases] } : {}), ...(n.DriverOpts !== undefined ? { DriverOpts: { ...n.DriverOpts } } : {}) }))
    .sort((a, b) => (a.Target < b.Target ? -1 : a.Target > b.Target ? 1 : 0));
}

/** Shell words of a `command`-typed flag (ShlexOpt). */
export function commandFlag(r: FlagReader, name: string): string[] | undefined {
  return r.parsed(name, shellWords);
}

/** Resources from `--limit-*` / `--reserve-*`. */
function resourcesFlags(r: FlagReader): TaskInput['Resources'] {
  const limitCpu = r.nanoCpus('limit-cpu');
  const limitMem = r.memBytes('limit-memory');
  const resCpu = r.nanoCpus('reserve-cpu');
  const resMem = r.memBytes('reserve-memory');
  if (limitCpu === undefined && limitMem === undefined && resCpu === undefined && resMem === undefined) return undefined;
  return {
    Limits: { NanoCPUs: limitCpu ?? 0, MemoryBytes: limitMem ?? 0 },
    Reservations: { NanoCPUs: resCpu ?? 0, MemoryBytes: resMem ?? 0 },
  };
}

/** ToServiceMode, with docker/cli's words for flags that do not fit the mode. */
function modeFlags(r: FlagReader): ServiceSpecInput['Mode'] {
  const mode = r.string('mode') ?? 'replicated';
  const replicas = r.uint('replicas');
  const maxConcurrent = r.uint('max-concurrent');
  const maxPerNode = r.uint('replicas-max-per-node') ?? 0;
  switch (mode) {
    case 'global':
      if (replicas !== undefined) throw flagConflict('replicas can only be used with replicated or replicated-job mode');
      if (maxPerNode > 0) throw flagConflict('replicas-max-per-node can only be used with replicated or replicated-job mode');
      if (maxConcurrent !== undefined) throw flagConflict('max-concurrent can only be used with replicated-job mode');
      return { Global: {} };
    case 'replicated':
      if (maxConcurrent !== undefined) throw flagConflict('max-concurrent can only be used with replicated-job mode');
      return { Replicated: replicas === undefined ? {} : { Replicas: replicas } };
    case 'replicated-job': {
      const concurrent = maxConcurrent ?? replicas;
      return { ReplicatedJob: { ...(concurrent !== undefined ? { MaxConcurrent: concurrent } : {}), ...(replicas !== undefined ? { TotalCompletions: replicas } : {}) } };
    }
    case 'global-job':
      if (maxPerNode > 0) throw flagConflict('replicas-max-per-node can only be used with replicated or replicated-job mode');
      if (maxConcurrent !== undefined) throw flagConflict('max-concurrent can only be used with replicated-job mode');
      if (replicas !== undefined) throw flagConflict('replicas can only be used with replicated or replicated-job mode');
      return { GlobalJob: {} };
    default:
      throw flagConflict(`Unknown mode: ${mode}, only replicated and global supported`);
  }
}

export interface ContainerScalars {
  Dir?: string;
  User?: string;
  Hostname?: string;
  StopSignal?: string;
  StopGracePeriod?: number;
  TTY?: boolean;
  ReadOnly?: boolean;
  Init?: boolean;
}

/** The container fields `create` and `update` set the same way from plain flags. */
export function containerScalars(r: FlagReader): ContainerScalars {
  const out: ContainerScalars = {};
  const dir = r.string('workdir');
  if (dir !== undefined && dir !== '') out.Dir = dir;
  const user = r.string('user');
  if (user !== undefined && user !== '') out.User = user;
  const hostname = r.string('hostname');
  if (hostname !== undefined && hostname !== '') out.Hostname = hostname;
  const signal = r.string('stop-signal');
  if (signal !== undefined && signal !== '') out.StopSignal = signal;
  const grace = r.duration('stop-grace-period');
  if (grace !== undefined) out.StopGracePeriod = grace;
  if (r.bool('tty')) out.TTY = true;
  if (r.bool('read-only')) out.ReadOnly = true;
  if (r.bool('init')) out.Init = true;
  return out;
}

/** `service create [OPTIONS] IMAGE [COMMAND] [ARG...]` -> the spec to send. */
export function createSpecFromFlags(flags: Flags, args: readonly string[], env: Env): ServiceSpecInput {
  const r = new FlagReader(flags, CREATE_FLAGS);
  const [image = '', ...rest] = args;
  const labels = r.list('label', validateLabel);
  const containerLabels = r.list('container-label', validateLabel);
  const envList = mergeEnv(r.list('env', envValidator(env)));
  const mounts = r.each('mount', parseMount);
  const ports = r.each('publish', parsePublish).flat();
  const secrets = r.each('secret', (v) => parseFileReference('secret', v));
  const configs = r.each('config', (v) => parseFileReference('config', v));
  const networks = r.each('network', parseNetwork);
  const prefs = r.each('placement-pref', parsePlacementPref);
  const entrypoint = commandFlag(r, 'entrypoint');
  const healthcheck = healthcheckFlags(r);
  const mode = modeFlags(r);
  const update = updateConfigFlags(r, 'update');
  const rollback = updateConfigFlags(r, 'rollback');
  const isJob = mode !== undefined && ('ReplicatedJob' in mode || 'GlobalJob' in mode);
  if (isJob && (update !== undefined || rollback !== undefined)) throw flagConflict('update and rollback configuration is not supported for jobs');

  const container: ContainerInput = {
    Image: image,
    ...(containerLabels.length > 0 ? { Labels: labelsOf(containerLabels) } : {}),
    ...(entrypoint !== undefined && entrypoint.length > 0 ? { Command: entrypoint } : {}),
    ...(rest.length > 0 ? { Args: rest } : {}),
    ...(envList.length > 0 ? { Env: envList } : {}),
    ...containerScalars(r),
    ...(mounts.length > 0 ? { Mounts: mounts } : {}),
    ...(healthcheck !== undefined ? { Healthcheck: healthcheck } : {}),
    ...(secrets.length > 0 ? { Secrets: secretRefs(secrets) } : {}),
    ...(configs.length > 0 ? { Configs: configRefs(configs) } : {}),
  };
  const constraints = r.list('constraint');
  const maxPerNode = r.uint('replicas-max-per-node');
  const placement = constraints.length > 0 || prefs.length > 0 || (maxPerNode ?? 0) > 0;
  const resources = resourcesFlags(r);
  const restart = restartPolicyFlags(r);
  const task: TaskInput = {
    ContainerSpec: container,
    ...(resources !== undefined ? { Resources: resources } : {}),
    ...(restart !== undefined ? { RestartPolicy: restart } : {}),
    ...(placement
      ? { Placement: { ...(constraints.length > 0 ? { Constraints: constraints } : {}), ...(prefs.length > 0 ? { Preferences: prefs } : {}), ...((maxPerNode ?? 0) > 0 ? { MaxReplicas: maxPerNode } : {}) } }
      : {}),
    ...(networks.length > 0 ? { Networks: networkAttachments(networks) } : {}),
  };
  const endpointMode = r.string('endpoint-mode');
  const name = r.string('name');
  return {
    ...(name !== undefined && name !== '' ? { Name: name } : {}),
    ...(labels.length > 0 ? { Labels: labelsOf(labels) } : {}),
    TaskTemplate: task,
    ...(mode !== undefined ? { Mode: mode } : {}),
    ...(update !== undefined ? { UpdateConfig: update } : {}),
    ...(rollback !== undefined ? { RollbackConfig: rollback as ServiceSpecInput['RollbackConfig'] } : {}),
    ...(endpointMode !== undefined || ports.length > 0
      ? { EndpointSpec: { ...(endpointMode !== undefined ? { Mode: endpointMode.toLowerCase() as 'vip' } : {}), ...(ports.length > 0 ? { Ports: ports } : {}) } }
      : {}),
  };
}
