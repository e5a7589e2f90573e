// Who may call what, decided before any handler runs (style rule 9).
import { callerOf, type Caller, type Peer } from '../../api/contract.js';
import { ShoalError } from '../../api/errors.js';

const CALLER_NAMES: Record<Caller, string> = {
  manager: 'a manager node',
  worker: 'a worker node',
  local: 'the local control socket',
  anonymous: 'a client without a certificate',
};

/** undefined when `peer` may call `method`; otherwise the error to send back. */
export function authorize(method: string, allow: readonly Caller[], peer: Peer): ShoalError | undefined {
  const caller = callerOf(peer);
  if (allow.includes(caller)) return undefined;
  if (caller === 'anonymous') {
    return new ShoalError('Unauthenticated', `${method} needs a node certificate signed by the cluster CA; join the swarm first`);
  }
  const allowed = allow.length === 0 ? 'nobody' : allow.map((c) => CALLER_NAMES[c]).join(' or ');
  return new ShoalError('PermissionDenied', `${CALLER_NAMES[caller]} may not call ${method} (allowed: ${allowed})`);
}
