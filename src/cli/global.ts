// Options every command sees, from the root's flags and the environment.
import type { Flags } from './framework/flags.js';
import type { FlagDef } from './framework/flags.js';
import type { RpcClient } from '../net/rpc/index.js';
import { connect, resolveHost, type HostOptions } from './connect.js';

export const GLOBAL_FLAGS: readonly FlagDef[] = [
  { name: 'host', short: 'H', kind: 'string', usage: 'Daemon socket to connect to (unix:///path or wss://host:port)', valueName: 'string' },
  { name: 'tlscacert', kind: 'string', usage: 'Trust certs signed only by this CA', valueName: 'string' },
  { name: 'tlscert', kind: 'string', usage: 'Path to TLS certificate file', valueName: 'string' },
  { name: 'tlskey', kind: 'string', usage: 'Path to TLS key file', valueName: 'string' },
];

export interface Global {
  readonly host: string;
  /** The client for the chosen daemon, made on first use and closed by the CLI at exit. */
  client(): RpcClient;
  close(): Promise<void>;
}

export function makeGlobal(flags: Flags, env: Readonly<Record<string, string | undefined>>): Global {
  const opts: HostOptions = { host: flags.string('host'), tlsCaCert: flags.string('tlscacert'), tlsCert: flags.string('tlscert'), tlsKey: flags.string('tlskey') };
  const host = resolveHost(opts, env);
  let client: RpcClient | null = null;
  return {
    host,
    client: () => (client ??= connect(host, opts, env)),
    close: async () => {
      if (client !== null) await client.close();
    },
  };
}
