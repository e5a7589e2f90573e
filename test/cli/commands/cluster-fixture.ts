// The three-node swarm of the seed tutorial (seed 002), for node command tests.
import type { Node } from '../../../src/api/node.js';
import { FakeDaemon } from '../fake-daemon.js';
import { makeNode, makeService, makeTask } from '../fake-objects.js';

export const NODE01 = makeNode({ id: 'ynz304mbltxx10v3i15ldkmj1', hostname: 'docker-node01', role: 'manager', leader: true, addr: '192.168.0.41', engineVersion: '19.03.11' });
export const NODE02 = makeNode({ id: 'tzkm0ymzjdmc1r8d54snievf1', hostname: 'docker-node02', addr: '192.168.0.42', engineVersion: '19.03.11' });
export const NODE03 = makeNode({ id: 'aeo8j7zit9qkoeeft3j0q1h0z', hostname: 'docker-node03', role: 'manager', addr: '192.168.0.43', engineVersion: '19.03.11' });
export const SEED_NODES: readonly Node[] = [NODE03, NODE01, NODE02];

const started: FakeDaemon[] = [];

/** A fake daemon on `self` (default docker-node01) of the seed's swarm; closed by `closeFakes`. */
export async function seedSwarm(self: Node = NODE01, nodes: readonly Node[] = SEED_NODES): Promise<FakeDaemon> {
  const f = await FakeDaemon.start();
  started.push(f);
  f.useCluster(nodes, self.ID);
  return f;
}

export async function closeFakes(): Promise<void> {
  await Promise.all(started.splice(0).map((f) => f.close()));
}

const HOUR = 3600_000;

/** `web` with three slots over node02/node03, slot 3 moved from node03 to node02; `myweb` global. */
export function seedTasks(f: FakeDaemon, nowMs = Date.now()): void {
  const web = makeService('mbiap412jyugfpi4a38mb5i1k', { Name: 'web', TaskTemplate: { ContainerSpec: { Image: 'docker-registry.io/test/nginx:latest@sha256:54d65cbcbff52ee7d789cd285fbe68f07a46e3419c8fcded437af4c616915c85' } } });
  const myweb = makeService('i0j6wvvtfe1360ibj04jxulmd', { Name: 'myweb', Mode: { Global: {} }, TaskTemplate: { ContainerSpec: { Image: 'nginx:1.25' } } });
  f.state.services = [web, myweb];
  f.state.tasks = [
    makeTask({ id: '1rt0e7u4senzmltt4z0ro4bxm', service: web, slot: 1, nodeId: NODE02.ID, createdMs: nowMs - 3 * HOUR }),
    makeTask({ id: '31ll0zu7udldpzb0t6rrl3fuo', service: web, slot: 2, nodeId: NODE02.ID, createdMs: nowMs - 3 * HOUR, state: 'failed', desired: 'shutdown', err: 'task: non-zero exit (137): the container was killed because it ran out of memory' }),
    makeTask({ id: 't3gjvsgtpuqlkyibn7mntd7r8', service: web, slot: 3, nodeId: NODE02.ID, createdMs: nowMs - 2 * HOUR, ports: { Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'host' }] } }),
    makeTask({ id: 'l9jtbswl2x22stc5swmbpmxr2', service: web, slot: 3, nodeId: NODE03.ID, createdMs: nowMs - 5 * HOUR, state: 'shutdown', desired: 'shutdown', statusMs: nowMs - 2 * HOUR }),
    makeTask({ id: 'j7w490h2lonsbfeyqdgwpnxh5', service: myweb, nodeId: NODE02.ID, createdMs: nowMs - 40 * 60_000 }),
  ];
}
