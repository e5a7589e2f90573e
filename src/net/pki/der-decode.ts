// A minimal, strict DER reader: enough to read a PKCS#10 request and the
// subject of a certificate. Input comes from the network, so every length is
// bounds-checked and anything outside DER (indefinite lengths, non-minimal
// lengths, multi-byte tags, trailing bytes) is refused with InvalidArgument.
import { ShoalError } from '../../api/errors.js';
import { TAG } from './der-encode.js';

export interface Tlv {
  readonly tag: number;
  /** The whole element, header included (what a signature covers). */
  readonly bytes: Uint8Array;
  /** The content octets only. */
  readonly content: Uint8Array;
}

export function malformed(what: string): ShoalError {
  return new ShoalError('InvalidArgument', `malformed DER: ${what}`);
}

/** Read one TLV at `offset`; returns it and the offset just past it. */
export function readTlv(buf: Uint8Array, offset: number): { readonly tlv: Tlv; readonly next: number } {
  const tag = buf[offset];
  if (tag === undefined) throw malformed('unexpected end of input');
  if ((tag & 0x1f) === 0x1f) throw malformed('multi-byte tags are not supported');
  const first = buf[offset + 1];
  if (first === undefined) throw malformed('missing length');
  let length: number;
  let headerEnd = offset + 2;
  if (first < 0x80) {
    length = first;
  } else {
    const count = first & 0x7f;
    if (count === 0) throw malformed('indefinite length');
    if (count > 4) throw malformed('length too large');
    length = 0;
    for (let i = 0; i < count; i++) {
      const b = buf[headerEnd + i];
      if (b === undefined) throw malformed('truncated length');
      if (i === 0 && b === 0) throw malformed('non-minimal length');
      length = length * 256 + b;
    }
    if (length < 0x80) throw malformed('non-minimal length');
    headerEnd += count;
  }
  const end = headerEnd + length;
  if (end > buf.length) throw malformed('length runs past the end of input');
  return {
    tlv: { tag, bytes: buf.subarray(offset, end), content: buf.subarray(headerEnd, end) },
    next: end,
  };
}

/** Decode a buffer that must hold exactly one TLV. */
export function decodeOne(buf: Uint8Array): Tlv {
  const { tlv, next } = readTlv(buf, 0);
  if (next !== buf.length) throw malformed('trailing bytes after the element');
  return tlv;
}

/** The elements inside a constructed TLV. */
export function children(parent: Tlv): Tlv[] {
  if ((parent.tag & 0x20) === 0) throw malformed(`tag 0x${parent.tag.toString(16)} is not constructed`);
  const out: Tlv[] = [];
  for (let offset = 0; offset < parent.content.length; ) {
    const { tlv, next } = readTlv(parent.content, offset);
    out.push(tlv);
    offset = next;
  }
  return out;
}

export function expectTag(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (t === undefined) throw malformed(`missing ${what}`);
  if (t.tag !== tag) throw malformed(`${what}: expected tag 0x${tag.toString(16)}, got 0x${t.tag.toString(16)}`);
  return t;
}

export function decodeOid(t: Tlv): string {
  expectTag(t, TAG.oid, 'OBJECT IDENTIFIER');
  const c = t.content;
  if (c.length === 0) throw malformed('empty OBJECT IDENTIFIER');
  const arcs: bigint[] = [];
  let value = 0n;
  let fresh = true;
  for (const b of c) {
    if (fresh && b === 0x80) throw malformed('non-minimal OID arc');
    value = (value << 7n) | BigInt(b & 0x7f);
    fresh = (b & 0x80) === 0;
    if (fresh) {
      arcs.push(value);
      value = 0n;
    }
  }
  if (!fresh) throw malformed('truncated OID arc');
  const [head, ...rest] = arcs;
  if (head === undefined) throw malformed('empty OBJECT IDENTIFIER');
  const first = head < 40n ? 0n : head < 80n ? 1n : 2n;
  return [first, head - first * 40n, ...rest].join('.');
}

/** A non-negative INTEGER (negative values are refused: nothing here uses them). */
export function decodeUnsignedInteger(t: Tlv): bigint {
  expectTag(t, TAG.integer, 'INTEGER');
  const c = t.content;
  const first = c[0];
  if (first === undefined) throw malformed('empty INTEGER');
  if (first & 0x80) throw malformed('negative INTEGER');
  if (c.length > 1 && first === 0 && ((c[1] ?? 0) & 0x80) === 0) throw malformed('non-minimal INTEGER');
  return c.length === 0 ? 0n : BigInt(`0x${Buffer.from(c).toString('hex')}`);
}

export function decodeBitString(t: Tlv): { readonly unusedBits: number; readonly bytes: Uint8Array } {
  expectTag(t, TAG.bitString, 'BIT STRING');
  const unusedBits = t.content[0];
  if (unusedBits === undefined || unusedBits > 7) throw malformed('BIT STRING unused-bits octet');
  const bytes = t.content.subarray(1);
  if (bytes.length === 0 && unusedBits !== 0) throw malformed('empty BIT STRING with unused bits');
  return { unusedBits, bytes };
}

const STRING_TAGS: ReadonlySet<number> = new Set([TAG.utf8String, TAG.printableString, TAG.ia5String]);

/** UTF8String, PrintableString or IA5String as text. */
export function decodeString(t: Tlv): string {
  if (!STRING_TAGS.has(t.tag)) throw malformed(`tag 0x${t.tag.toString(16)} is not a supported string type`);
  const text = new TextDecoder('utf-8', { fatal: true });
  try {
    return text.decode(t.content);
  } catch {
    throw malformed('string is not valid UTF-8');
  }
}

/**
 * UTCTime (YYMMDDHHMMSSZ, years 1950-2049) or GeneralizedTime
 * (YYYYMMDDHHMMSSZ), the two forms RFC 5280 4.1.2.5 allows; epoch ms.
 */
export function decodeTime(t: Tlv): number {
  const text = Buffer.from(t.content).toString('latin1');
  let match: RegExpExecArray | null;
  let year: number;
  if (t.tag === TAG.utcTime && (match = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text))) {
    const yy = Number(match[1]);
    year = yy < 50 ? 2000 + yy : 1900 + yy;
  } else if (t.tag === TAG.generalizedTime && (match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text))) {
    year = Number(match[1]);
  } else {
    throw malformed('time is neither UTCTime nor GeneralizedTime in RFC 5280 form');
  }
  const [month, day, hour, minute, second] = match.slice(2).map(Number) as [number, number, number, number, number];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(ms);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw malformed(`invalid date ${text}`);
  }
  return ms;
}
