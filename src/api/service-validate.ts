// The rules a service spec must meet beyond its shape, in the order and the
// words of swarmkit's controlapi validateServiceSpec (annotations, task spec,
// mode, update config or the job rule, endpoint). The "TaskSpec: " prefixes
// Docker puts on some messages are replaced by the field path.
import { checkObjectName } from './object-meta.js';
import type { FieldIssue } from './validation.js';
import { type Checked, at, decode, firstIssue, issue, unwrap, valid, invalid } from './validation.js';
import type { ServiceSpec, UpdateConfig } from './service-spec.js';
import { isJobMode, serviceModeKind, serviceSpecSchema, withServiceDefaults } from './service-spec.js';
import { checkTaskSpec } from './task-spec.js';

function checkUpdateConfig(u: UpdateConfig, path: string, flag: 'update' | 'rollback'): FieldIssue | undefined {
  if (u.Delay < 0) return issue(at(path, 'Delay'), `${flag}-delay cannot be negative`);
  if (u.Monitor < 0) return issue(at(path, 'Monitor'), `${flag}-monitor cannot be negative`);
  if (u.MaxFailureRatio < 0 || u.MaxFailureRatio > 1) {
    return issue(at(path, 'MaxFailureRatio'), `${flag}-maxfailureratio cannot be less than 0 or bigger than 1`);
  }
  return undefined;
}

function checkMode(spec: ServiceSpec): FieldIssue | undefined {
  const m = spec.Mode;
  if (m.Replicated !== undefined && m.Replicated.Replicas < 0) {
    return issue('Mode.Replicated.Replicas', 'Number of replicas must be non-negative');
  }
  if (m.ReplicatedJob !== undefined) {
    if (m.ReplicatedJob.MaxConcurrent < 0) return issue('Mode.ReplicatedJob.MaxConcurrent', 'Maximum concurrent jobs must not be negative');
    if (m.ReplicatedJob.TotalCompletions < 0) {
      return issue('Mode.ReplicatedJob.TotalCompletions', 'Total completed jobs must not be negative');
    }
  }
  return undefined;
}

function checkUpdates(spec: ServiceSpec): FieldIssue | undefined {
  if (isJobMode(spec.Mode)) {
    if (spec.UpdateConfig !== undefined) return issue('UpdateConfig', 'Jobs may not have an update config');
    if (spec.RollbackConfig !== undefined) return issue('RollbackConfig', 'Jobs may not have a rollback config');
    return undefined;
  }
  return firstIssue(
    () => (spec.UpdateConfig === undefined ? undefined : checkUpdateConfig(spec.UpdateConfig, 'UpdateConfig', 'update')),
    () => (spec.RollbackConfig === undefined ? undefined : checkUpdateConfig(spec.RollbackConfig, 'RollbackConfig', 'rollback')),
  );
}

function checkEndpoint(spec: ServiceSpec): FieldIssue | undefined {
  const ep = spec.EndpointSpec;
  const published = new Set<string>();
  for (const [i, port] of ep.Ports.entries()) {
    const p = at('EndpointSpec.Ports', i);
    // The routing mesh balances through a VIP; DNS round robin has none.
    if (ep.Mode === 'dnsrr' && port.PublishMode === 'ingress') {
      return issue(p, "port published with ingress mode can't be used with dnsrr mode");
    }
    const publishedPort = port.PublishedPort ?? 0;
    if (publishedPort === 0) continue;
    const key = `${publishedPort}/${port.Protocol}`;
    if (published.has(key)) return issue(at(p, 'PublishedPort'), 'duplicate published ports provided');
    published.add(key);
  }
  return undefined;
}

/** swarmkit validateServiceSpec on a spec with defaults filled; the first issue, or undefined. */
export function checkServiceSpec(spec: ServiceSpec): FieldIssue | undefined {
  return firstIssue(
    () => checkObjectName(spec.Name),
    () => checkTaskSpec(spec.TaskTemplate, 'TaskTemplate'),
    () => checkMode(spec),
    () => checkUpdates(spec),
    () => checkEndpoint(spec),
  );
}

/** What a client sent -> a complete, valid spec: shape, Docker's defaults, Docker's rules. */
export function decodeServiceSpec(value: unknown): Checked<ServiceSpec> {
  const shaped = decode(serviceSpecSchema, value);
  if (!shaped.ok) return shaped;
  const spec = withServiceDefaults(shaped.value);
  const problem = checkServiceSpec(spec);
  return problem === undefined ? valid(spec) : invalid(problem.path, problem.message);
}

/** decodeServiceSpec, throwing InvalidArgument: `invalid service spec field <path>: <reason>`. */
export function parseServiceSpec(value: unknown): ServiceSpec {
  return unwrap('service spec', decodeServiceSpec(value));
}

/**
 * swarmkit's UpdateService rules between the stored spec and a new one:
 * a service keeps its mode kind and its name.
 */
export function checkServiceSpecChange(current: ServiceSpec, next: ServiceSpec): FieldIssue | undefined {
  if (serviceModeKind(current.Mode) !== serviceModeKind(next.Mode)) return issue('Mode', 'service mode change is not allowed');
  if (current.Name !== next.Name) return issue('Name', 'renaming services is not supported');
  return undefined;
}
