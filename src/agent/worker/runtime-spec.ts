// Map: a task as the managers assign it -> what a runtime runs (swarmkit's
// container adapter, agent/exec/dockerapi/container.go). Pure; every input
// is an argument.
//
// Not mapped yet: secret and config data (the assignment carries references,
// not the bytes; delivered empty), overlay network attachments.
import type { Healthcheck, Mount } from '../../api/container-spec.js';
import type { PortConfig } from '../../api/service-spec.js';
import type { Task } from '../../api/task.js';
import type { RuntimeHealthcheck, RuntimeMount, RuntimePort, RuntimeTaskSpec } from '../runtime/types.js';

const NS_PER_MS = 1_000_000;

/** Docker's default StopGracePeriod, for tasks whose spec says nothing. */
export const DEFAULT_STOP_GRACE_MS = 10_000;

export interface RuntimeSpecContext {
  readonly nodeId: string;
  /** The service's name (`<service>.<slot>.<task id>` names the container); the service id when unknown. */
  readonly serviceName: string | undefined;
}

export function nsToMs(ns: number): number {
  return Math.max(0, Math.round(ns / NS_PER_MS));
}

/** How long a stop waits before SIGKILL. */
export function stopGraceMs(task: Pick<Task, 'Spec'>): number {
  const ns = task.Spec.ContainerSpec.StopGracePeriod;
  return Number.isFinite(ns) && ns >= 0 ? nsToMs(ns) : DEFAULT_STOP_GRACE_MS;
}

/** Whether the task's container runs a health check (an empty Test keeps the image's, which the runtime knows). */
export function hasHealthcheck(task: Pick<Task, 'Spec'>): boolean {
  const test = task.Spec.ContainerSpec.Healthcheck?.Test ?? [];
  return test.length > 0 && test[0] !== 'NONE';
}

export function runtimeMount(m: Mount): RuntimeMount {
  return {
    type: m.Type,
    target: m.Target,
    ...(m.Source !== undefined && m.Source !== '' ? { source: m.Source } : {}),
    ...(m.ReadOnly === true ? { readOnly: true } : {}),
  };
}

/** An empty Test keeps the image's check (undefined here); ["NONE"] turns it off. Zero durations mean the engine's defaults. */
export function runtimeHealthcheck(h: Healthcheck | undefined): RuntimeHealthcheck | undefined {
  if (h === undefined || h.Test.length === 0) return undefined;
  return {
    test: [...h.Test],
    intervalMs: nsToMs(h.Interval),
    timeoutMs: nsToMs(h.Timeout),
    retries: h.Retries,
    startPeriodMs: nsToMs(h.StartPeriod),
  };
}

/** Host-mode ports with a published port: bound on this node. Ingress ports go through the routing mesh, not the task. */
export function hostPorts(ports: readonly PortConfig[] | undefined): RuntimePort[] {
  const out: RuntimePort[] = [];
  for (const p of ports ?? []) {
    if (p.PublishMode !== 'host' || p.PublishedPort === undefined || p.PublishedPort <= 0) continue;
    out.push({ protocol: p.Protocol, targetPort: p.TargetPort, publishedPort: p.PublishedPort });
  }
  return out;
}

export function runtimeSpecOf(task: Task, ctx: RuntimeSpecContext): RuntimeTaskSpec {
  const c = task.Spec.ContainerSpec;
  const limits = task.Spec.Resources.Limits;
  const healthcheck = runtimeHealthcheck(c.Healthcheck);
  return {
    taskId: task.ID,
    serviceId: task.ServiceID,
    serviceName: ctx.serviceName ?? task.ServiceID,
    ...(task.Slot !== undefined && task.Slot > 0 ? { slot: task.Slot } : {}),
    nodeId: ctx.nodeId,
    image: c.Image,
    ...(c.Command !== undefined && c.Command.length > 0 ? { command: [...c.Command] } : {}),
    ...(c.Args !== undefined && c.Args.length > 0 ? { args: [...c.Args] } : {}),
    env: [...(c.Env ?? [])],
    ...(c.Dir !== undefined && c.Dir !== '' ? { dir: c.Dir } : {}),
    ...(c.User !== undefined && c.User !== '' ? { user: c.User } : {}),
    labels: { ...c.Labels },
    mounts: (c.Mounts ?? []).map(runtimeMount),
    resources: {
      ...(limits.NanoCPUs > 0 ? { nanoCPUs: limits.NanoCPUs } : {}),
      ...(limits.MemoryBytes > 0 ? { memoryBytes: limits.MemoryBytes } : {}),
    },
    ports: hostPorts(task.Status.PortStatus?.Ports),
    ...(c.StopSignal !== undefined && c.StopSignal !== '' ? { stopSignal: c.StopSignal } : {}),
    stopGracePeriodMs: stopGraceMs(task),
    ...(healthcheck !== undefined ? { healthcheck } : {}),
    secrets: [],
    configs: [],
  };
}
