import test from 'ava';
import fc from 'fast-check';
import { MemoryStore } from '../../../src/manager/store/memory-store.js';
import type { StoreAction } from '../../../src/manager/store/actions.js';
import type { StoredObject, TableName } from '../../../src/manager/store/tables.js';

const AT = '2026-11-22T00:00:00.000Z';

function obj(id: string, extra: Record<string, unknown> = {}, version = 0): StoredObject {
  return { ID: id, Version: { Index: version }, CreatedAt: '', UpdatedAt: '', ...extra } as StoredObject;
}
const create = (table: TableName, o: StoredObject): StoreAction => ({ kind: 'create', table, object: o });

test('a committed create gets the Raft index as its version and the proposer\'s time', (t) => {
  const m = new MemoryStore();
  const r = m.apply(7, { at: AT, actions: [create('services', obj('s1', { Spec: { Name: 'web' } }))] });
  t.true(r.ok);
  const s = m.view((tx) => tx.get('services', 's1'));
  t.is(s?.Version.Index, 7);
  t.is(s?.CreatedAt, AT);
  t.is(m.appliedIndex, 7);
});

test('an update on a stale version refuses the whole change set and changes nothing', (t) => {
  const m = new MemoryStore();
  m.apply(1, { at: AT, actions: [create('services', obj('s1', { Spec: { Name: 'web' } })), create('services', obj('s2', { Spec: { Name: 'db' } }))] });
  const r = m.apply(2, {
    at: AT,
    actions: [
      { kind: 'update', table: 'services', object: obj('s2', { Spec: { Name: 'db2' } }, 1) },
      { kind: 'update', table: 'services', object: obj('s1', { Spec: { Name: 'web2' } }, 0) },
    ],
  });
  t.false(r.ok);
  if (!r.ok) {
    t.is(r.error.code, 'FailedPrecondition');
    t.regex(r.error.message, /^update out of sequence/);
  }
  t.deepEqual(m.view((tx) => tx.all('services').map((s) => (s as unknown as { Spec: { Name: string } }).Spec.Name).sort()), ['db', 'web']);
  t.is(m.appliedIndex, 2, 'a refused set still consumes its index on every replica');
});

test('service names are unique, but one change set may free a name and take it again', (t) => {
  const m = new MemoryStore();
  m.apply(1, { at: AT, actions: [create('services', obj('s1', { Spec: { Name: 'web' } }))] });
  const dup = m.apply(2, { at: AT, actions: [create('services', obj('s2', { Spec: { Name: 'web' } }))] });
  t.false(dup.ok);
  if (!dup.ok) t.is(dup.error.code, 'AlreadyExists');
  const swap = m.apply(3, { at: AT, actions: [{ kind: 'delete', table: 'services', id: 's1', version: 1 }, create('services', obj('s3', { Spec: { Name: 'web' } }))] });
  t.true(swap.ok);
  t.deepEqual(m.view((tx) => tx.find('services', 'name', 'web').map((s) => s.ID)), ['s3']);
});

test('task indexes by service, node and slot follow updates', (t) => {
  const m = new MemoryStore();
  m.apply(1, { at: AT, actions: [create('tasks', obj('t1', { ServiceID: 'svc', Slot: 1 })), create('tasks', obj('t2', { ServiceID: 'svc', Slot: 2, NodeID: 'n1' }))] });
  m.apply(2, { at: AT, actions: [{ kind: 'update', table: 'tasks', object: obj('t1', { ServiceID: 'svc', Slot: 1, NodeID: 'n1' }, 1) }] });
  t.deepEqual(m.view((tx) => tx.find('tasks', 'node', 'n1').map((x) => x.ID).sort()), ['t1', 't2']);
  t.deepEqual(m.view((tx) => tx.find('tasks', 'service', 'svc').length), 2);
  t.deepEqual(m.view((tx) => tx.find('tasks', 'slot', 'svc/2').map((x) => x.ID)), ['t2']);
  m.apply(3, { at: AT, actions: [{ kind: 'delete', table: 'tasks', id: 't2', version: 1 }] });
  t.deepEqual(m.view((tx) => tx.find('tasks', 'node', 'n1').map((x) => x.ID)), ['t1']);
});

