// IP addresses and CIDR subnets, for network IPAM rules and `node.ip`
// constraints, on top of node:net (no hand-written address parsing).
import { BlockList, isIP } from 'node:net';

export type IpFamily = 'ipv4' | 'ipv6';

export interface Cidr {
  readonly address: string;
  readonly prefix: number;
  readonly family: IpFamily;
}

export function ipFamily(text: string): IpFamily | undefined {
  const v = isIP(text);
  return v === 4 ? 'ipv4' : v === 6 ? 'ipv6' : undefined;
}

/** `10.0.9.0/24` -> its parts; undefined for anything else (Go's net.ParseCIDR refusals). */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.lastIndexOf('/');
  if (slash < 0) return undefined;
  const address = text.slice(0, slash);
  const bits = text.slice(slash + 1);
  const family = ipFamily(address);
  if (family === undefined || !/^\d{1,3}$/.test(bits)) return undefined;
  const prefix = Number(bits);
  if (prefix > (family === 'ipv4' ? 32 : 128)) return undefined;
  return { address, prefix, family };
}

/** Whether `ip` lies inside `cidr` (false across families or for a malformed ip). */
export function cidrContains(cidr: Cidr, ip: string): boolean {
  const family = ipFamily(ip);
  if (family !== cidr.family) return false;
  const list = new BlockList();
  list.addSubnet(cidr.address, cidr.prefix, cidr.family);
  return list.check(ip, family);
}

/** An address (`10.0.0.5`) or a subnet (`10.0.0.0/24`) matched against `ip`. */
export function addressOrSubnetMatches(pattern: string, ip: string): boolean {
  const cidr = parseCidr(pattern);
  if (cidr !== undefined) return cidrContains(cidr, ip);
  const family = ipFamily(pattern);
  if (family === undefined || ipFamily(ip) !== family) return false;
  const list = new BlockList();
  list.addAddress(pattern, family);
  return list.check(ip, family);
}

export function isAddressOrSubnet(text: string): boolean {
  return ipFamily(text) !== undefined || parseCidr(text) !== undefined;
}
