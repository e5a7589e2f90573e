// The local control socket: HTTP + WebSocket upgrade on a unix socket with
// mode 0600, so only the owner (root for shoald) can connect. Every peer is
// `{ kind: 'local' }`.
//
// The socket is bound under a temporary name, chmod-ed, then renamed into
// place, so there is no moment when the path accepts connections with the
// umask's mode.
import { randomBytes } from 'node:crypto';
import { lstat, chmod, rename, unlink } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { ShoalError } from '../../api/errors.js';
import type { Listener } from './listener.js';
import type { RpcServer } from './server.js';
import { UpgradeAcceptor, upgradeRequired } from './upgrade.js';

export interface UnixListenOptions {
  readonly path: string;
  readonly server: RpcServer;
  /** File mode of the socket (default 0o600). */
  readonly mode?: number;
}

export async function listenUnix(options: UnixListenOptions): Promise<Listener> {
  const { path, server } = options;
  await refuseLiveSocket(path);
  const acceptor = new UpgradeAcceptor(server, () => ({ ok: true, peer: { kind: 'local' } }));
  const http = createServer(upgradeRequired);
  http.headersTimeout = 10_000;
  http.requestTimeout = 10_000;
  http.on('upgrade', acceptor.onUpgrade);
  const tmp = join(dirname(path), `.shoal-${randomBytes(6).toString('hex')}.sock`);
  try {
    await listen(http, tmp);
    await chmod(tmp, options.mode ?? 0o600);
    await rename(tmp, path);
  } catch (error) {
    await closeHttp(http);
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
  const { ino } = await lstat(path);
  let closing: Promise<void> | undefined;
  return {
    address: path,
    close: () => {
      closing ??= (async () => {
        const stopped = closeHttp(http);
        await acceptor.closeAll();
        http.closeAllConnections();
        await stopped;
        // Remove the path only if it is still our socket (a new daemon may have replaced it).
        const now = await lstat(path).catch(() => undefined);
        if (now?.ino === ino) await unlink(path).catch(() => undefined);
      })();
      return closing;
    },
  };
}

/** A stale socket file is fine (we will replace it); a live one or a non-socket is not. */
async function refuseLiveSocket(path: string): Promise<void> {
  const stat = await lstat(path).catch(() => undefined);
  if (stat === undefined) return;
  if (!stat.isSocket()) {
    throw new ShoalError('FailedPrecondition', `${path} exists and is not a socket; remove it or choose another path`);
  }
  const live = await new Promise<boolean>((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (live) throw new ShoalError('AlreadyExists', `another process is already listening on ${path}; is shoald already running?`);
}

function listen(http: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(path, () => {
      http.off('error', reject);
      resolve();
    });
  });
}

function closeHttp(http: Server): Promise<void> {
  return new Promise((resolve) => http.close(() => resolve()));
}
