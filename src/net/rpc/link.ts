// The transport as the RPC layer sees it: something that carries whole
// binary messages to one peer. Servers and clients are handed a Link and
// are fed incoming messages by whoever owns the socket (see ws-link.ts),
// in the manner of birpc's post/on pair.

export interface Link {
  /** Queue one message for the peer. */
  send(bytes: Uint8Array): void;
  /** Bytes queued and not yet handed to the kernel. */
  readonly bufferedAmount: number;
  /** Close politely (WebSocket close code and a short reason). */
  close(code: number, reason: string): void;
  /** Drop the connection at once (the peer is not reading, or is hostile). */
  terminate(): void;
}

/** WebSocket close codes used by shoal (RFC 6455 section 7.4.1). */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  unsupportedData: 1003,
  invalidPayload: 1007,
  policyViolation: 1008,
  tooBig: 1009,
  internalError: 1011,
} as const;
