// A FakeCluster served as the manager's Control API on a unix socket (a
// real RpcServer), so the console's flows go over the real wire: the RPC
// client, schemas, streams, errors with the manager's words.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ControlContract } from '../../../src/api/contracts/control.js';
import { ShoalError } from '../../../src/api/errors.js';
import { createClient, dialUnix, listenUnix, RpcServer, serve, type Listener, type RpcClient } from '../../../src/net/rpc/index.js';
import type { FakeCluster } from './fake-cluster.js';

export interface FakeControlServer {
  readonly socket: string;
  readonly address: string;
  /** A client as the CLI makes one for the local socket. */
  client(): RpcClient;
  close(): Promise<void>;
}

const unsupported = async (): Promise<never> => {
  throw new ShoalError('FailedPrecondition', 'not served by the console test server');
};

export async function serveFakeCluster(cluster: FakeCluster): Promise<FakeControlServer> {
  const dir = await mkdtemp(join(tmpdir(), 'shoal-tui-'));
  const socket = join(dir, 'shoald.sock');
  const c = cluster.control;
  const server = new RpcServer({
    services: [
      serve(ControlContract, {
        listNodes: async () => ({ nodes: [...cluster.nodes.values()] }),
        getNode: async (req) => c.getNode(req.ref),
        updateNode: async (req) => c.updateNode(req.ref, req.version, req.spec),
        removeNode: unsupported,
        getCluster: unsupported,
        updateCluster: unsupported,
        raftStatus: async () => cluster.raftStatus(),
        listServices: async () => ({ services: [...cluster.services.values()] }),
        getService: async (req) => c.getService(req.ref),
        createService: unsupported,
        updateService: async (req) => ({ warnings: [...(await c.updateService(req)).warnings] }),
        removeService: async (req) => c.removeService(req.ref),
        listTasks: async () => ({ tasks: [...cluster.tasks.values()] }),
        getTask: unsupported,
        watch: async (_req, sink, ctx) => {
          for await (const e of cluster.watch(ctx.signal)) await sink.send(e);
        },
        serviceLogs: async (req, sink) => {
          for await (const l of cluster.logStream(req.ref)) await sink.send(l);
        },
      }),
    ],
  });
  const listener: Listener = await listenUnix({ path: socket, server });
  const clients: RpcClient[] = [];
  return {
    socket,
    address: `unix://${socket}`,
    client: () => {
      const client = createClient({ dialer: dialUnix(socket), peerName: 'the fake manager', connectWaitMs: 800, backoff: { initialMs: 20, maxMs: 100 } });
      clients.push(client);
      return client;
    },
    close: async () => {
      await Promise.all(clients.map((x) => x.close()));
      await listener.close();
      server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
