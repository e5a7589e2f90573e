import { randomBytes } from 'node:crypto';
import type { Brand } from './brand.js';

export type NodeId = Brand<string, 'NodeId'>;
export type ServiceId = Brand<string, 'ServiceId'>;
export type TaskId = Brand<string, 'TaskId'>;
export type NetworkId = Brand<string, 'NetworkId'>;
export type SecretId = Brand<string, 'SecretId'>;
export type ConfigId = Brand<string, 'ConfigId'>;
export type ClusterId = Brand<string, 'ClusterId'>;

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * A 25-character lowercase base-36 id, like swarmkit's object ids
 * (e.g. `x9t2kl0b7mpq4r8w1n6v3c5zd`). Docker's tables show the first 12.
 */
export function newObjectId(random: (n: number) => Uint8Array = randomBytes): string {
  const bytes = random(25);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % 36];
  return out;
}

export const OBJECT_ID_PATTERN = /^[0-9a-z]{25}$/;

export function isObjectId(value: string): boolean {
  return OBJECT_ID_PATTERN.test(value);
}

export function asNodeId(value: string): NodeId {
  return value as NodeId;
}
