// Live servers and clients for tests, torn down by the caller.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import type { PeerCertificate } from 'node:tls';
import type { Peer } from '../../../../src/api/contract.js';
import { createClient, type ClientOptions, type RpcClient } from '../../../../src/net/rpc/client.js';
import { dialTls, dialUnix } from '../../../../src/net/rpc/dial.js';
import type { RpcLimits } from '../../../../src/net/rpc/limits.js';
import { listenTls, type TlsListener } from '../../../../src/net/rpc/listen-tls.js';
import { listenUnix } from '../../../../src/net/rpc/listen-unix.js';
import type { Listener } from '../../../../src/net/rpc/listener.js';
import { RpcServer } from '../../../../src/net/rpc/server.js';
import { identifyTestCert, testPki, type KeyPair } from './certs.js';
import { Probe, testService } from './contract.js';

export interface Internal {
  readonly error: unknown;
  readonly method: string;
  readonly peer: Peer;
}

export interface Fixture {
  readonly server: RpcServer;
  readonly probe: Probe;
  readonly internals: Internal[];
  readonly disposers: (() => Promise<void> | void)[];
  dispose(): Promise<void>;
}

export function makeServer(limits: Partial<RpcLimits> = {}): Fixture {
  const probe = new Probe();
  const internals: Internal[] = [];
  const server = new RpcServer({
    services: [testService(probe)],
    limits,
    onInternalError: (error, method, peer) => internals.push({ error, method, peer }),
  });
  const disposers: (() => Promise<void> | void)[] = [];
  return {
    server,
    probe,
    internals,
    disposers,
    async dispose() {
      for (const d of disposers.reverse()) await d();
      server.close();
    },
  };
}

export async function tempDir(fx: Fixture): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'shoal-rpc-'));
  fx.disposers.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export async function unixServer(limits: Partial<RpcLimits> = {}): Promise<Fixture & { path: string; listener: Listener }> {
  const fx = makeServer(limits);
  const path = join(await tempDir(fx), 'control.sock');
  const listener = await listenUnix({ path, server: fx.server });
  fx.disposers.push(() => listener.close());
  return { ...fx, path, listener };
}

export async function tlsServer(
  limits: Partial<RpcLimits> = {},
  identify: (cert: PeerCertificate) => Peer | null = identifyTestCert,
): Promise<Fixture & { listener: TlsListener }> {
  const fx = makeServer(limits);
  const pki = await testPki();
  const listener = await listenTls({ server: fx.server, host: '127.0.0.1', port: 0, ...pki.manager, ca: pki.ca, identify });
  fx.disposers.push(() => listener.close());
  return { ...fx, listener };
}

export function unixClient(fx: Fixture, path: string, options: Partial<ClientOptions> = {}): RpcClient {
  const client = createClient({ dialer: dialUnix(path), peerName: 'shoald', ...options });
  fx.disposers.push(() => client.close());
  return client;
}

export async function tlsClient(
  fx: Fixture,
  listener: TlsListener,
  who: KeyPair | 'anonymous',
  options: Partial<ClientOptions> & { ca?: string } = {},
): Promise<RpcClient> {
  const pki = await testPki();
  const creds = who === 'anonymous' ? {} : { cert: who.cert, key: who.key };
  const client = createClient({
    dialer: dialTls({ host: '127.0.0.1', port: listener.port, ca: options.ca ?? pki.ca, ...creds }),
    peerName: 'the manager',
    ...options,
  });
  fx.disposers.push(() => client.close());
  return client;
}

/** Resolve when `client` reaches `status` (now or later). */
export async function clientStatus(client: RpcClient, status: RpcClient['status']): Promise<void> {
  if (client.status === status) return;
  await new Promise<void>((resolve) => {
    const off = client.onStatus((s) => {
      if (s === status) {
        off();
        resolve();
      }
    });
  });
}

/** Resolve when the server's connection count satisfies `ok`. */
export async function connections(server: RpcServer, ok: (n: number) => boolean): Promise<void> {
  if (ok(server.connectionCount)) return;
  await new Promise<void>((resolve) => {
    const off = server.onConnectionCount((n) => {
      if (ok(n)) {
        off();
        resolve();
      }
    });
  });
}

export { once };
