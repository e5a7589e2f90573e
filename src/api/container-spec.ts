// The container a task runs (moby api/types/swarm/container.go), its schema
// as a client sends it, and swarmkit's container rules with Docker's words
// (manager/controlapi/service.go validateContainerSpec, moby
// daemon/cluster/executor/container/validate.go for mounts).
import { isAbsolute } from 'node:path';
import { isValidImageReference } from './image-reference.js';
import type { Labels, Nanoseconds } from './object-meta.js';
import { durationSchema, labelsSchema } from './object-meta.js';
import * as s from './schema.js';
import { type FieldIssue, at, issue } from './validation.js';

export const MOUNT_TYPES = ['bind', 'volume', 'tmpfs'] as const;
export type MountType = (typeof MOUNT_TYPES)[number];

export interface Mount {
  readonly Type: MountType;
  readonly Source?: string;
  readonly Target: string;
  readonly ReadOnly?: boolean;
}

/** container.HealthConfig. Test is `["NONE"]`, `["CMD", ...]` or `["CMD-SHELL", "cmd"]`; 0 durations mean the engine default. */
export interface Healthcheck {
  readonly Test: readonly string[];
  readonly Interval: Nanoseconds;
  readonly Timeout: Nanoseconds;
  readonly Retries: number;
  readonly StartPeriod: Nanoseconds;
}

/** Where a secret or config appears in the container: a file under /run/secrets or the target path. */
export interface FileTarget {
  readonly Name: string;
  readonly UID: string;
  readonly GID: string;
  readonly Mode: number;
}

export interface SecretReference {
  readonly File?: FileTarget;
  readonly SecretID: string;
  readonly SecretName: string;
}

export interface ConfigReference {
  readonly File?: FileTarget;
  readonly ConfigID: string;
  readonly ConfigName: string;
}

export interface ContainerSpec {
  readonly Image: string;
  readonly Labels: Labels;
  readonly Command?: readonly string[];
  readonly Args?: readonly string[];
  readonly Hostname?: string;
  readonly Env?: readonly string[];
  readonly Dir?: string;
  readonly User?: string;
  readonly StopSignal?: string;
  readonly TTY?: boolean;
  readonly ReadOnly?: boolean;
  readonly Init?: boolean;
  readonly Mounts?: readonly Mount[];
  /** How long `docker stop` waits before SIGKILL; default 10s. */
  readonly StopGracePeriod: Nanoseconds;
  readonly Healthcheck?: Healthcheck;
  readonly Secrets?: readonly SecretReference[];
  readonly Configs?: readonly ConfigReference[];
}

// ---- schemas (what a client may send; defaults are filled by service-defaults.ts) ----

const argv = s.array(s.string({ max: 1 << 16 }), { max: 4096 });

const fileTargetSchema = s.object({
  Name: s.string({ max: 4096 }),
  UID: s.optional(s.string({ max: 64 })),
  GID: s.optional(s.string({ max: 64 })),
  Mode: s.optional(s.number({ int: true, min: 0, max: 0o7777 })),
});

export const mountSchema = s.object({
  Type: s.literal(...MOUNT_TYPES),
  Source: s.optional(s.string({ max: 4096 })),
  Target: s.string({ max: 4096 }),
  ReadOnly: s.optional(s.boolean()),
});

export const healthcheckSchema = s.object({
  Test: s.optional(argv),
  Interval: s.optional(durationSchema),
  Timeout: s.optional(durationSchema),
  Retries: s.optional(s.number({ int: true })),
  StartPeriod: s.optional(durationSchema),
});

export const secretReferenceSchema = s.object({
  File: s.optional(fileTargetSchema),
  SecretID: s.optional(s.string({ max: 256 })),
  SecretName: s.optional(s.string({ max: 256 })),
});

export const configReferenceSchema = s.object({
  File: s.optional(fileTargetSchema),
  ConfigID: s.optional(s.string({ max: 256 })),
  ConfigName: s.optional(s.string({ max: 256 })),
});

