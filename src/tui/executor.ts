// Actions as control API calls. Each reads the object fresh (the version
// the manager checks) and writes the changed spec; a write that lost a
// race ("update out of sequence") is retried on the newer version, a few
// times. The result is the status line's text: Docker's words on success,
// the manager's error text on failure.
import { assertNever, isShoalError } from '../api/errors.js';
import type { ServiceSpec } from '../api/service-spec.js';
import type { Action } from './state/actions.js';
import { doneText } from './state/actions.js';
import type { ControlPort } from './source.js';

export type Outcome = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly text: string };

const ATTEMPTS = 3;

function outOfSequence(err: unknown): boolean {
  return isShoalError(err) && err.code === 'FailedPrecondition' && /out of sequence/.test(err.message);
}

function scaled(spec: ServiceSpec, replicas: number): ServiceSpec {
  const m = spec.Mode;
  if (m.Replicated !== undefined) return { ...spec, Mode: { Replicated: { Replicas: replicas } } };
  if (m.ReplicatedJob !== undefined) return { ...spec, Mode: { ReplicatedJob: { ...m.ReplicatedJob, TotalCompletions: replicas } } };
  throw new Error('scale can only be used with replicated or replicated-job mode');
}

interface Done {
  readonly warnings: readonly string[];
  /** The replicas a relative scale reached. */
  readonly replicas?: number;
}

async function once(c: ControlPort, a: Action): Promise<Done> {
  switch (a.kind) {
    case 'node-availability': {
      const n = await c.getNode(a.nodeId);
      await c.updateNode(n.ID, n.Version.Index, { ...n.Spec, Availability: a.availability });
      return { warnings: [] };
    }
    case 'node-role': {
      const n = await c.getNode(a.nodeId);
      await c.updateNode(n.ID, n.Version.Index, { ...n.Spec, Role: a.role });
      return { warnings: [] };
    }
    case 'service-scale': {
      const s = await c.getService(a.serviceId);
      return c.updateService({ ref: s.ID, version: s.Version.Index, spec: scaled(s.Spec, a.replicas) });
    }
    case 'service-scale-by': {
      const s = await c.getService(a.serviceId);
      const m = s.Spec.Mode;
      const now = m.Replicated?.Replicas ?? m.ReplicatedJob?.TotalCompletions ?? 0;
      const replicas = Math.max(0, now + a.delta);
      const r = await c.updateService({ ref: s.ID, version: s.Version.Index, spec: scaled(s.Spec, replicas) });
      return { warnings: r.warnings, replicas };
    }
    case 'service-image': {
      const s = await c.getService(a.serviceId);
      const t = s.Spec.TaskTemplate;
      const spec: ServiceSpec = { ...s.Spec, TaskTemplate: { ...t, ContainerSpec: { ...t.ContainerSpec, Image: a.image } } };
      return c.updateService({ ref: s.ID, version: s.Version.Index, spec });
    }
    case 'service-rollback': {
      const s = await c.getService(a.serviceId);
      return c.updateService({ ref: s.ID, version: s.Version.Index, rollback: {} });
    }
    case 'service-restart': {
      const s = await c.getService(a.serviceId);
      const t = s.Spec.TaskTemplate;
      const spec: ServiceSpec = { ...s.Spec, TaskTemplate: { ...t, ForceUpdate: t.ForceUpdate + 1 } };
      return c.updateService({ ref: s.ID, version: s.Version.Index, spec });
    }
    case 'service-remove':
      await c.removeService(a.serviceId);
      return { warnings: [] };
    default:
      return assertNever(a, 'action');
  }
}

export async function execute(c: ControlPort, a: Action): Promise<Outcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      const done = await once(c, a);
      return { ok: true, text: [doneText(a, done.replicas), ...done.warnings.map((w) => `warning: ${w}`)].join('; ') };
    } catch (err) {
      if (outOfSequence(err) && attempt < ATTEMPTS) continue;
      return { ok: false, text: err instanceof Error ? err.message : String(err) };
    }
  }
}
