// `service inspect --pretty`: docker/cli's serviceInspectPrettyTemplate
// (cli/command/service/formatter.go) rendered line for line, tabs and
// trailing blanks included, followed by shoal's spec history (the kept
// versions, oldest first, what changed from one to the next). Pure: the
// caller gives the clock and network names.
import { ago, bytesSize, formatGoDuration, formatGoG } from '../../../api/format.js';
import { parseTimestamp } from '../../../api/object-meta.js';
import type { Service, SpecHistoryEntry } from '../../../api/service.js';
import type { ServiceSpec, UpdateConfig } from '../../../api/service-spec.js';

export interface PrettyContext {
  readonly nowMs: number;
  /** Network id -> name; an unknown id is shown as is. */
  readonly networkNames?: ReadonlyMap<string, string>;
}

/** Go's %v of a []string: `[a b]`. */
function goList(items: readonly string[]): string {
  return `[${items.join(' ')}]`;
}

function since(ts: string, nowMs: number): string {
  return ago(parseTimestamp(ts), nowMs);
}

function updateConfigLines(title: 'UpdateConfig' | 'RollbackConfig', u: UpdateConfig): string {
  const order = title === 'UpdateConfig' ? ' Update order:      ' : ' Rollback order:    ';
  return (
    `\n${title}:\n Parallelism:\t${u.Parallelism}` +
    (u.Delay > 0 ? `\n Delay:\t\t${formatGoDuration(u.Delay)}` : '') +
    `\n On failure:\t${u.FailureAction}` +
    (u.Monitor > 0 ? `\n Monitoring Period: ${formatGoDuration(u.Monitor)}` : '') +
    `\n Max failure ratio: ${formatGoG(u.MaxFailureRatio)}\n${order}${u.Order}`
  );
}

function modeLines(spec: ServiceSpec): string {
  const m = spec.Mode;
  if (m.Global !== undefined) return '\tGlobal';
  if (m.Replicated !== undefined) return `\tReplicated\n Replicas:\t${m.Replicated.Replicas}`;
  // docker/cli's template has no words for jobs; shoal's, in the same layout.
  if (m.ReplicatedJob !== undefined) return `\tReplicated Job\n Max Concurrent:\t${m.ReplicatedJob.MaxConcurrent}\n Total Completions:\t${m.ReplicatedJob.TotalCompletions}`;
  return '\tGlobal Job';
}

function containerLines(spec: ServiceSpec): string {
  const c = spec.TaskTemplate.ContainerSpec;
  let s = `\nContainerSpec:\n Image:\t\t${c.Image}`;
  if ((c.Args ?? []).length > 0) s += `\n Args:\t\t${(c.Args ?? []).map((a) => `${a} `).join('')}`;
  if ((c.Env ?? []).length > 0) s += `\n Env:\t\t${(c.Env ?? []).map((e) => `${e} `).join('')}`;
  if ((c.Dir ?? '') !== '') s += `\n Dir:\t\t${c.Dir ?? ''}`;
  if (c.Init !== undefined) s += `\n Init:\t\t${c.Init}`;
  if ((c.User ?? '') !== '') s += `\n User: ${c.User ?? ''}`;
  const mounts = c.Mounts ?? [];
  if (mounts.length > 0) s += '\nMounts:';
  for (const m of mounts) s += `\n Target:\t${m.Target}\n  Source:\t${m.Source ?? ''}\n  ReadOnly:\t${m.ReadOnly === true}\n  Type:\t\t${m.Type}`;
  const configs = c.Configs ?? [];
  if (configs.length > 0) s += `\nConfigs:${configs.map((r) => `\n Target:\t${r.File?.Name ?? ''}\n  Source:\t${r.ConfigName}`).join('')}`;
  const secrets = c.Secrets ?? [];
  if (secrets.length > 0) s += `\nSecrets:${secrets.map((r) => `\n Target:\t${r.File?.Name ?? ''}\n  Source:\t${r.SecretName}`).join('')}`;
  return s;
}

function resourceLines(spec: ServiceSpec): string {
  const { Limits: lim, Reservations: res } = spec.TaskTemplate.Resources;
  let s = '\nResources:';
  if (res.NanoCPUs > 0 || res.MemoryBytes > 0) {
    s += '\n Reservations:';
    if (res.NanoCPUs > 0) s += `\n  CPU:\t\t${formatGoG(res.NanoCPUs / 1e9)}`;
    if (res.MemoryBytes > 0) s += `\n  Memory:\t${bytesSize(res.MemoryBytes)}`;
  }
  if (lim.NanoCPUs > 0 || lim.MemoryBytes > 0) {
    s += '\n Limits:';
    if (lim.NanoCPUs > 0) s += `\n  CPU:\t\t${formatGoG(lim.NanoCPUs / 1e9)}`;
    if (lim.MemoryBytes > 0) s += `\n  Memory:\t${bytesSize(lim.MemoryBytes)}`;
  }
  return s;
}

