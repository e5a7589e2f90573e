// `service ls` output, as docker/cli's service formatter writes it
// (cli/command/service/formatter.go): `ID NAME MODE REPLICAS IMAGE PORTS`,
// sorted by name in natural order; REPLICAS is running/desired with
// "(max N per node)" for replicated services that set it, and
// "(done/total completed)" for jobs; PORTS shows ingress-published ports,
// ranges folded (`*:8080-8081->80-81/tcp`). `-q` prints the short ids and
// `--format json` one JSON object per service. Pure: the caller gives the
// services, their tasks and the nodes that are up.
import { shortId } from '../../../api/format.js';
import type { Service } from '../../../api/service.js';
import type { PortConfig } from '../../../api/service-spec.js';
import type { Task } from '../../../api/task.js';
import { formatTable } from '../../framework/table.js';
import { displayImage, goJsonLine, naturalCompare } from './go-text.js';

export interface ServiceStatus {
  readonly running: number;
  readonly desired: number;
  readonly completed: number;
}

/**
 * The daemon's ServiceStatus (swarmkit ListServiceStatuses): running tasks
 * on nodes that are up; desired is the replica count, the tasks asked to
 * run for global services, and for jobs what is still to run of the current
 * iteration.
 */
export function serviceStatus(service: Service, tasks: readonly Task[], activeNodes: ReadonlySet<string>): ServiceStatus {
  const iteration = service.JobStatus?.JobIteration.Index;
  const own = tasks.filter((t) => t.ServiceID === service.ID && (iteration === undefined || t.JobIteration?.Index === iteration));
  const onActive = (t: Task) => t.NodeID !== undefined && activeNodes.has(t.NodeID);
  const running = own.filter((t) => t.Status.State === 'running' && onActive(t)).length;
  const completed = own.filter((t) => t.Status.State === 'complete').length;
  const mode = service.Spec.Mode;
  if (mode.Replicated !== undefined) return { running, desired: mode.Replicated.Replicas, completed };
  if (mode.ReplicatedJob !== undefined) {
    const job = mode.ReplicatedJob;
    return { running, desired: Math.max(0, Math.min(job.MaxConcurrent, job.TotalCompletions - completed)), completed };
  }
  if (mode.Global !== undefined) return { running, desired: own.filter((t) => t.DesiredState === 'running' && onActive(t)).length, completed };
  return { running, desired: own.filter((t) => t.DesiredState === 'complete' && t.Status.State !== 'complete').length, completed };
}

/** The MODE column. */
export function modeText(service: Service): string {
  const mode = service.Spec.Mode;
  if (mode.Global !== undefined) return 'global';
  if (mode.Replicated !== undefined) return 'replicated';
  if (mode.ReplicatedJob !== undefined) return 'replicated job';
  return 'global job';
}

/** The REPLICAS column. */
export function replicasText(service: Service, s: ServiceStatus): string {
  const mode = service.Spec.Mode;
  if (mode.ReplicatedJob !== undefined) return `${s.running}/${s.desired} (${s.completed}/${mode.ReplicatedJob.TotalCompletions} completed)`;
  if (mode.GlobalJob !== undefined) return `${s.running}/${s.desired} (${s.completed}/${s.desired + s.completed} completed)`;
  const max = service.Spec.TaskTemplate.Placement.MaxReplicas;
  if (mode.Replicated !== undefined && max > 0) return `${s.running}/${s.desired} (max ${max} per node)`;
  return `${s.running}/${s.desired}`;
}

/** The ports to show: what the allocator published, else what the spec asks for with a fixed port. */
function publishedPorts(service: Service): readonly PortConfig[] {
  return service.Endpoint?.Ports ?? service.Spec.EndpointSpec.Ports.filter((p) => (p.PublishedPort ?? 0) > 0);
}

/** The PORTS column: ingress ports by protocol and published port, consecutive ones folded into ranges. */
export function portsText(service: Service): string {
  const ports = [...publishedPorts(service)].sort((a, b) => (a.Protocol === b.Protocol ? (a.PublishedPort ?? 0) - (b.PublishedPort ?? 0) : a.Protocol < b.Protocol ? -1 : 1));
  const out: string[] = [];
  let range: { pStart: number; pEnd: number; tStart: number; tEnd: number; protocol: string } | undefined;
  const text = (r: NonNullable<typeof range>) => {
    const pub = r.pEnd > r.pStart ? `${r.pStart}-${r.pEnd}` : `${r.pStart}`;
    const tgt = r.tEnd > r.tStart ? `${r.tStart}-${r.tEnd}` : `${r.tStart}`;
    return `*:${pub}->${tgt}/${r.protocol}`;
  };
  // Go's uint32 arithmetic: "a - b > 1" also holds when a < b.
  const apart = (a: number, b: number) => a < b || a - b > 1;
  for (const p of ports) {
    if (p.PublishMode !== 'ingress') continue;
    const published = p.PublishedPort ?? 0;
    const r = range;
    if (r === undefined || p.Protocol !== r.protocol || apart(published, r.pEnd) || apart(p.TargetPort, r.tEnd) || (r.tEnd !== r.tStart && p.TargetPort <= r.tEnd)) {
      if (r !== undefined && r.pStart > 0) out.push(text(r));
      range = { pStart: published, pEnd: published, tStart: p.TargetPort, tEnd: p.TargetPort, protocol: p.Protocol };
      continue;
    }
    r.pEnd = published;
    r.tEnd = p.TargetPort;
  }
  if (range !== undefined && range.pStart > 0) out.push(text(range));
  return out.join(', ');
}

export type ListFormat = 'table' | 'json';

export interface ServiceListInput {
  readonly services: readonly Service[];
  readonly tasks: readonly Task[];
  readonly activeNodes: ReadonlySet<string>;
  readonly quiet: boolean;
  readonly format: ListFormat;
}

export function renderServiceList(input: ServiceListInput): string {
  const services = [...input.services].sort((a, b) => naturalCompare(a.Spec.Name, b.Spec.Name));
  if (input.quiet) return services.map((s) => (input.format === 'json' ? goJsonLine({ ID: shortId(s.ID) }) : shortId(s.ID))).join('\n') + (services.length > 0 ? '\n' : '');
  const rows = services.map((s) => {
    const status = serviceStatus(s, input.tasks, input.activeNodes);
    return { ID: shortId(s.ID), Name: s.Spec.Name, Mode: modeText(s), Replicas: replicasText(s, status), Image: displayImage(s.Spec.TaskTemplate.ContainerSpec.Image), Ports: portsText(s) };
  });
  if (input.format === 'json') return rows.map((r) => `${goJsonLine(r)}\n`).join('');
  return formatTable(
    ['ID', 'NAME', 'MODE', 'REPLICAS', 'IMAGE', 'PORTS'],
    rows.map((r) => [r.ID, r.Name, r.Mode, r.Replicas, r.Image, r.Ports]),
  );
}