export const containerSpecSchema = s.object({
  Image: s.string({ max: 4096 }),
  Labels: s.optional(labelsSchema),
  Command: s.optional(argv),
  Args: s.optional(argv),
  Hostname: s.optional(s.string({ max: 255 })),
  Env: s.optional(argv),
  Dir: s.optional(s.string({ max: 4096 })),
  User: s.optional(s.string({ max: 256 })),
  StopSignal: s.optional(s.string({ max: 32 })),
  TTY: s.optional(s.boolean()),
  ReadOnly: s.optional(s.boolean()),
  Init: s.optional(s.boolean()),
  Mounts: s.optional(s.array(mountSchema, { max: 1024 })),
  StopGracePeriod: s.optional(durationSchema),
  Healthcheck: s.optional(healthcheckSchema),
  Secrets: s.optional(s.array(secretReferenceSchema, { max: 1024 })),
  Configs: s.optional(s.array(configReferenceSchema, { max: 1024 })),
});
export type ContainerSpecInput = s.Infer<typeof containerSpecSchema>;
export type SecretReferenceInput = s.Infer<typeof secretReferenceSchema>;
export type ConfigReferenceInput = s.Infer<typeof configReferenceSchema>;

export const DEFAULT_STOP_GRACE_PERIOD: Nanoseconds = 10_000_000_000;
export const DEFAULT_FILE_MODE = 0o444;
const MINIMUM_HEALTH_DURATION: Nanoseconds = 1_000_000; // 1ms

function fillFile(f: s.Infer<typeof fileTargetSchema> | undefined): FileTarget | undefined {
  if (f === undefined) return undefined;
  return { Name: f.Name, UID: f.UID ?? '0', GID: f.GID ?? '0', Mode: f.Mode ?? DEFAULT_FILE_MODE };
}

/** Docker's defaults for a container spec (StopGracePeriod 10s, empty labels, file targets 0:0 0444). */
export function withContainerDefaults(c: ContainerSpecInput): ContainerSpec {
  const hc = c.Healthcheck;
  return {
    Image: c.Image,
    Labels: c.Labels ?? {},
    ...(c.Command !== undefined ? { Command: c.Command } : {}),
    ...(c.Args !== undefined ? { Args: c.Args } : {}),
    ...(c.Hostname !== undefined ? { Hostname: c.Hostname } : {}),
    ...(c.Env !== undefined ? { Env: c.Env } : {}),
    ...(c.Dir !== undefined ? { Dir: c.Dir } : {}),
    ...(c.User !== undefined ? { User: c.User } : {}),
    ...(c.StopSignal !== undefined ? { StopSignal: c.StopSignal } : {}),
    ...(c.TTY !== undefined ? { TTY: c.TTY } : {}),
    ...(c.ReadOnly !== undefined ? { ReadOnly: c.ReadOnly } : {}),
    ...(c.Init !== undefined ? { Init: c.Init } : {}),
    ...(c.Mounts !== undefined ? { Mounts: c.Mounts } : {}),
    StopGracePeriod: c.StopGracePeriod ?? DEFAULT_STOP_GRACE_PERIOD,
    ...(hc !== undefined
      ? {
          Healthcheck: {
            Test: hc.Test ?? [],
            Interval: hc.Interval ?? 0,
            Timeout: hc.Timeout ?? 0,
            Retries: hc.Retries ?? 0,
            StartPeriod: hc.StartPeriod ?? 0,
          },
        }
      : {}),
    ...(c.Secrets !== undefined
      ? { Secrets: c.Secrets.map((r) => ({ ...withFile(fillFile(r.File)), SecretID: r.SecretID ?? '', SecretName: r.SecretName ?? '' })) }
      : {}),
    ...(c.Configs !== undefined
      ? { Configs: c.Configs.map((r) => ({ ...withFile(fillFile(r.File)), ConfigID: r.ConfigID ?? '', ConfigName: r.ConfigName ?? '' })) }
      : {}),
  };
}

function withFile(file: FileTarget | undefined): { File?: FileTarget } {
  return file === undefined ? {} : { File: file };
}

// ---- rules ----

function checkMounts(mounts: readonly Mount[], path: string): FieldIssue | undefined {
  const targets = new Set<string>();
  for (const [i, m] of mounts.entries()) {
    const p = at(path, i);
    if (!isAbsolute(m.Target)) return issue(at(p, 'Target'), `invalid mount target, must be an absolute path: ${m.Target}`);
    const source = m.Source ?? '';
    switch (m.Type) {
      case 'bind':
        if (!isAbsolute(source)) return issue(at(p, 'Source'), `invalid bind mount source, must be an absolute path: ${source}`);
        break;
      case 'volume':
        if (isAbsolute(source)) return issue(at(p, 'Source'), `invalid volume mount source, must not be an absolute path: ${source}`);
        break;
      case 'tmpfs':
        if (source !== '') return issue(at(p, 'Source'), 'invalid tmpfs source, source must be empty');
        break;
    }
    if (targets.has(m.Target)) return issue(at(p, 'Target'), `duplicate mount point: ${m.Target}`);
    targets.add(m.Target);
  }
  return undefined;
}

