// A contract exercising every path of the RPC layer, and handlers that
// report what they saw to a Probe so tests can wait on events, not time.
import { EventEmitter, once } from 'node:events';
import { defineContract, stream, unary, type Peer } from '../../../../src/api/contract.js';
import { ShoalError } from '../../../../src/api/errors.js';
import * as s from '../../../../src/api/schema.js';
import { serve, type Service } from '../../../../src/net/rpc/handlers.js';

const everyone = ['local', 'manager', 'worker'] as const;

export const Test = defineContract('Test', {
  echo: unary(s.object({ text: s.string() }), s.object({ text: s.string() }), everyone),
  whoami: unary(
    s.object({}),
    s.object({ kind: s.string(), nodeId: s.optional(s.string()), role: s.optional(s.string()), clusterId: s.optional(s.string()) }),
    [...everyone, 'anonymous'],
  ),
  managerOnly: unary(s.object({}), s.object({ ok: s.boolean() }), ['local', 'manager']),
  join: unary(s.object({ token: s.string() }), s.object({ ok: s.boolean() }), ['anonymous']),
  /** Never answers; ends only when aborted, reporting the reason. */
  hang: unary(s.object({ tag: s.optional(s.string()) }), s.object({}), everyone),
  fail: unary(s.object({ how: s.literal('shoal', 'plain', 'badShape') }), s.object({ text: s.string() }), everyone),
  /** Sends 0..upTo-1, then ends. */
  count: stream(s.object({ upTo: s.number({ int: true, min: 0 }) }), s.number(), everyone),
  /** Sends 0, 1, 2, ... until aborted; reports each send. */
  forever: stream(s.object({}), s.number(), everyone),
  /** Sends n items, then fails with FailedPrecondition. */
  failAfter: stream(s.object({ n: s.number({ int: true, min: 0 }) }), s.number(), everyone),
  /** Sends one item of the wrong shape. */
  badItem: stream(s.object({}), s.number(), everyone),
});

export interface ProbeEvents {
  /** A handler's signal fired. */
  aborted: [method: string, reason: ShoalError];
  /** `forever` sent item n (send resolved). */
  sent: [n: number];
  started: [method: string];
}

export class Probe extends EventEmitter<ProbeEvents> {
  readonly aborts: { method: string; reason: ShoalError }[] = [];
  sent = 0;
  handlerRuns = 0;

  nextAbort(): Promise<[string, ShoalError]> {
    return once(this, 'aborted') as Promise<[string, ShoalError]>;
  }
}

function watchAbort(probe: Probe, method: string, signal: AbortSignal): Promise<ShoalError> {
  return new Promise((resolve) => {
    const onAbort = (): void => {
      const reason = signal.reason as ShoalError;
      probe.aborts.push({ method, reason });
      probe.emit('aborted', method, reason);
      resolve(reason);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

function peerInfo(peer: Peer): { kind: string; nodeId?: string; role?: string; clusterId?: string } {
  return peer.kind === 'node' ? { kind: peer.kind, nodeId: peer.nodeId, role: peer.role, clusterId: peer.clusterId } : { kind: peer.kind };
}

export function testService(probe: Probe): Service {
  return serve(Test, {
    echo: async (req) => {
      probe.handlerRuns++;
      return { text: req.text };
    },
    whoami: async (_req, ctx) => {
      probe.handlerRuns++;
      return peerInfo(ctx.peer);
    },
    managerOnly: async () => {
      probe.handlerRuns++;
      return { ok: true };
    },
    join: async (req) => {
      probe.handlerRuns++;
      return { ok: req.token === 'SWMTKN-1-test' };
    },
    hang: async (_req, ctx) => {
      probe.handlerRuns++;
      probe.emit('started', ctx.method);
      throw await watchAbort(probe, ctx.method, ctx.signal);
    },
    fail: async (req) => {
      probe.handlerRuns++;
      if (req.how === 'shoal') throw new ShoalError('FailedPrecondition', 'the swarm has no leader yet; retry in a moment');
      if (req.how === 'plain') throw new Error('secret internals at /etc/shoal/key.pem');
      return { text: 42 } as unknown as { text: string };
    },
    count: async (req, sink) => {
      probe.handlerRuns++;
      for (let i = 0; i < req.upTo; i++) await sink.send(i);
    },
    forever: async (_req, sink, ctx) => {
      probe.handlerRuns++;
      probe.emit('started', ctx.method);
      void watchAbort(probe, ctx.method, ctx.signal);
      for (let i = 0; ; i++) {
        await sink.send(i);
        probe.sent = i + 1;
        probe.emit('sent', i + 1);
      }
    },
    failAfter: async (req, sink) => {
      probe.handlerRuns++;
      for (let i = 0; i < req.n; i++) await sink.send(i);
      throw new ShoalError('FailedPrecondition', `stopped after ${req.n} items`);
    },
    badItem: async (_req, sink) => {
      probe.handlerRuns++;
      await sink.send('not a number' as unknown as number);
    },
  });
}
