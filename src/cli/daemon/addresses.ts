// Listen and advertise addresses as `docker swarm init|join` takes them:
// "ip", "ip:port", or "0.0.0.0:2377"; the advertised one defaults to the
// listen address, or this host's only non-loopback IPv4 address.
import { networkInterfaces } from 'node:os';
import { ShoalError } from '../../api/errors.js';

export const DEFAULT_PORT = 2377;

export function splitHostPort(addr: string, defaultPort = DEFAULT_PORT): { host: string; port: number } {
  const m = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(addr.trim());
  const host = m?.[1] ?? '';
  const port = m?.[2] !== undefined ? Number(m[2]) : defaultPort;
  if (host === '' || !(port > 0 && port < 65536)) throw new ShoalError('InvalidArgument', `invalid address "${addr}": expected IP[:PORT]`);
  return { host, port };
}

export function advertiseFor(listen: { host: string; port: number }, advertise: string | undefined): { host: string; port: number } {
  if (advertise !== undefined && advertise !== '') return splitHostPort(advertise, listen.port);
  if (listen.host !== '0.0.0.0' && listen.host !== '::') return listen;
  const candidates = Object.values(networkInterfaces())
    .flat()
    .filter((i) => i !== undefined && i.family === 'IPv4' && !i.internal)
    .map((i) => i!.address);
  if (candidates.length === 1) return { host: candidates[0]!, port: listen.port };
  if (candidates.length === 0) return { host: '127.0.0.1', port: listen.port };
  throw new ShoalError('InvalidArgument', `could not choose an IP address to advertise since this system has multiple addresses (${candidates.join(' and ')}) - specify one with --advertise-addr`);
}

export const hostPort = (a: { host: string; port: number }): string => (a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`);
