// Committed commands carry who proposed them, so the proposing manager can
// answer its caller when the entry is applied, even when the proposal was
// forwarded to the leader by Raft.
import { decode, encode } from 'cbor-x';

export interface ProposalEnvelope {
  /** The proposing driver's incarnation (random per process start). */
  readonly origin: string;
  readonly seq: number;
  readonly payload: Uint8Array;
}

export function encodeProposal(p: ProposalEnvelope): Uint8Array {
  return new Uint8Array(encode([p.origin, p.seq, p.payload]));
}

/** Returns null for data that is not an envelope (it is then a corrupt entry). */
export function decodeProposal(data: Uint8Array): ProposalEnvelope | null {
  let v: unknown;
  try {
    v = decode(data);
  } catch {
    return null;
  }
  if (!Array.isArray(v) || v.length !== 3) return null;
  const [origin, seq, payload] = v as unknown[];
  if (typeof origin !== 'string' || typeof seq !== 'number' || !(payload instanceof Uint8Array)) return null;
  return { origin, seq, payload };
}
