// Per-connection bounds that keep a server's memory bounded whatever a peer
// does. Each limit names what happens when it is hit.

export interface RpcLimits {
  /** Largest WebSocket message accepted or sent (ws `maxPayload`); a peer sending more is disconnected. */
  readonly maxFrameBytes: number;
  /** Calls one connection may have open at once; more get ResourceExhausted. */
  readonly maxInFlight: number;
  /** Bytes queued for a peer that is not reading; past this the connection is dropped. */
  readonly maxBufferedBytes: number;
  /** Items a stream may have sent but not yet consumed by the client (client side). */
  readonly creditWindow: number;
}

export const DEFAULT_LIMITS: RpcLimits = {
  maxFrameBytes: 4 * 1024 * 1024,
  maxInFlight: 256,
  maxBufferedBytes: 16 * 1024 * 1024,
  creditWindow: 64,
};

export function withLimits(overrides: Partial<RpcLimits> | undefined): RpcLimits {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`rpc limit ${key} must be an integer >= 1, got ${value}`);
  }
  return limits;
}
