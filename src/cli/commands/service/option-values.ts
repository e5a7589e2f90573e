// The value syntaxes of the service flags, parsed as docker/cli's opts
// package does, with its words for bad values:
// - env, label: opts.ValidateEnv, opts.ValidateLabel
// - publish: opts.PortOpt (`8080:80`, `53:53/udp`, `8000-8001:80-81`,
//   `published=8080,target=80,protocol=udp,mode=host`), go-connections/nat
// - mount: opts.MountOpt (`type=bind,source=/a,target=/b,readonly`)
// - secret, config: opts.SecretOpt / ConfigOpt (`name` or `source=,target=,uid=,gid=,mode=`)
// - network: opts.NetworkOpt (`name` or `name=,alias=,driver-opt=`)
// - placement-pref: `spread=<descriptor>`
import type { Mount } from '../../../api/container-spec.js';
import { MOUNT_TYPES } from '../../../api/container-spec.js';
import type { PortConfig, PortProtocol, PublishMode } from '../../../api/service-spec.js';
import type { PlacementPreference } from '../../../api/task-spec.js';
import type { Parsed } from '../../../api/units.js';
import { parseGoUint } from '../../../api/units.js';
import { csvRecord, parseGoBool, parseUintBits } from './go-text.js';

function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

function fail<T = never>(error: string): Parsed<T> {
  return { ok: false, error };
}

/** `KEY` or `KEY=value` split at the first `=`. */
export function cutKeyValue(text: string): { readonly key: string; readonly value: string; readonly hasValue: boolean } {
  const i = text.indexOf('=');
  return i < 0 ? { key: text, value: '', hasValue: false } : { key: text.slice(0, i), value: text.slice(i + 1), hasValue: true };
}

/** opts.ValidateEnv: a key is needed; `KEY` alone takes the value from the client's environment when it has one. */
export function envValidator(env: Readonly<Record<string, string | undefined>>) {
  return (text: string): Parsed<string> => {
    const { key, hasValue } = cutKeyValue(text);
    if (key === '') return fail(`invalid environment variable: ${text}`);
    if (hasValue) return ok(text);
    const fromClient = env[key];
    return ok(fromClient === undefined ? text : `${key}=${fromClient}`);
  };
}

/** opts.ValidateLabel: the name may not be empty. */
export function validateLabel(text: string): Parsed<string> {
  if (cutKeyValue(text).key.trim() === '') return fail(`invalid label '${text}': empty name`);
  return ok(text);
}

/** opts.ConvertKVStringsToMap: later values win, `key` alone maps to "". */
export function labelsOf(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const { key, value } = cutKeyValue(v);
    out[key] = value;
  }
  return out;
}

// ---- --publish ----

const LONG_SYNTAX = /\w+=\w+(,\w+=\w+)*/;

function portRange(text: string): Parsed<{ start: number; end: number }> {
  if (text === '') return fail('empty string specified for ports');
  const dash = text.indexOf('-');
  if (dash < 0) {
    const p = parseUintBits(text, 16);
    return p.ok ? ok({ start: p.value, end: p.value }) : p;
  }
  const start = parseUintBits(text.slice(0, dash), 16);
  if (!start.ok) return start;
  const end = parseUintBits(text.slice(dash + 1).split('-')[0] ?? '', 16);
  if (!end.ok) return end;
  if (end.value < start.value) return fail(`invalid range specified for port: ${text}`);
  return ok({ start: start.value, end: end.value });
}

function protocolOf(text: string): Parsed<PortProtocol> {
  if (text === 'tcp' || text === 'udp') return ok(text);
  if (text === 'sctp') return fail('invalid proto: sctp (shoal publishes tcp and udp ports)');
  return fail(`invalid proto: ${text}`);
}

