// The cluster most console tests look at: 3 managers and 3 workers (one
// down, one drained), three services (one mid-update, one with a pending
// task the scheduler explains), tasks with history, at a fixed clock.
import type { WatchEvent } from '../../../src/api/contracts/control.js';
import { ShoalError } from '../../../src/api/errors.js';
import { FakeCluster } from './fake-cluster.js';

/** 2024-06-01 12:00:00 UTC; tasks started minutes before. */
export const NOW = Date.UTC(2024, 5, 1, 12, 0, 0);
const MIN = 60_000;

export function demoCluster(): FakeCluster {
  const c = new FakeCluster(() => NOW - 10 * MIN);
  const m1 = c.addNode('manager1', { role: 'manager', leader: true });
  const m2 = c.addNode('manager2', { role: 'manager' });
  c.addNode('manager3', { role: 'manager' });
  const w1 = c.addNode('worker1', { cpus: 8, memoryGiB: 16 });
  const w2 = c.addNode('worker2', { availability: 'drain' });
  const w3 = c.addNode('worker3', { state: 'down' });
  const web = c.addService('web', { replicas: 3, image: 'nginx:1.27', EndpointSpec: { Ports: [{ TargetPort: 80, PublishedPort: 8080 }] } });
  const api = c.addService('api', { replicas: 2, image: 'registry.local/api:2.1' });
  const db = c.addService('db', { replicas: 1, image: 'postgres:16', TaskTemplate: { ContainerSpec: { Image: 'postgres:16' }, Resources: { Reservations: { NanoCPUs: 2e9, MemoryBytes: 4 * 1024 ** 3 } } } });
  c.addTask(web, { slot: 1, node: w1, atMs: NOW - 5 * MIN });
  c.addTask(web, { slot: 2, node: m1, atMs: NOW - 5 * MIN });
  c.addTask(web, { slot: 3, node: w3, atMs: NOW - 9 * MIN });
  c.addTask(web, { slot: 3, node: w2, state: 'shutdown', desired: 'shutdown', atMs: NOW - 30 * MIN });
  c.addTask(api, { slot: 1, node: m2, atMs: NOW - 2 * MIN });
  c.addTask(api, { slot: 2, state: 'failed', desired: 'shutdown', node: w1, err: 'task: non-zero exit (1)', atMs: NOW - 3 * MIN });
  c.addTask(api, { slot: 2, state: 'pending', atMs: NOW - MIN, pending: 'no suitable node (insufficient resources on 3 nodes)' });
  c.addTask(db, { slot: 1, node: w1, atMs: NOW - 20 * MIN });
  // web is being updated to nginx:1.28 (one task done).
  c.put('services', { ...c.service('web'), UpdateStatus: { State: 'updating', StartedAt: '2024-06-01T11:58:00Z', Message: 'update in progress' } });
  c.logs = new ShoalError('Unavailable', 'service logs are not available yet: agents do not stream logs to the managers in this version');
  return c;
}

/** A watch event for any object (the contract types objects as `{ ID }`). */
export function watchEvent<T extends { readonly ID: string }>(action: WatchEvent['Action'], table: WatchEvent['Table'], object: T, index: number): WatchEvent {
  return { Action: action, Table: table, Object: object, Index: index };
}
