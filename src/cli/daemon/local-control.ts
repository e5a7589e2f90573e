// The Control API on the local socket: this node's manager answers it, or,
// on a worker or outside a swarm, every call fails with Docker's words.
import type { Peer } from '../../api/contract.js';
import { ControlContract } from '../../api/contracts/control.js';
import { ShoalError } from '../../api/errors.js';
import type { Service } from '../../net/rpc/index.js';
import type { BoundMethod } from '../../net/rpc/handlers.js';

export const NOT_A_MANAGER =
  "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.";
export const NOT_IN_SWARM = 'This node is not a swarm manager. Use "shoal swarm init" or "shoal swarm join" to connect this node to swarm and try again.';

/** A Control service whose handlers delegate to whatever `current()` returns. */
export function delegatingControl(current: () => Service | 'worker' | 'none'): Service {
  const methods: BoundMethod[] = Object.entries(ControlContract.methods).map(([key, def]): BoundMethod => {
    const name = `${ControlContract.name}.${key}`;
    const target = (): BoundMethod => {
      const svc = current();
      if (svc === 'worker') throw new ShoalError('FailedPrecondition', NOT_A_MANAGER);
      if (svc === 'none') throw new ShoalError('FailedPrecondition', NOT_IN_SWARM);
      const m = svc.methods.find((x) => x.name === name);
      if (m === undefined) throw new ShoalError('Internal', `${name} is not served`);
      return m;
    };
    if (def.kind === 'unary') {
      return {
        kind: 'unary',
        name,
        def,
        handler: (req: unknown, ctx: { peer: Peer; method: string; signal: AbortSignal }) => {
          const m = target();
          if (m.kind !== 'unary') throw new ShoalError('Internal', `${name} is not unary`);
          return m.handler(req, ctx);
        },
      };
    }
    return {
      kind: 'stream',
      name,
      def,
      handler: (req, sink, ctx) => {
        const m = target();
        if (m.kind !== 'stream') throw new ShoalError('Internal', `${name} is not a stream`);
        return m.handler(req, sink, ctx);
      },
    };
  });
  return { name: ControlContract.name, methods };
}
