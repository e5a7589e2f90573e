// Spec history, update and rollback on the service object.
import test from 'ava';
import fc from 'fast-check';
import type { ServiceId } from '../../src/api/ids.js';
import {
  newService,
  pushSpecHistory,
  rollbackServiceSpec,
  serviceInspectView,
  specAtVersion,
  SPEC_HISTORY_LIMIT,
  updateServiceSpec,
  type Service,
} from '../../src/api/service.js';
import { parseServiceSpec } from '../../src/api/service-validate.js';

const id = 'x9t2kl0b7mpq4r8w1n6v3c5zd' as ServiceId;
const t0 = Date.UTC(2020, 5, 20, 6, 0, 0);

function spec(image: string, replicas = 3) {
  return parseServiceSpec({ Name: 'newnginx', TaskTemplate: { ContainerSpec: { Image: image } }, Mode: { Replicated: { Replicas: replicas } } });
}

/** What the store does on commit: bump the version. */
function committed(service: Service, index: number): Service {
  return { ...service, Version: { Index: index } };
}

test('update keeps the previous spec; rollback swaps back, once', (t) => {
  // The seeds' tutorial: 2.0 with 3 replicas, update to 3.0 with 6, roll back.
  const v1 = committed(newService(id, spec('nginx:2.0'), t0), 10);
  const v2 = committed(updateServiceSpec(v1, spec('nginx:3.0', 6), t0 + 1000), 14);
  t.is(v2.Spec.TaskTemplate.ContainerSpec.Image, 'nginx:3.0');
  t.is(v2.PreviousSpec?.TaskTemplate.ContainerSpec.Image, 'nginx:2.0');
  t.deepEqual(v2.SpecVersion, { Index: 10 });
  t.deepEqual(v2.PreviousSpecVersion, { Index: 0 });
  t.is(v2.UpdateStatus, undefined);

  const r = rollbackServiceSpec(v2, t0 + 2000);
  t.true(r.ok);
  if (!r.ok) return;
  const v3 = committed(r.service, 20);
  t.is(v3.Spec.TaskTemplate.ContainerSpec.Image, 'nginx:2.0');
  t.deepEqual(v3.Spec.Mode, { Replicated: { Replicas: 3 } }); // back to 3, as the tutorial notes
  t.deepEqual(v3.UpdateStatus, { State: 'rollback_started', StartedAt: '2020-06-20T06:00:02Z', Message: 'manually requested rollback' });
  t.deepEqual(v3.SpecVersion, { Index: 0 });
  // "we can't roll back continuously": a second rollback returns to 3.0.
  const again = rollbackServiceSpec(v3, t0 + 3000);
  t.true(again.ok && again.service.Spec.TaskTemplate.ContainerSpec.Image === 'nginx:3.0');
});

test('rollback without a previous spec is refused', (t) => {
  const v1 = newService(id, spec('nginx'), t0);
  t.deepEqual(rollbackServiceSpec(v1, t0), { ok: false, reason: `service ${id} does not have a previous spec` });
});

test('history keeps the last 10 specs, one per version, current last', (t) => {
  let s = committed(newService(id, spec('app:0'), t0), 1);
  for (let i = 1; i <= 15; i++) s = committed(updateServiceSpec(s, spec(`app:${i}`), t0 + i), i + 1);
  t.is(s.SpecHistory.length, SPEC_HISTORY_LIMIT);
  t.deepEqual(
    s.SpecHistory.map((e) => e.Spec.TaskTemplate.ContainerSpec.Image),
    ['app:6', 'app:7', 'app:8', 'app:9', 'app:10', 'app:11', 'app:12', 'app:13', 'app:14', 'app:15'],
  );
  const last = s.SpecHistory.at(-1);
  t.deepEqual(last?.Version, s.SpecVersion);
  t.is(last?.Spec, s.Spec);
  t.is(specAtVersion(s, s.SpecVersion), s.Spec);
  t.is(specAtVersion(s, { Index: 1 }), undefined); // aged out
});

test('property: history invariants hold under any mix of updates and rollbacks', (t) => {
  fc.assert(
    fc.property(fc.array(fc.boolean(), { maxLength: 40 }), (ops) => {
      let s = committed(newService(id, spec('app:0'), t0), 1);
      ops.forEach((isUpdate, i) => {
        const next = isUpdate ? updateServiceSpec(s, spec(`app:${i + 1}`), t0 + i) : rollbackServiceSpec(s, t0 + i);
        if ('ok' in next) {
          if (next.ok) s = committed(next.service, i + 2);
        } else {
          s = committed(next, i + 2);
        }
      });
      const versions = s.SpecHistory.map((e) => e.Version.Index);
      const last = s.SpecHistory.at(-1);
      return (
        s.SpecHistory.length <= SPEC_HISTORY_LIMIT &&
        new Set(versions).size === versions.length &&
        last !== undefined &&
        last.Version.Index === s.SpecVersion.Index &&
        last.Spec === s.Spec &&
        (s.PreviousSpec === undefined) === (s.PreviousSpecVersion === undefined)
      );
    }),
  );
  t.pass();
});

test('pushSpecHistory replaces an entry of the same version', (t) => {
  const a = spec('a');
  const b = spec('b');
  const h = pushSpecHistory([{ Version: { Index: 1 }, Spec: a, At: 'x' }, { Version: { Index: 2 }, Spec: b, At: 'y' }], { Version: { Index: 1 }, Spec: a, At: 'z' });
  t.deepEqual(h.map((e) => [e.Version.Index, e.At]), [[2, 'y'], [1, 'z']]);
});

test('inspect shows Docker\'s fields in Docker\'s order, without the history', (t) => {
  const s = newService(id, spec('nginx'), t0);
  t.deepEqual(Object.keys(serviceInspectView(s)), ['ID', 'Version', 'CreatedAt', 'UpdatedAt', 'Spec', 'Endpoint']);
  const job = newService(id, parseServiceSpec({ Name: 'once', TaskTemplate: { ContainerSpec: { Image: 'busybox' } }, Mode: { GlobalJob: {} } }), t0);
  t.deepEqual(job.JobStatus, { JobIteration: { Index: 0 }, LastExecution: '2020-06-20T06:00:00Z' });
  t.deepEqual(updateServiceSpec(job, job.Spec, t0 + 5000).JobStatus, { JobIteration: { Index: 1 }, LastExecution: '2020-06-20T06:00:05Z' });
});
