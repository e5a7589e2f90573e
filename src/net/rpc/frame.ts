// The wire frames of shoal's RPC, one per WebSocket binary message.
//
// A call is opened by a `req` frame carrying a connection-unique id; every
// later frame of that call carries the same id. Unary calls end with one `res`
// or `err`; server streams send `item`s (each spending one credit the client
// granted) and end with `end` or `err`. Either side may `cancel` a call.
// `err` with id 0 is about the connection, not a call (e.g. a frame that
// could not be attributed to any call).
//
// Decoded frames are `unknown` until `checkFrame` accepts them.
import { isErrorCode, type ErrorCode } from '../../api/errors.js';

/** Call ids are positive safe integers; 0 names the connection itself. */
export type CallId = number;
export const CONNECTION_ID = 0;

/** The most credit one stream may hold; more would only hide a client bug. */
export const MAX_CREDIT = 0x7fff_ffff;
/** Method names are `<Contract>.<method>`; longer names are not ours. */
export const MAX_METHOD_LENGTH = 200;
/** Error messages from peers are cut to this length. */
export const MAX_MESSAGE_LENGTH = 4096;
/** Deadlines beyond a day are treated as a client bug. */
export const MAX_DEADLINE_MS = 86_400_000;

export interface RequestFrame {
  readonly t: 'req';
  readonly id: CallId;
  /** `<Contract>.<method>` */
  readonly method: string;
  readonly params: unknown;
  /** Time the server may spend, in ms from when it receives the frame (relative, so clocks need not agree). */
  readonly deadlineMs?: number;
  /** For streams: how many items the server may send before it needs more credit. */
  readonly credit?: number;
}
export interface ResultFrame {
  readonly t: 'res';
  readonly id: CallId;
  readonly result: unknown;
}
export interface ErrorFrame {
  readonly t: 'err';
  readonly id: CallId;
  readonly code: ErrorCode;
  readonly message: string;
  readonly detail?: string;
}
export interface ItemFrame {
  readonly t: 'item';
  readonly id: CallId;
  readonly value: unknown;
}
export interface EndFrame {
  readonly t: 'end';
  readonly id: CallId;
}
export interface CancelFrame {
  readonly t: 'cancel';
  readonly id: CallId;
}
export interface CreditFrame {
  readonly t: 'credit';
  readonly id: CallId;
  /** Additional items the server may send. */
  readonly n: number;
}

export type Frame = RequestFrame | ResultFrame | ErrorFrame | ItemFrame | EndFrame | CancelFrame | CreditFrame;
export type FrameType = Frame['t'];

/** Frames a client may send, and frames a server may send. */
export type ClientFrame = RequestFrame | CancelFrame | CreditFrame;
export type ServerFrame = ResultFrame | ErrorFrame | ItemFrame | EndFrame | CancelFrame;

/** Why a decoded value is not a frame; `id` is the call it belonged to when that could be told, else CONNECTION_ID. */
export class BadFrame {
  constructor(
    readonly id: CallId,
    readonly message: string,
  ) {}
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

export function isCallId(v: unknown): v is CallId {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
}

function isCount(v: unknown, max: number): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= max;
}

/**
 * Accept a decoded value as a Frame, or say what is wrong with it. The value
 * is checked in place and returned as is (hot path: no copies); fields a
 * frame does not define may remain on it and are never read. Only the
 * frame's own fields are checked here: params, results and items are
 * checked against the method's schemas by whoever knows the method.
 */
export function checkFrame(v: unknown): Frame | BadFrame {
  if (!isRecord(v)) return new BadFrame(CONNECTION_ID, 'invalid frame: expected a map');
  const id = v['id'];
  if (!isCallId(id)) return new BadFrame(CONNECTION_ID, 'invalid frame: field id must be an integer >= 1');
  switch (v['t']) {
    case 'req': {
      const method = v['method'];
      if (typeof method !== 'string' || method.length === 0 || method.length > MAX_METHOD_LENGTH) {
        return new BadFrame(id, `invalid request: field method must be a string of 1 to ${MAX_METHOD_LENGTH} characters`);
      }
      const deadlineMs = v['deadlineMs'];
      if (deadlineMs !== undefined && !isCount(deadlineMs, MAX_DEADLINE_MS)) {
        return new BadFrame(id, `invalid request: field deadlineMs must be an integer from 0 to ${MAX_DEADLINE_MS}`);
      }
      const credit = v['credit'];
      if (credit !== undefined && !isCount(credit, MAX_CREDIT)) {
        return new BadFrame(id, `invalid request: field credit must be an integer from 0 to ${MAX_CREDIT}`);
      }
      return v as unknown as RequestFrame;
    }
    case 'err': {
      const code = v['code'];
      const message = v['message'];
      const detail = v['detail'];
      if (!isErrorCode(code)) return new BadFrame(id, 'invalid error frame: unknown error code');
      if (typeof message !== 'string') return new BadFrame(id, 'invalid error frame: field message must be a string');
      if (detail !== undefined && typeof detail !== 'string') return new BadFrame(id, 'invalid error frame: field detail must be a string');
      const frame: ErrorFrame = { t: 'err', id, code, message: message.slice(0, MAX_MESSAGE_LENGTH) };
      return detail === undefined ? frame : { ...frame, detail: detail.slice(0, MAX_MESSAGE_LENGTH) };
    }
    case 'res':
    case 'item':
    case 'end':
    case 'cancel':
      return v as unknown as Frame;
    case 'credit': {
      const n = v['n'];
      if (!isCount(n, MAX_CREDIT) || n === 0) return new BadFrame(id, `invalid credit frame: field n must be an integer from 1 to ${MAX_CREDIT}`);
      return v as unknown as CreditFrame;
    }
    default:
      return new BadFrame(id, 'invalid frame: field t must be one of req, res, err, item, end, cancel, credit');
  }
}
