// The manager's side of join tokens: the current worker and manager token
// of the cluster (stored in the cluster object), which role a presented
// token grants, and rotation. Rotating replaces the secret, so the old token
// is refused from then on; nodes that already joined keep their certificates.
import { createHash, randomBytes as cryptoRandomBytes, timingSafeEqual } from 'node:crypto';
import type { NodeRole } from '../../api/contract.js';
import { assertNever, invariant, ShoalError } from '../../api/errors.js';
import { generateJoinToken, parseJoinToken } from './join-token.js';
import type { RandomBytes } from './keys.js';

export interface JoinTokens {
  readonly worker: string;
  readonly manager: string;
}

export function createJoinTokens(caDigest: string, randomBytes: RandomBytes = cryptoRandomBytes): JoinTokens {
  return { worker: generateJoinToken(caDigest, randomBytes), manager: generateJoinToken(caDigest, randomBytes) };
}

export function joinTokenFor(tokens: JoinTokens, role: NodeRole): string {
  switch (role) {
    case 'worker':
      return tokens.worker;
    case 'manager':
      return tokens.manager;
    default:
      return assertNever(role, 'node role');
  }
}

/** `docker swarm join-token --rotate <role>`: a new secret for one role, the other untouched. */
export function rotateJoinToken(
  tokens: JoinTokens,
  role: NodeRole,
  caDigest: string,
  randomBytes: RandomBytes = cryptoRandomBytes,
): JoinTokens {
  const fresh = generateJoinToken(caDigest, randomBytes);
  invariant(fresh !== tokens.worker && fresh !== tokens.manager, 'a rotated join token is new');
  return role === 'worker' ? { ...tokens, worker: fresh } : { ...tokens, manager: fresh };
}

/**
 * The role a presented token grants. Malformed: InvalidArgument "invalid join
 * token". Well-formed but not current (wrong or rotated secret, other CA):
 * PermissionDenied with Docker's message. Both current tokens are always
 * compared, each in constant time over SHA-256 digests (equal lengths).
 */
export function roleForJoinToken(tokens: JoinTokens, presented: string): NodeRole {
  parseJoinToken(presented);
  const given = sha256(presented.trim());
  const isManager = timingSafeEqual(sha256(tokens.manager), given);
  const isWorker = timingSafeEqual(sha256(tokens.worker), given);
  if (isManager) return 'manager';
  if (isWorker) return 'worker';
  throw new ShoalError('PermissionDenied', 'A valid join token is necessary to join this cluster');
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
