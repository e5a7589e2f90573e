// A secret (moby api/types/swarm/secret.go). Its data is never printed,
// logged or returned by a list or inspect: `secretInspectView` is the only
// shape that leaves the managers, and agents receive the data only for tasks
// that reference the secret.
import type { BlobSpec } from './blob-spec.js';
import { decodeBlobSpec, decodeBlobUpdate } from './blob-spec.js';
import type { SecretId } from './ids.js';
import type { Labels, Timestamp, Version } from './object-meta.js';
import type { Checked } from './validation.js';

export type SecretSpec = BlobSpec;

export interface Secret {
  readonly ID: SecretId;
  readonly Version: Version;
  readonly CreatedAt: Timestamp;
  readonly UpdatedAt: Timestamp;
  readonly Spec: SecretSpec;
}

/** swarmkit MaxSecretSize: 500KB. */
export const MAX_SECRET_SIZE = 500 * 1024;

const RULES = { kind: 'secret', maxSize: MAX_SECRET_SIZE, refuseBlank: true } as const;

/** `secret create`: a name Docker accepts and 1 byte to 500KB of data that is not all white space. */
export function decodeSecretSpec(value: unknown): Checked<SecretSpec> {
  return decodeBlobSpec(value, RULES);
}

/** `secret update`: only labels may change. */
export function decodeSecretUpdate(current: SecretSpec, value: unknown): Checked<SecretSpec> {
  return decodeBlobUpdate(current, value);
}

export interface SecretView {
  readonly ID: SecretId;
  readonly Version: Version;
  readonly CreatedAt: Timestamp;
  readonly UpdatedAt: Timestamp;
  readonly Spec: { readonly Name: string; readonly Labels: Labels };
}

/** What `docker secret inspect`/`ls` see: everything but the data. */
export function secretInspectView(secret: Secret): SecretView {
  return {
    ID: secret.ID,
    Version: secret.Version,
    CreatedAt: secret.CreatedAt,
    UpdatedAt: secret.UpdatedAt,
    Spec: { Name: secret.Spec.Name, Labels: secret.Spec.Labels },
  };
}
