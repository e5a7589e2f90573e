// A config (moby api/types/swarm/config.go): like a secret, but its data is
// not confidential, so `docker config inspect` prints it (base64, as Go's
// JSON writes []byte).
import type { BlobSpec } from './blob-spec.js';
import { decodeBlobSpec, decodeBlobUpdate } from './blob-spec.js';
import type { ConfigId } from './ids.js';
import type { Timestamp, Version } from './object-meta.js';
import type { Checked } from './validation.js';

export type ConfigSpec = BlobSpec;

export interface Config {
  readonly ID: ConfigId;
  readonly Version: Version;
  readonly CreatedAt: Timestamp;
  readonly UpdatedAt: Timestamp;
  readonly Spec: ConfigSpec;
}

/** swarmkit MaxConfigSize: 1000KB. */
export const MAX_CONFIG_SIZE = 1000 * 1024;

const RULES = { kind: 'config', maxSize: MAX_CONFIG_SIZE, refuseBlank: false } as const;

/** `config create`: a name Docker accepts and 1 byte to 1000KB of data. */
export function decodeConfigSpec(value: unknown): Checked<ConfigSpec> {
  return decodeBlobSpec(value, RULES);
}

/** `config update`: only labels may change. */
export function decodeConfigUpdate(current: ConfigSpec, value: unknown): Checked<ConfigSpec> {
  return decodeBlobUpdate(current, value);
}

/** What `docker config inspect` prints: the spec with Data in base64. */
export function configInspectView(config: Config): Record<string, unknown> {
  return {
    ID: config.ID,
    Version: config.Version,
    CreatedAt: config.CreatedAt,
    UpdatedAt: config.UpdatedAt,
    Spec: { Name: config.Spec.Name, Labels: config.Spec.Labels, Data: Buffer.from(config.Spec.Data).toString('base64') },
  };
}
