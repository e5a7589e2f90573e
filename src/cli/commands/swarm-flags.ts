// Flag values of `swarm init|join|update` in pflag's and docker/cli's words
// (cli/command/swarm/opts.go, ipnet_slice.go): Go durations, node addresses
// (`<ip|interface>[:port]`, default port 2377), CIDR lists, availability.
import { ShoalError } from '../../api/errors.js';
import { parseCidr } from '../../api/cidr.js';
import { flagArgumentError, parseGoDuration } from '../../api/units.js';
import type { Flags } from '../framework/flags.js';
import { UsageError } from '../framework/flags.js';

export const DEFAULT_LISTEN_ADDR = '0.0.0.0:2377';
const DEFAULT_PORT = '2377';

/** A duration flag (pflag DurationVar) in nanoseconds, or undefined when not given. */
export function durationFlag(flags: Flags, name: string): number | undefined {
  const text = flags.string(name);
  if (text === undefined) return undefined;
  const parsed = parseGoDuration(text);
  if (!parsed.ok) throw new UsageError(flagArgumentError(name, text, parsed.error));
  return parsed.value;
}

/**
 * NodeAddrOption (opts.ParseTCPAddr with default 0.0.0.0:2377): a missing
 * host is 0.0.0.0, a missing port 2377; `tcp://` is accepted and dropped.
 */
export function nodeAddrFlag(flags: Flags, name: string): string | undefined {
  const text = flags.string(name);
  if (text === undefined) return undefined;
  const bare = text.replace(/^tcp:\/\//, '');
  if (bare.includes('://')) throw new UsageError(flagArgumentError(name, text, `invalid proto, expected tcp: ${text}`));
  if (bare.startsWith('[')) {
    // [ipv6] or [ipv6]:port
    const m = /^(\[[^\]]+\])(?::(\d*))?$/.exec(bare);
    if (m === null) throw new UsageError(flagArgumentError(name, text, `invalid bind address format: ${text}`));
    return `${m[1] ?? ''}:${m[2] !== undefined && m[2] !== '' ? m[2] : DEFAULT_PORT}`;
  }
  const colon = bare.lastIndexOf(':');
  const host = colon < 0 ? bare : bare.slice(0, colon);
  const port = colon < 0 ? '' : bare.slice(colon + 1);
  if (host.includes(':')) throw new UsageError(flagArgumentError(name, text, `invalid bind address format: ${text}`));
  if (port !== '' && !/^\d+$/.test(port)) throw new UsageError(flagArgumentError(name, text, `invalid port: ${port}`));
  return `${host === '' ? '0.0.0.0' : host}:${port === '' ? DEFAULT_PORT : port}`;
}

/** The network address of an IPv4 CIDR, as Go's IPNet.String() prints it (`10.1.2.3/16` -> `10.1.0.0/16`). */
function maskedIpv4(address: string, prefix: number): string {
  const octets = address.split('.').map(Number);
  const value = octets.reduce((acc, o) => acc * 256 + o, 0);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const net = (value & mask) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (net >>> s) & 255).join('.')}/${prefix}`;
}

/** ipNetSlice: every value is a comma-separated list of CIDRs; all lists are joined. */
export function cidrListFlag(flags: Flags, name: string): string[] | undefined {
  if (!flags.has(name)) return undefined;
  const out: string[] = [];
  for (const value of flags.list(name)) {
    const cleaned = value.replace(/["'`]/g, '');
    if (cleaned === '') continue;
    for (const item of cleaned.split(',')) {
      const cidr = parseCidr(item.trim());
      if (cidr === undefined) throw new UsageError(flagArgumentError(name, value, `invalid string being converted to CIDR: ${item}`));
      out.push(cidr.family === 'ipv4' ? maskedIpv4(cidr.address, cidr.prefix) : `${cidr.address}/${cidr.prefix}`);
    }
  }
  return out;
}

export type Availability = 'active' | 'pause' | 'drain';

/** `--availability` of init/join: lower-cased, and refused in docker/cli's words when unknown. */
export function availabilityFlag(flags: Flags): Availability | undefined {
  const text = flags.string('availability');
  if (text === undefined) return undefined;
  const lower = text.toLowerCase();
  if (lower === 'active' || lower === 'pause' || lower === 'drain') return lower;
  throw new ShoalError('InvalidArgument', `invalid availability "${text}", only active, pause and drain are supported`, 'local');
}

/** `host:port` for a join command: the port defaults to 2377; a bare IPv6 address is bracketed (net.JoinHostPort). */
export function withDefaultPort(addr: string): string {
  if (/^\[.*\]:\d+$/.test(addr)) return addr;
  if (addr.startsWith('[')) return `${addr}:${DEFAULT_PORT}`;
  const colons = addr.split(':').length - 1;
  if (colons === 1 && /:\d+$/.test(addr)) return addr;
  return colons > 1 ? `[${addr}]:${DEFAULT_PORT}` : `${addr}:${DEFAULT_PORT}`;
}
