// What secrets and configs share: a name, labels and a blob of data, with
// swarmkit's rules (manager/controlapi secret.go, config.go, common.go):
// names up to 64 of [a-zA-Z0-9-_.] starting and ending alphanumeric; data
// non-empty and under the size limit; after creation only labels change.
import type { Labels } from './object-meta.js';
import { labelsSchema } from './object-meta.js';
import * as s from './schema.js';
import { type Checked, type FieldIssue, decode, invalid, issue, valid } from './validation.js';

export interface BlobSpec {
  readonly Name: string;
  readonly Labels: Labels;
  readonly Data: Uint8Array;
}

/** Data is optional on the wire: an update may leave it out. */
export const blobSpecSchema = s.object({
  Name: s.optional(s.string({ max: 1024 })),
  Labels: s.optional(labelsSchema),
  Data: s.optional(s.bytes({ max: 4 * 1024 * 1024 })),
});
export type BlobSpecInput = s.Infer<typeof blobSpecSchema>;

const CONFIG_OR_SECRET_NAME = /^[a-zA-Z0-9]+(?:[a-zA-Z0-9-_.]*[a-zA-Z0-9])?$/;

export function checkConfigOrSecretName(name: string): FieldIssue | undefined {
  if (name === '') return issue('Name', 'name must be provided');
  if (name.length > 64 || !CONFIG_OR_SECRET_NAME.test(name)) {
    return issue('Name', 'invalid name, only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]');
  }
  return undefined;
}

export interface BlobRules {
  /** "secret" or "config", as the messages say. */
  readonly kind: 'secret' | 'config';
  /** Data must be shorter than this many bytes. */
  readonly maxSize: number;
  /** Secrets also refuse data that is only white space. */
  readonly refuseBlank: boolean;
}

/** A spec to create: shape, name and data rules. */
export function decodeBlobSpec(value: unknown, rules: BlobRules): Checked<BlobSpec> {
  const d = decode(blobSpecSchema, value);
  if (!d.ok) return d;
  const spec: BlobSpec = { Name: d.value.Name ?? '', Labels: d.value.Labels ?? {}, Data: d.value.Data ?? new Uint8Array() };
  const nameIssue = checkConfigOrSecretName(spec.Name);
  if (nameIssue !== undefined) return invalid(nameIssue.path, nameIssue.message);
  if (spec.Data.byteLength >= rules.maxSize || spec.Data.byteLength < 1) {
    return invalid('Data', `${rules.kind} data must be larger than 0 and less than ${rules.maxSize} bytes`);
  }
  if (rules.refuseBlank && new TextDecoder().decode(spec.Data).trim() === '') {
    return invalid('Data', `${rules.kind} data must contain non white space bytes`);
  }
  return valid(spec);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  let diff = 0;
  for (let i = 0; i < a.byteLength; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0); // constant time, as swarmkit
  return diff === 0;
}

/** An update: only labels may change; the new spec keeps the stored name and data. */
export function decodeBlobUpdate(current: BlobSpec, value: unknown): Checked<BlobSpec> {
  const d = decode(blobSpecSchema, value);
  if (!d.ok) return d;
  const nameChanged = d.value.Name !== undefined && d.value.Name !== current.Name;
  const dataChanged = d.value.Data !== undefined && !sameBytes(d.value.Data, current.Data);
  if (nameChanged || dataChanged) return invalid(nameChanged ? 'Name' : 'Data', 'only updates to Labels are allowed');
  return valid({ Name: current.Name, Labels: d.value.Labels ?? {}, Data: current.Data });
}
