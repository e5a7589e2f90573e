// How the CLI reaches a daemon: `-H`/`--host`, else SHOAL_HOST, else the
// default local socket. `unix://PATH` for the local control socket;
// `wss://HOST:PORT` for a remote manager, with a client certificate from
// --tlscacert/--tlscert/--tlskey or SHOAL_CERT_PATH (ca.pem, cert.pem, key.pem).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ShoalError } from '../api/errors.js';
import { createClient, dialTls, dialUnix, type RpcClient } from '../net/rpc/index.js';

export const DEFAULT_SOCKET = '/run/shoal/shoald.sock';

export interface HostOptions {
  readonly host?: string | undefined;
  readonly tlsCaCert?: string | undefined;
  readonly tlsCert?: string | undefined;
  readonly tlsKey?: string | undefined;
}

export function resolveHost(opts: HostOptions, env: Readonly<Record<string, string | undefined>>): string {
  return opts.host ?? env['SHOAL_HOST'] ?? `unix://${DEFAULT_SOCKET}`;
}

/** A client for `host`. It connects lazily; calls fail with Unavailable when nobody answers. */
export function connect(host: string, opts: HostOptions, env: Readonly<Record<string, string | undefined>>): RpcClient {
  if (host.startsWith('unix://')) {
    return createClient({ dialer: dialUnix(host.slice('unix://'.length)), peerName: `the shoal daemon at ${host}`, connectWaitMs: 5000, backoff: { initialMs: 50, maxMs: 200 } });
  }
  if (host.startsWith('wss://') || host.startsWith('tcp://')) {
    const rest = host.replace(/^(wss|tcp):\/\//, '');
    const i = rest.lastIndexOf(':');
    const hostname = i > 0 ? rest.slice(0, i) : rest;
    const port = i > 0 ? Number(rest.slice(i + 1)) : 2377;
    const certPath = env['SHOAL_CERT_PATH'];
    const file = (given: string | undefined, name: string): string => {
      const path = given ?? (certPath !== undefined ? join(certPath, name) : undefined);
      if (path === undefined) throw new ShoalError('InvalidArgument', `connecting to ${host} needs a client certificate: give --tlscacert, --tlscert and --tlskey, or set SHOAL_CERT_PATH to a folder with ca.pem, cert.pem and key.pem`);
      try {
        return readFileSync(path, 'utf8');
      } catch (err) {
        throw new ShoalError('InvalidArgument', `could not read ${path}: ${err instanceof Error ? err.message : String(err)}`);
      }
    };
    return createClient({
      dialer: dialTls({ host: hostname, port, ca: file(opts.tlsCaCert, 'ca.pem'), cert: file(opts.tlsCert, 'cert.pem'), key: file(opts.tlsKey, 'key.pem') }),
      peerName: `the shoal manager at ${host}`,
      connectWaitMs: 3000,
    });
  }
  throw new ShoalError('InvalidArgument', `unable to parse host "${host}": use unix:///path/to/shoald.sock or wss://host:port`);
}
