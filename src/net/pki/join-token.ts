// Join tokens in Docker's format (swarmkit ca/config.go):
//
//   v1: SWMTKN-1-<digest>-<secret>
//   v2: SWMTKN-2-<0|1 FIPS>-<digest>-<secret>   (parsed, never generated)
//
// <digest> is the SHA-256 of the root CA certificate as a base-36 number,
// zero-padded to 50 characters (ceil(log36(2^256))); <secret> is 16 random
// bytes as a base-36 number, zero-padded to 25 characters (ceil(log36(2^128))).
// The digest lets a joining node pin the CA it is shown; the secret decides
// the role the manager grants.
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { invariant, ShoalError } from '../../api/errors.js';
import type { RandomBytes } from './keys.js';

export const JOIN_TOKEN_PREFIX = 'SWMTKN';
export const DIGEST_BASE36_LENGTH = 50;
export const SECRET_LENGTH = 25;
export const SECRET_ENTROPY_BYTES = 16;

/** The exact shape of a token this module generates. */
export const JOIN_TOKEN_PATTERN = /^SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}$/;

export interface ParsedJoinToken {
  readonly version: 1 | 2;
  /** Lowercase hex SHA-256 of the CA certificate (see root-ca.ts `caDigest`). */
  readonly caDigest: string;
  readonly secret: string;
  /** v2 only: the cluster requires FIPS mode. Always false for v1. */
  readonly fips: boolean;
}

const HEX_DIGEST = /^[0-9a-f]{64}$/;
const BASE36 = /^[0-9a-z]+$/;
const MAX_DIGEST = (1n << 256n) - 1n;

/** Docker's words for every malformed token: the operator re-copies it. */
function invalidJoinToken(detail: string): ShoalError {
  return new ShoalError('InvalidArgument', 'invalid join token', detail);
}

export function digestToBase36(hexDigest: string): string {
  invariant(HEX_DIGEST.test(hexDigest), 'CA digest is 64 lowercase hex characters');
  return BigInt(`0x${hexDigest}`).toString(36).padStart(DIGEST_BASE36_LENGTH, '0');
}

export function base36ToDigest(text: string): string | null {
  if (text.length !== DIGEST_BASE36_LENGTH || !BASE36.test(text)) return null;
  const value = parseBase36(text);
  return value > MAX_DIGEST ? null : value.toString(16).padStart(64, '0');
}

function parseBase36(text: string): bigint {
  let value = 0n;
  for (const ch of text) value = value * 36n + BigInt(Number.parseInt(ch, 36));
  return value;
}

/** A fresh secret: 16 random bytes in base 36, zero-padded to 25 characters. */
export function generateSecret(randomBytes: RandomBytes = cryptoRandomBytes): string {
  const bytes = randomBytes(SECRET_ENTROPY_BYTES);
  invariant(bytes.length === SECRET_ENTROPY_BYTES, 'randomBytes returned 16 bytes');
  return BigInt(`0x${Buffer.from(bytes).toString('hex')}`).toString(36).padStart(SECRET_LENGTH, '0');
}

export function formatJoinToken(caDigest: string, secret: string): string {
  invariant(secret.length === SECRET_LENGTH && BASE36.test(secret), 'secret is 25 base-36 characters');
  return `${JOIN_TOKEN_PREFIX}-1-${digestToBase36(caDigest)}-${secret}`;
}

/** A new v1 token for the CA whose digest is `caDigest` (lowercase hex SHA-256). */
export function generateJoinToken(caDigest: string, randomBytes: RandomBytes = cryptoRandomBytes): string {
  return formatJoinToken(caDigest, generateSecret(randomBytes));
}

/**
 * Parse a token as swarmkit's ParseJoinToken does. Any malformed token is
 * InvalidArgument "invalid join token"; `detail` says which part is wrong.
 */
export function parseJoinToken(token: string): ParsedJoinToken {
  const parts = token.trim().split('-');
  if (parts.length < 4 || parts[0] !== JOIN_TOKEN_PREFIX) {
    return fail(`expected ${JOIN_TOKEN_PREFIX}-1-<digest>-<secret>`);
  }
  let version: 1 | 2;
  let fips = false;
  switch (parts[1]) {
    case '1':
      if (parts.length !== 4) return fail('a version 1 token has four parts');
      version = 1;
      break;
    case '2':
      if (parts.length !== 5 || (parts[2] !== '0' && parts[2] !== '1')) return fail('a version 2 token has five parts and a 0/1 FIPS flag');
      version = 2;
      fips = parts[2] === '1';
      break;
    default:
      return fail(`unsupported token version "${parts[1] ?? ''}"`);
  }
  const secret = parts[parts.length - 1] ?? '';
  const digestPart = parts[parts.length - 2] ?? '';
  const caDigest = base36ToDigest(digestPart);
  if (caDigest === null) return fail('the CA digest is not 50 base-36 characters');
  if (secret.length !== SECRET_LENGTH || !BASE36.test(secret)) return fail('the secret is not 25 base-36 characters');
  return { version, caDigest, secret, fips };
}

function fail(detail: string): never {
  throw invalidJoinToken(detail);
}