/** nat.ParsePortSpec + PortOpt: `[[ip:]published:]target[/proto]`, ranges allowed, no host IP. */
function parseShortPort(text: string): Parsed<PortConfig[]> {
  const parts = text.split(':');
  const raw = parts[parts.length - 1] ?? '';
  const hostPort = parts.length >= 2 ? (parts[parts.length - 2] ?? '') : '';
  const ip = parts.length >= 3 ? parts.slice(0, parts.length - 2).join(':') : '';
  const slash = raw.split('/');
  const containerPort = raw === '' || (slash[0] ?? '') === '' ? '' : (slash[0] ?? '');
  const proto = slash.length > 1 && (slash[1] ?? '') !== '' ? (slash[1] ?? '') : 'tcp';
  if (containerPort === '') return fail(`no port specified: ${text}<empty>`);
  const target = portRange(containerPort);
  if (!target.ok) return fail(`invalid containerPort: ${containerPort}`);
  let published = { start: 0, end: 0 };
  if (hostPort !== '') {
    const p = portRange(hostPort);
    if (!p.ok) return fail(`invalid hostPort: ${hostPort}`);
    published = p.value;
  }
  const targets = target.value.end - target.value.start;
  if (hostPort !== '' && targets !== published.end - published.start && targets !== 0) {
    return fail(`invalid ranges specified for container and host Ports: ${containerPort} and ${hostPort}`);
  }
  const protocol = protocolOf(proto.toLowerCase());
  if (!protocol.ok) return protocol;
  if (ip !== '') return fail('hostip is not supported');
  const out: PortConfig[] = [];
  if (targets === 0) {
    // One target port: every published port of the range maps to it.
    for (let p = published.start; p <= published.end; p++) out.push(port(protocol.value, target.value.start, p, 'ingress'));
  } else {
    for (let i = 0; i <= targets; i++) out.push(port(protocol.value, target.value.start + i, hostPort === '' ? 0 : published.start + i, 'ingress'));
  }
  return ok(out);
}

function port(Protocol: PortProtocol, TargetPort: number, published: number, PublishMode: PublishMode): PortConfig {
  return { Protocol, TargetPort, ...(published !== 0 ? { PublishedPort: published } : {}), PublishMode };
}

/** PortOpt.Set: the long `key=value,...` syntax or the short one; one flag may give several ports (ranges). */
export function parsePublish(text: string): Parsed<PortConfig[]> {
  if (!LONG_SYNTAX.test(text)) return parseShortPort(text);
  const fields = csvRecord(text);
  if (!fields.ok) return fields;
  let protocol: PortProtocol = 'tcp';
  let mode: PublishMode = 'ingress';
  let target = 0;
  let published = 0;
  for (const field of fields.value) {
    const { key, value, hasValue } = cutKeyValue(field);
    if (!hasValue || key === '') return fail(`invalid field ${field}`);
    switch (key) {
      case 'protocol': {
        if (value !== 'tcp' && value !== 'udp') return fail(`invalid protocol value ${value}`);
        protocol = value;
        break;
      }
      case 'mode':
        if (value !== 'ingress' && value !== 'host') return fail(`invalid publish mode value ${value}`);
        mode = value;
        break;
      case 'target': {
        const p = parseUintBits(value, 16);
        if (!p.ok) return p;
        target = p.value;
        break;
      }
      case 'published': {
        const p = parseUintBits(value, 16);
        if (!p.ok) return p;
        published = p.value;
        break;
      }
      default:
        return fail(`invalid field key ${key}`);
    }
  }
  if (target === 0) return fail('missing mandatory field "target"');
  return ok([port(protocol, target, published, mode)]);
}

// ---- --mount ----

/** Docker's mount options that shoal's Mount does not carry. */
const UNSUPPORTED_MOUNT_KEYS = ['consistency', 'bind-propagation', 'bind-nonrecursive', 'bind-recursive', 'volume-nocopy', 'volume-label', 'volume-driver', 'volume-opt', 'volume-subpath', 'tmpfs-size', 'tmpfs-mode', 'image-subpath'];

/** MountOpt.Set: type defaults to volume; `readonly`/`ro` alone or with a bool. */
export function parseMount(text: string): Parsed<Mount> {
  const fields = csvRecord(text);
  if (!fields.ok) return fields;
  let type = 'volume';
  let source: string | undefined;
  let target = '';
  let readOnly = false;
  for (const field of fields.value) {
    const { key, value, hasValue } = cutKeyValue(field);
    if (!hasValue) {
      if (key === 'readonly' || key === 'ro') {
        readOnly = true;
        continue;
      }
      if (UNSUPPORTED_MOUNT_KEYS.includes(key)) return fail(`mount option '${key}' is not supported by shoal`);
      return fail(`invalid field '${field}' must be a key=value pair`);
    }
    switch (key) {
      case 'type':
        type = value.toLowerCase();
        break;
      case 'source':
      case 'src':
        source = value;
        break;
      case 'target':
      case 'dst':
      case 'destination':
        target = value;
        break;
      case 'readonly':
      case 'ro': {
        const b = parseGoBool(value);
        if (!b.ok) return fail(`invalid value for ${key}: ${value}`);
        readOnly = b.value;
        break;
      }
      default:
        if (UNSUPPORTED_MOUNT_KEYS.includes(key)) return fail(`mount option '${key}' is not supported by shoal`);
        return fail(`unexpected key '${key}' in '${field}'`);
    }
  }
  if (type === '') return fail('type is required');
  if (target === '') return fail('target is required');
  const mountType = MOUNT_TYPES.find((t) => t === type);
  if (mountType === undefined) return fail(`mount type '${type}' is not supported (use ${MOUNT_TYPES.join(', ')})`);
  return ok({ Type: mountType, ...(source !== undefined && source !== '' ? { Source: source } : {}), Target: target, ...(readOnly ? { ReadOnly: true } : {}) });
}

