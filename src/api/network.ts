// A swarm network (moby api/types/swarm/network.go), its spec's schema and
// swarmkit's rules (manager/controlapi/network.go), and the shape `docker
// network inspect` prints for it.
import { cidrContains, ipFamily, parseCidr } from './cidr.js';
import type { NetworkId } from './ids.js';
import type { Driver, Labels, Timestamp, Version } from './object-meta.js';
import { checkObjectName, labelsSchema } from './object-meta.js';
import * as s from './schema.js';
import { type Checked, type FieldIssue, at, decode, invalid, issue, valid } from './validation.js';

export interface IPAMConfig {
  readonly Subnet: string;
  readonly Range?: string;
  readonly Gateway?: string;
}

export interface IPAMOptions {
  readonly Driver: Driver;
  readonly Configs: readonly IPAMConfig[];
}

export interface NetworkSpec {
  readonly Name: string;
  readonly Labels: Labels;
  readonly DriverConfiguration: Driver;
  readonly IPv6Enabled: boolean;
  readonly Internal: boolean;
  /** Standalone containers may attach (`--attachable`). */
  readonly Attachable: boolean;
  /** The routing-mesh network; there is one per cluster. */
  readonly Ingress: boolean;
  readonly IPAMOptions?: IPAMOptions;
  readonly Scope: 'swarm';
}

export interface Network {
  readonly ID: NetworkId;
  readonly Version: Version;
  readonly CreatedAt: Timestamp;
  readonly UpdatedAt: Timestamp;
  readonly Spec: NetworkSpec;
  /** The allocator's result: the driver and its options, e.g. the VXLAN id. */
  readonly DriverState: Driver;
  /** Subnets and gateways actually allocated. */
  readonly IPAMOptions?: IPAMOptions;
}

export const OVERLAY_DRIVER = 'overlay';
export const DEFAULT_IPAM_DRIVER = 'default';
/** The label swarmkit reserves for its own networks (ingress). */
export const INTERNAL_NETWORK_LABEL = 'com.docker.swarm.internal';
export const VXLAN_ID_OPTION = 'com.docker.network.driver.overlay.vxlanid_list';

const driverInput = s.object({ Name: s.optional(s.string({ max: 128 })), Options: s.optional(s.record(s.string())) });

export const networkSpecSchema = s.object({
  Name: s.optional(s.string({ max: 1024 })),
  Labels: s.optional(labelsSchema),
  DriverConfiguration: s.optional(driverInput),
  IPv6Enabled: s.optional(s.boolean()),
  Internal: s.optional(s.boolean()),
  Attachable: s.optional(s.boolean()),
  Ingress: s.optional(s.boolean()),
  IPAMOptions: s.optional(
    s.object({
      Driver: s.optional(driverInput),
      Configs: s.optional(
        s.array(
          s.object({ Subnet: s.optional(s.string({ max: 64 })), Range: s.optional(s.string({ max: 64 })), Gateway: s.optional(s.string({ max: 64 })) }),
          { max: 16 },
        ),
      ),
    }),
  ),
});
export type NetworkSpecInput = s.Infer<typeof networkSpecSchema>;

/** Defaults: the overlay driver, the default IPAM driver, not internal/attachable/ingress. */
export function withNetworkDefaults(n: NetworkSpecInput): NetworkSpec {
  const ipam = n.IPAMOptions;
  return {
    Name: n.Name ?? '',
    Labels: n.Labels ?? {},
    DriverConfiguration: {
      Name: n.DriverConfiguration?.Name ?? OVERLAY_DRIVER,
      ...(n.DriverConfiguration?.Options !== undefined ? { Options: n.DriverConfiguration.Options } : {}),
    },
    IPv6Enabled: n.IPv6Enabled ?? false,
    Internal: n.Internal ?? false,
    Attachable: n.Attachable ?? false,
    Ingress: n.Ingress ?? false,
    ...(ipam !== undefined
      ? {
          IPAMOptions: {
            Driver: {
              Name: ipam.Driver?.Name ?? DEFAULT_IPAM_DRIVER,
              ...(ipam.Driver?.Options !== undefined ? { Options: ipam.Driver.Options } : {}),
            },
            Configs: (ipam.Configs ?? []).map((c) => ({
              Subnet: c.Subnet ?? '',
              ...(c.Range !== undefined && c.Range !== '' ? { Range: c.Range } : {}),
              ...(c.Gateway !== undefined && c.Gateway !== '' ? { Gateway: c.Gateway } : {}),
            })),
          },
        }
      : {}),
    Scope: 'swarm',
  };
}

