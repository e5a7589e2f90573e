import test from 'ava';
import { MemoryStore } from '../../../src/manager/store/memory-store.js';
import { LocalProposer, Store, type Proposer } from '../../../src/manager/store/store.js';
import type { StoredObject } from '../../../src/manager/store/tables.js';

const now = () => new Date('2026-11-22T00:00:00Z');
type Svc = StoredObject & { Spec: { Name: string; Replicas: number } };

function svc(id: string, name: string, replicas: number): Svc {
  return { ID: id, Version: { Index: 0 }, CreatedAt: '', UpdatedAt: '', Spec: { Name: name, Replicas: replicas } };
}

test('a transaction reads its own writes and commits as one change set', async (t) => {
  const m = new MemoryStore();
  const store = new Store(m, new LocalProposer(m), { now });
  const w = m.watch();
  const found = await store.update((tx) => {
    tx.create('services', svc('s1', 'web', 1));
    tx.create('tasks', { ID: 't1', Version: { Index: 0 }, CreatedAt: '', UpdatedAt: '', ServiceID: 's1', Slot: 1 } as StoredObject);
    return tx.find('tasks', 'service', 's1').length;
  });
  t.is(found, 1);
  const batch = w.drain();
  t.is(batch.length, 1);
  t.is(batch[0]?.events.length, 2);
});

test('a transaction that loses a version race runs again on the new state', async (t) => {
  const m = new MemoryStore();
  const local = new LocalProposer(m);
  m.apply(1, { at: 'x', actions: [{ kind: 'create', table: 'services', object: svc('s1', 'web', 1) }] });
  let raced = false;
  // The first proposal is overtaken by another writer's commit.
  const racing: Proposer = {
    propose: async (changes) => {
      if (!raced) {
        raced = true;
        const cur = m.view((tx) => tx.get('services', 's1')) as Svc;
        m.apply(2, { at: 'y', actions: [{ kind: 'update', table: 'services', object: { ...cur, Spec: { ...cur.Spec, Replicas: 10 } } as StoredObject }] });
      }
      return local.propose(changes);
    },
  };
  const store = new Store(m, racing, { now });
  let runs = 0;
  await store.update((tx) => {
    runs++;
    const cur = tx.get('services', 's1') as Svc;
    tx.update('services', { ...cur, Spec: { ...cur.Spec, Replicas: cur.Spec.Replicas + 1 } } as StoredObject);
  });
  t.is(runs, 2);
  t.is((m.view((tx) => tx.get('services', 's1')) as Svc).Spec.Replicas, 11);
});

test('deleting an object created in the same transaction leaves no action', async (t) => {
  const m = new MemoryStore();
  const store = new Store(m, new LocalProposer(m), { now });
  await store.update((tx) => {
    tx.create('services', svc('s1', 'web', 1));
    tx.delete('services', 's1');
  });
  t.is(m.appliedIndex, 0);
});