// ---- --secret, --config ----

export interface FileReference {
  /** The secret's or config's name; the manager resolves it to an id. */
  readonly source: string;
  readonly File: { readonly Name: string; readonly UID: string; readonly GID: string; readonly Mode: number };
}

/** SecretOpt.Set / ConfigOpt.Set. */
export function parseFileReference(kind: 'secret' | 'config', text: string): Parsed<FileReference> {
  const fields = csvRecord(text);
  if (!fields.ok) return fields;
  const only = fields.value[0];
  if (fields.value.length === 1 && only !== undefined && !only.includes('=')) {
    return ok({ source: only, File: { Name: only, UID: '0', GID: '0', Mode: 0o444 } });
  }
  let source = '';
  let target = '';
  let uid = '0';
  let gid = '0';
  let mode = 0o444;
  for (const field of fields.value) {
    const { key, value, hasValue } = cutKeyValue(field);
    if (!hasValue || key === '') return fail(`invalid field '${field}' must be a key=value pair`);
    switch (key.toLowerCase()) {
      case 'source':
      case 'src':
        source = value;
        break;
      case 'target':
        target = value;
        break;
      case 'uid':
        uid = value;
        break;
      case 'gid':
        gid = value;
        break;
      case 'mode': {
        const m = parseGoUint(value);
        if (!m.ok || m.value > 0xffffffff) return fail(`invalid mode specified: ${m.ok ? `strconv.ParseUint: parsing ${JSON.stringify(value)}: value out of range` : m.error}`);
        mode = m.value;
        break;
      }
      default:
        return fail(`invalid field in ${kind} request: ${key}`);
    }
  }
  if (source === '') return fail('source is required');
  return ok({ source, File: { Name: target === '' ? source : target, UID: uid, GID: gid, Mode: mode } });
}

// ---- --network ----

export interface NetworkValue {
  readonly Target: string;
  readonly Aliases?: readonly string[];
  readonly DriverOpts?: Readonly<Record<string, string>>;
}

/** NetworkOpt.Set: a name, or `name=…,alias=…,driver-opt=k=v`. */
export function parseNetwork(text: string): Parsed<NetworkValue> {
  if (!LONG_SYNTAX.test(text)) return ok({ Target: text });
  const fields = csvRecord(text);
  if (!fields.ok) return fields;
  let target = '';
  const aliases: string[] = [];
  const driverOpts: Record<string, string> = {};
  for (const field of fields.value) {
    const { key, value, hasValue } = cutKeyValue(field);
    if (!hasValue || key === '') return fail(`invalid field ${field}`);
    switch (key.trim().toLowerCase()) {
      case 'name':
        target = value;
        break;
      case 'alias':
        aliases.push(value);
        break;
      case 'driver-opt': {
        const opt = cutKeyValue(value);
        if (!opt.hasValue) return fail(`invalid key value pair format in driver options`);
        driverOpts[opt.key.trim().toLowerCase()] = opt.value;
        break;
      }
      default:
        return fail(`invalid field key ${key}`);
    }
  }
  if (target === '') return fail('network name/id is not specified');
  return ok({ Target: target, ...(aliases.length > 0 ? { Aliases: aliases } : {}), ...(Object.keys(driverOpts).length > 0 ? { DriverOpts: driverOpts } : {}) });
}

// ---- --placement-pref ----

/** placementPrefOpts.Set: `spread=<descriptor>`. */
export function parsePlacementPref(text: string): Parsed<PlacementPreference> {
  const eq = text.indexOf('=');
  const strategy = eq < 0 ? '' : text.slice(0, eq);
  if (eq < 0 || strategy === '') return fail('placement preference must be of the format "<strategy>=<arg>"');
  if (strategy !== 'spread') return fail(`unsupported placement preference ${strategy} (only spread is supported)`);
  return ok({ Spread: { SpreadDescriptor: text.slice(eq + 1) } });
}