test('viewAndWatch starts exactly after the view: no gap and no repeat', async (t) => {
  const m = new MemoryStore();
  m.apply(1, { at: AT, actions: [create('nodes', obj('n1'))] });
  const [seen, w] = m.viewAndWatch((tx) => tx.all('nodes').map((n) => n.ID));
  m.apply(2, { at: AT, actions: [create('nodes', obj('n2'))] });
  m.apply(3, { at: AT, actions: [create('nodes', obj('n3'))] });
  t.deepEqual(seen, ['n1']);
  const a = await w.next();
  const b = await w.next();
  t.deepEqual([a.value?.index, b.value?.index], [2, 3]);
  t.deepEqual(a.value?.events.map((e) => e.object.ID), ['n2']);
  w.close();
  t.true((await w.next()).done);
});

test('a watcher that falls too far behind is closed with ResourceExhausted, others go on', async (t) => {
  const m = new MemoryStore();
  const slow = m.watch({ limit: 3 });
  const fine = m.watch();
  for (let i = 1; i <= 5; i++) m.apply(i, { at: AT, actions: [create('nodes', obj(`n${i}`))] });
  const err = await t.throwsAsync(slow.next());
  t.regex(err?.message ?? '', /fell behind/);
  t.is(fine.drain().length, 5);
});

test('snapshot and restore give back the same objects and index, and close watchers', async (t) => {
  const m = new MemoryStore();
  m.apply(4, { at: AT, actions: [create('services', obj('s1', { Spec: { Name: 'web' } })), create('tasks', obj('t1', { ServiceID: 's1', Slot: 1 }))] });
  const snap = m.snapshot();
  const other = new MemoryStore();
  const w = other.watch();
  other.restore(snap);
  t.deepEqual(other.snapshot(), snap);
  t.is(other.appliedIndex, 4);
  t.deepEqual(other.view((tx) => tx.find('tasks', 'service', 's1').map((x) => x.ID)), ['t1']);
  t.true((await w.next()).done);
});

test('property: secondary indexes always agree with a naive scan', (t) => {
  const action = fc.record({ op: fc.constantFrom('put', 'del'), id: fc.integer({ min: 0, max: 8 }), svc: fc.constantFrom('a', 'b'), node: fc.constantFrom('n1', 'n2', undefined) });
  fc.assert(
    fc.property(fc.array(action, { maxLength: 40 }), (ops) => {
      const m = new MemoryStore();
      let index = 0;
      for (const op of ops) {
        const id = `t${op.id}`;
        const cur = m.view((tx) => tx.get('tasks', id));
        const o = obj(id, { ServiceID: op.svc, Slot: op.id + 1, ...(op.node ? { NodeID: op.node } : {}) }, cur?.Version.Index ?? 0);
        const a: StoreAction = op.op === 'del' ? { kind: 'delete', table: 'tasks', id, version: cur?.Version.Index ?? 0 } : cur ? { kind: 'update', table: 'tasks', object: o } : create('tasks', o);
        m.apply(++index, { at: AT, actions: [a] });
      }
      const all = m.view((tx) => tx.all('tasks')) as unknown as Array<StoredObject & { ServiceID: string; NodeID?: string }>;
      for (const key of ['a', 'b']) {
        const viaIndex = m.view((tx) => tx.find('tasks', 'service', key).map((x) => x.ID).sort());
        t.deepEqual(viaIndex, all.filter((x) => x.ServiceID === key).map((x) => x.ID).sort());
      }
      for (const key of ['n1', 'n2']) {
        const viaIndex = m.view((tx) => tx.find('tasks', 'node', key).map((x) => x.ID).sort());
        t.deepEqual(viaIndex, all.filter((x) => x.NodeID === key).map((x) => x.ID).sort());
      }
    }),
    { numRuns: 300 },
  );
});