function checkHealthcheck(hc: Healthcheck, path: string): FieldIssue | undefined {
  const kind = hc.Test[0];
  if (kind !== undefined && !['NONE', 'CMD', 'CMD-SHELL'].includes(kind)) {
    return issue(at(path, 'Test'), `unknown healthcheck type ${JSON.stringify(kind)}: expected NONE, CMD or CMD-SHELL`);
  }
  const durations = [
    ['Interval', hc.Interval],
    ['Timeout', hc.Timeout],
    ['StartPeriod', hc.StartPeriod],
  ] as const;
  for (const [name, value] of durations) {
    if (value !== 0 && value < MINIMUM_HEALTH_DURATION) {
      return issue(at(path, name), `${name} in HealthConfig cannot be less than 1ms`);
    }
  }
  if (hc.Retries < 0) return issue(at(path, 'Retries'), 'Retries in HealthConfig cannot be negative');
  return undefined;
}

type Reference = { readonly File?: FileTarget; readonly id: string; readonly name: string };

function checkReferences(kind: 'secret' | 'config', refs: readonly Reference[], path: string): FieldIssue | undefined {
  const targets = new Map<string, string>();
  for (const [i, r] of refs.entries()) {
    const p = at(path, i);
    if (r.id === '' || r.name === '') return issue(p, `malformed ${kind} reference`);
    if (r.File === undefined) return issue(p, `malformed ${kind} reference, no target provided`);
    const fileName = r.File.Name;
    if (fileName === '') return issue(at(p, 'File.Name'), `malformed file ${kind} reference, invalid target file name provided`);
    const previous = targets.get(fileName);
    if (previous !== undefined) {
      return issue(at(p, 'File.Name'), `${kind} references '${previous}' and '${r.name}' have a conflicting target: '${fileName}'`);
    }
    targets.set(fileName, r.name);
  }
  return undefined;
}

/** swarmkit's container rules; `path` is where the container spec sits (`TaskTemplate.ContainerSpec`). */
export function checkContainerSpec(c: ContainerSpec, path: string): FieldIssue | undefined {
  if (c.Image === '') return issue(at(path, 'Image'), 'image reference must be provided');
  if (!isValidImageReference(c.Image)) return issue(at(path, 'Image'), `${JSON.stringify(c.Image)} is not a valid repository/tag`);
  if (c.StopGracePeriod < 0) return issue(at(path, 'StopGracePeriod'), 'stop-grace-period cannot be negative');
  const env = c.Env === undefined ? undefined : checkEnv(c.Env, at(path, 'Env'));
  if (env !== undefined) return env;
  const mounts = c.Mounts === undefined ? undefined : checkMounts(c.Mounts, at(path, 'Mounts'));
  if (mounts !== undefined) return mounts;
  const health = c.Healthcheck === undefined ? undefined : checkHealthcheck(c.Healthcheck, at(path, 'Healthcheck'));
  if (health !== undefined) return health;
  const secrets = (c.Secrets ?? []).map((r) => ({ ...withFile(r.File), id: r.SecretID, name: r.SecretName }));
  const secretIssue = checkReferences('secret', secrets, at(path, 'Secrets'));
  if (secretIssue !== undefined) return secretIssue;
  const configs = (c.Configs ?? []).map((r) => ({ ...withFile(r.File), id: r.ConfigID, name: r.ConfigName }));
  return checkReferences('config', configs, at(path, 'Configs'));
}

/** Keys of a `KEY=value` environment list must be non-empty (docker/cli opts.ValidateEnv). */
export function checkEnv(env: readonly string[], path: string): FieldIssue | undefined {
  for (const [i, entry] of env.entries()) {
    if (entry.split('=', 1)[0]?.trim() === '') return issue(at(path, i), `invalid environment variable: ${entry}`);
  }
  return undefined;
}
