// Decide: a task spec -> the Docker Engine API's container create body.
// Pure; every input is an argument. Follows swarmkit's container adapter
// (agent/exec/dockerapi/container.go): Command replaces the entrypoint and
// Args follow it; Args alone are the image entrypoint's arguments.
import { taskLabels, taskName } from '../labels.js';
import type { FileMount } from '../task-files.js';
import type { RuntimeHealthcheck, RuntimeTaskSpec } from '../types.js';

/** The subset of the Engine API's ContainerConfig + HostConfig that shoal sets. */
export interface ContainerCreateBody {
  readonly Image: string;
  readonly Entrypoint?: string[];
  readonly Cmd?: string[];
  readonly Env: string[];
  readonly WorkingDir?: string;
  readonly User?: string;
  readonly Labels: Record<string, string>;
  readonly StopSignal?: string;
  readonly StopTimeout: number;
  readonly Healthcheck?: EngineHealthcheck;
  readonly ExposedPorts?: Record<string, Record<string, never>>;
  readonly HostConfig: {
    readonly Mounts: EngineMount[];
    readonly NanoCpus?: number;
    readonly Memory?: number;
    readonly PortBindings?: Record<string, { HostIp?: string; HostPort: string }[]>;
    readonly RestartPolicy: { Name: 'no' };
  };
}

export interface EngineMount {
  readonly Type: 'bind' | 'volume' | 'tmpfs';
  readonly Target: string;
  readonly Source?: string;
  readonly ReadOnly?: boolean;
}

export interface EngineHealthcheck {
  readonly Test: string[];
  /** Nanoseconds, as the Engine API wants them. */
  readonly Interval?: number;
  readonly Timeout?: number;
  readonly Retries?: number;
  readonly StartPeriod?: number;
}

const NS_PER_MS = 1_000_000;

export function engineHealthcheck(check: RuntimeHealthcheck): EngineHealthcheck {
  if (check.test[0] === 'NONE') return { Test: ['NONE'] };
  return {
    Test: [...check.test],
    Interval: Math.round(check.intervalMs * NS_PER_MS),
    Timeout: Math.round(check.timeoutMs * NS_PER_MS),
    Retries: check.retries,
    StartPeriod: Math.round(check.startPeriodMs * NS_PER_MS),
  };
}

/** Entrypoint/Cmd as Docker's service tasks set them. */
export function entrypointAndCmd(spec: Pick<RuntimeTaskSpec, 'command' | 'args'>): {
  Entrypoint?: string[];
  Cmd?: string[];
} {
  const command = spec.command ?? [];
  const args = spec.args ?? [];
  if (command.length > 0) return { Entrypoint: [...command], Cmd: [...args] };
  if (args.length > 0) return { Cmd: [...args] };
  return {};
}

export function portBindings(spec: Pick<RuntimeTaskSpec, 'ports'>): {
  ExposedPorts?: Record<string, Record<string, never>>;
  PortBindings?: Record<string, { HostPort: string }[]>;
} {
  if (spec.ports.length === 0) return {};
  const exposed: Record<string, Record<string, never>> = {};
  const bindings: Record<string, { HostPort: string }[]> = {};
  for (const port of spec.ports) {
    const key = `${port.targetPort}/${port.protocol}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostPort: String(port.publishedPort) });
  }
  return { ExposedPorts: exposed, PortBindings: bindings };
}

/** The spec's mounts, then the read-only secret/config file mounts. */
export function engineMounts(spec: Pick<RuntimeTaskSpec, 'mounts'>, files: readonly FileMount[]): EngineMount[] {
  const mounts: EngineMount[] = spec.mounts.map((m) => {
    const readOnly = m.readOnly === true ? { ReadOnly: true } : {};
    if (m.type === 'tmpfs') return { Type: 'tmpfs', Target: m.target, ...readOnly };
    return m.source === undefined
      ? { Type: m.type, Target: m.target, ...readOnly }
      : { Type: m.type, Source: m.source, Target: m.target, ...readOnly };
  });
  for (const file of files) mounts.push({ Type: 'bind', Source: file.source, Target: file.target, ReadOnly: true });
  return mounts;
}

/** The container's name and create body. `files` are the secret/config mounts planned for it. */
export function containerCreateOptions(
  spec: RuntimeTaskSpec,
  files: readonly FileMount[],
): { name: string; body: ContainerCreateBody } {
  const ports = portBindings(spec);
  const body: ContainerCreateBody = {
    Image: spec.image,
    ...entrypointAndCmd(spec),
    Env: [...spec.env],
    ...(spec.dir !== undefined && spec.dir !== '' ? { WorkingDir: spec.dir } : {}),
    ...(spec.user !== undefined && spec.user !== '' ? { User: spec.user } : {}),
    Labels: taskLabels(spec),
    ...(spec.stopSignal !== undefined && spec.stopSignal !== '' ? { StopSignal: spec.stopSignal } : {}),
    StopTimeout: Math.ceil(spec.stopGracePeriodMs / 1000),
    ...(spec.healthcheck !== undefined ? { Healthcheck: engineHealthcheck(spec.healthcheck) } : {}),
    ...(ports.ExposedPorts !== undefined ? { ExposedPorts: ports.ExposedPorts } : {}),
    HostConfig: {
      Mounts: engineMounts(spec, files),
      ...(spec.resources.nanoCPUs !== undefined && spec.resources.nanoCPUs > 0
        ? { NanoCpus: spec.resources.nanoCPUs }
        : {}),
      ...(spec.resources.memoryBytes !== undefined && spec.resources.memoryBytes > 0
        ? { Memory: spec.resources.memoryBytes }
        : {}),
      ...(ports.PortBindings !== undefined ? { PortBindings: ports.PortBindings } : {}),
      RestartPolicy: { Name: 'no' },
    },
  };
  return { name: taskName(spec), body };
}
