import test from 'ava';
import type { ServiceId } from '../../../src/api/ids.js';
import { applyPlan } from '../../../src/manager/orchestrator/apply-plan.js';
import { decideReplicated } from '../../../src/manager/orchestrator/replicated.js';
import { LocalProposer, Store, type Proposer } from '../../../src/manager/store/store.js';
import type { StoredObject } from '../../../src/manager/store/tables.js';
import { getObject } from '../../../src/manager/store/typed.js';
import { World } from './world.js';

function decide(w: World, id = 'web') {
  return w.view((v) => decideReplicated(v, id as ServiceId, w.ctx()));
}

test('a create decided on a stale view is refused when the slot has been filled since', (t) => {
  const w = new World();
  w.addService('web', { Mode: { Replicated: { Replicas: 1 } } });
  const stale = decide(w);
  w.step(decideReplicated, 'web');
  const { outcome } = w.step(() => stale, 'web');
  t.is(outcome.applied.length, 0);
  t.regex(outcome.skipped[0]?.why ?? '', /slot already held/);
  t.is(w.tasks('web').length, 1);
});

test('a restart is skipped whole when the stopped task was retired meanwhile', (t) => {
  const w = new World();
  w.addService('web', { Mode: { Replicated: { Replicas: 1 } }, TaskTemplate: { ContainerSpec: { Image: 'busybox' }, RestartPolicy: { Delay: 0 } } });
  w.converge(decideReplicated, 'web');
  const [task] = w.tasks('web');
  w.report(task?.ID ?? '', 'failed', { NodeID: 'n1' as never });
  const stale = decide(w);
  w.report(task?.ID ?? '', 'failed', { DesiredState: 'shutdown' });
  const { outcome } = w.step(() => stale, 'web');
  t.is(outcome.applied.length, 0);
  t.regex(outcome.skipped[0]?.why ?? '', /already desired shutdown/);
  t.is(w.tasks('web').length, 1, 'no replacement was created');
});

test('a create for a spec that has changed since is refused', (t) => {
  const w = new World();
  w.addService('web', { Mode: { Replicated: { Replicas: 1 } } });
  const stale = decide(w);
  w.updateService('web', (s) => ({ ...s, Labels: { a: 'b' } }));
  const { outcome } = w.step(() => stale, 'web');
  t.regex(outcome.skipped[0]?.why ?? '', /spec changed/);
  // A change that is not a spec change does not stand in the way.
  const fresh = decide(w);
  w.touchService('web', (s) => ({ ...s, UpdateStatus: { State: 'updating', StartedAt: s.UpdatedAt, Message: '' } }));
  t.is(w.step(() => fresh, 'web').outcome.applied.length, 1);
});

test('a delete is refused for a task a node took since', (t) => {
  const w = new World();
  w.addService('web', { Mode: { Replicated: { Replicas: 1 } } });
  w.converge(decideReplicated, 'web');
  const [task] = w.tasks('web');
  w.report(task?.ID ?? '', 'pending', { DesiredState: 'remove' });
  const del = { serviceId: 'web' as ServiceId, steps: [{ why: 'reap', ops: [{ kind: 'delete' as const, taskId: task?.ID ?? ('' as never) }] }] };
  w.report(task?.ID ?? '', 'assigned', { NodeID: 'n1' as never });
  const { outcome } = w.step(() => del, 'web');
  t.regex(outcome.skipped[0]?.why ?? '', /may still be running/);
});

test('applyPlan commits through the store in bounded transactions and retries a lost version race', async (t) => {
  const w = new World();
  w.addService('web', { Mode: { Replicated: { Replicas: 5 } } });
  const local = new LocalProposer(w.memory);
  let proposals = 0;
  const store = new Store(w.memory, { propose: (c) => (proposals++, local.propose(c)) }, { now: () => new Date(w.now) });
  const out = await applyPlan(store, decide(w), 2);
  t.is(out.applied.length, 5);
  t.is(proposals, 3, '5 creates in transactions of at most 2 ops');

  // Another writer changes the task between our read and our commit: the transaction runs again.
  const [task] = w.tasks('web');
  let raced = false;
  const racing: Proposer = {
    propose: (changes) => {
      if (!raced) {
        raced = true;
        const cur = w.view((v) => getObject(v, 'tasks', task?.ID ?? ''));
        w.memory.apply(w.memory.appliedIndex + 1, { at: changes.at, actions: [{ kind: 'update', table: 'tasks', object: { ...cur, Status: { ...cur?.Status, State: 'assigned' } } as unknown as StoredObject }] });
      }
      return local.propose(changes);
    },
  };
  const racer = new Store(w.memory, racing, { now: () => new Date(w.now) });
  const plan = { serviceId: 'web' as ServiceId, steps: [{ why: 'scale', ops: [{ kind: 'desire' as const, taskId: task?.ID ?? ('' as never), state: 'remove' as const }] }] };
  const r = await applyPlan(racer, plan);
  t.is(r.applied.length, 1);
  t.like(w.task(task?.ID ?? ''), { DesiredState: 'remove', Status: { State: 'assigned' } });
});