function checkIpamConfig(c: IPAMConfig, path: string): FieldIssue | undefined {
  const subnet = parseCidr(c.Subnet);
  if (subnet === undefined) return issue(at(path, 'Subnet'), `ipam configuration: invalid subnet ${c.Subnet}`);
  if (c.Range !== undefined) {
    const range = parseCidr(c.Range);
    if (range === undefined) return issue(at(path, 'Range'), `ipam configuration: invalid range ${c.Range}`);
    if (!cidrContains(subnet, range.address) || range.prefix < subnet.prefix) {
      return issue(at(path, 'Range'), `ipam configuration: subnet ${c.Subnet} does not contain range ${c.Range}`);
    }
  }
  if (c.Gateway !== undefined) {
    if (ipFamily(c.Gateway) === undefined) return issue(at(path, 'Gateway'), `ipam configuration: invalid gateway ${c.Gateway}`);
    if (!cidrContains(subnet, c.Gateway)) {
      return issue(at(path, 'Gateway'), `ipam configuration: subnet ${c.Subnet} does not contain gateway ${c.Gateway}`);
    }
  }
  return undefined;
}

/** swarmkit validateNetworkSpec, plus the reserved label rule of CreateNetwork. */
export function checkNetworkSpec(n: NetworkSpec): FieldIssue | undefined {
  const name = checkObjectName(n.Name);
  if (name !== undefined) return name;
  if (INTERNAL_NETWORK_LABEL in n.Labels) {
    return issue('Labels', `label ${INTERNAL_NETWORK_LABEL} is for predefined internal networks and cannot be applied by users`);
  }
  if (n.DriverConfiguration.Name === '') return issue('DriverConfiguration.Name', 'driver name: if driver is specified name is required');
  if (n.DriverConfiguration.Name !== OVERLAY_DRIVER) return issue('DriverConfiguration.Name', 'invalid driver specified');
  const ipam = n.IPAMOptions;
  if (ipam === undefined) return undefined;
  if (ipam.Driver.Name !== DEFAULT_IPAM_DRIVER) return issue('IPAMOptions.Driver.Name', 'invalid IPAM specified');
  for (const [i, c] of ipam.Configs.entries()) {
    const problem = checkIpamConfig(c, at('IPAMOptions.Configs', i));
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** What a client sent -> a complete, valid network spec. */
export function decodeNetworkSpec(value: unknown): Checked<NetworkSpec> {
  const d = decode(networkSpecSchema, value);
  if (!d.ok) return d;
  const spec = withNetworkDefaults(d.value);
  const problem = checkNetworkSpec(spec);
  return problem === undefined ? valid(spec) : invalid(problem.path, problem.message);
}

/** The shape `docker network inspect` prints for a swarm network. */
export function networkInspectView(network: Network): Record<string, unknown> {
  const spec = network.Spec;
  const ipam = network.IPAMOptions ?? spec.IPAMOptions;
  const options = { ...(spec.DriverConfiguration.Options ?? {}), ...(network.DriverState.Options ?? {}) };
  return {
    Name: spec.Name,
    Id: network.ID,
    Created: network.CreatedAt,
    Scope: spec.Scope,
    Driver: network.DriverState.Name !== '' ? network.DriverState.Name : spec.DriverConfiguration.Name,
    EnableIPv6: spec.IPv6Enabled,
    IPAM: {
      Driver: ipam?.Driver.Name ?? DEFAULT_IPAM_DRIVER,
      Options: ipam?.Driver.Options ?? null,
      Config: (ipam?.Configs ?? []).map((c) => ({ Subnet: c.Subnet, ...(c.Gateway !== undefined ? { Gateway: c.Gateway } : {}) })),
    },
    Internal: spec.Internal,
    Attachable: spec.Attachable,
    Ingress: spec.Ingress,
    Containers: null,
    Options: options,
    Labels: Object.keys(spec.Labels).length > 0 ? spec.Labels : null,
  };
}