function endpointLines(service: Service, ctx: PrettyContext): string {
  const spec = service.Spec;
  let s = '';
  const networks = (spec.TaskTemplate.Networks ?? []).map((n) => ctx.networkNames?.get(n.Target) ?? n.Target);
  if (networks.length > 0) s += `\nNetworks:${networks.map((n) => ` ${n}`).join('')} `;
  s += `\nEndpoint Mode:\t${spec.EndpointSpec.Mode}`;
  const ports = service.Endpoint?.Ports ?? [];
  if (ports.length > 0) {
    s += `\nPorts:${ports.map((p) => `\n PublishedPort = ${p.PublishedPort ?? 0}\n  Protocol = ${p.Protocol}\n  TargetPort = ${p.TargetPort}\n  PublishMode = ${p.PublishMode}`).join('')} `;
  }
  const hc = spec.TaskTemplate.ContainerSpec.Healthcheck;
  if (hc !== undefined) {
    s += `\n Healthcheck:\n  Interval = ${formatGoDuration(hc.Interval)}\n  Retries = ${hc.Retries}\n  StartPeriod =\t${formatGoDuration(hc.StartPeriod)}\n  Timeout =\t${formatGoDuration(hc.Timeout)}`;
    if (hc.Test.length > 0) s += `\n  Tests:${hc.Test.map((t) => `\n\t Test = ${t}`).join('')} `;
  }
  return s;
}

/** docker/cli's pretty template for one service (the leading and trailing newlines included). */
export function dockerPretty(service: Service, ctx: PrettyContext): string {
  const spec = service.Spec;
  let s = `\nID:\t\t${service.ID}\nName:\t\t${spec.Name}`;
  const labels = Object.keys(spec.Labels).sort();
  if (labels.length > 0) s += `\nLabels:${labels.map((k) => `\n ${k}${spec.Labels[k] !== '' ? `=${spec.Labels[k] ?? ''}` : ''}`).join('')}`;
  s += `\nService Mode:${modeLines(spec)}`;
  const st = service.UpdateStatus;
  if (st !== undefined) {
    s += `\nUpdateStatus:\n State:\t\t${st.State}\n Started:\t${since(st.StartedAt, ctx.nowMs)}`;
    if (st.State === 'completed' && st.CompletedAt !== undefined) s += `\n Completed:\t${since(st.CompletedAt, ctx.nowMs)}`;
    s += `\n Message:\t${st.Message}`;
  }
  const p = spec.TaskTemplate.Placement;
  s += '\nPlacement:';
  if (p.Constraints.length > 0) s += `\n Constraints:\t${goList(p.Constraints)}`;
  if (p.Preferences.length > 0) s += `\n Preferences:   ${goList(p.Preferences.map((x) => `spread=${x.Spread.SpreadDescriptor}`))}`;
  if (p.MaxReplicas > 0) s += `\n Max Replicas Per Node:   ${p.MaxReplicas}`;
  if (spec.UpdateConfig !== undefined) s += updateConfigLines('UpdateConfig', spec.UpdateConfig);
  if (spec.RollbackConfig !== undefined) s += updateConfigLines('RollbackConfig', spec.RollbackConfig);
  s += containerLines(spec);
  s += resourceLines(spec);
  s += endpointLines(service, ctx);
  return `${s}\n`;
}

// ---- shoal's spec history ----

type Leaves = Map<string, string>;

/** Leaf values of a spec by path (arrays are leaves), for telling versions apart. */
function leaves(value: unknown, path: string, out: Leaves): Leaves {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const rec = value as Record<string, unknown>;
    for (const key of Object.keys(rec).sort()) leaves(rec[key], path === '' ? key : `${path}.${key}`, out);
    if (Object.keys(rec).length === 0 && path !== '') out.set(path, '{}');
    return out;
  }
  if (value !== undefined) out.set(path, typeof value === 'string' ? value : JSON.stringify(value));
  return out;
}

const MAX_CHANGES = 8;

/** What changed between two specs: `ContainerSpec.Image: nginx:1.24 -> nginx:1.25`, TaskTemplate dropped from paths. */
export function specChanges(before: ServiceSpec, after: ServiceSpec): string[] {
  const a = leaves(before, '', new Map());
  const b = leaves(after, '', new Map());
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  const out: string[] = [];
  for (const path of paths) {
    const x = a.get(path);
    const y = b.get(path);
    if (x === y) continue;
    out.push(`${path.replace(/^TaskTemplate\./, '')}: ${x ?? '(none)'} -> ${y ?? '(none)'}`);
  }
  return out;
}

function versionLabel(service: Service, e: SpecHistoryEntry): string {
  if (e.Version.Index === service.SpecVersion.Index) return ' (current)';
  if (e.Version.Index === service.PreviousSpecVersion?.Index) return ' (previous)';
  return '';
}

/** The kept spec versions, oldest first, each with what changed since the one before. */
export function specHistoryLines(service: Service, nowMs: number): string {
  const history = service.SpecHistory;
  if (history.length === 0) return '';
  let s = 'Spec History:';
  history.forEach((e, i) => {
    const verb = e.At === service.CreatedAt ? 'created' : 'applied';
    s += `\n Version ${e.Version.Index}${versionLabel(service, e)}:\t${verb} ${since(e.At, nowMs)}`;
    const prev = history[i - 1];
    if (prev === undefined) return;
    const changes = specChanges(prev.Spec, e.Spec);
    if (changes.length === 0) s += '\n  (no change)';
    for (const c of changes.slice(0, MAX_CHANGES)) s += `\n  ${c}`;
    if (changes.length > MAX_CHANGES) s += `\n  … and ${changes.length - MAX_CHANGES} more`;
  });
  return `${s}\n`;
}

/** `service inspect --pretty` for one service: docker's text, then the history. */
export function renderPretty(service: Service, ctx: PrettyContext): string {
  return `${dockerPretty(service, ctx)}${specHistoryLines(service, ctx.nowMs)}\n`;
}
