// A minimal DER (X.690) encoder: just the universal types that X.509 v3
// certificates and PKCS#10 requests use. Node can parse and verify
// certificates but cannot create them, so the cluster CA builds them here.
//
// Every function returns one complete TLV; composite values are built by
// nesting calls, e.g. `sequence(oid(x), octetString(y))`.
import { invariant } from '../../api/errors.js';

export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}

/** Definite-length encoding: short form below 128, else long form with minimal bytes. */
export function encodeLength(length: number): Uint8Array {
  invariant(Number.isSafeInteger(length) && length >= 0, `DER length ${length}`);
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

export function tlv(tag: number, content: Uint8Array): Uint8Array {
  invariant(tag >= 0 && tag <= 0xff && (tag & 0x1f) !== 0x1f, `single-byte tag ${tag}`);
  return concat([Uint8Array.of(tag), encodeLength(content.length), content]);
}

export function sequence(...items: readonly Uint8Array[]): Uint8Array {
  return tlv(TAG.sequence, concat(items));
}

/** SET OF: DER wants the elements sorted by their encodings (X.690 11.6). */
export function setOf(...items: readonly Uint8Array[]): Uint8Array {
  const sorted = [...items].sort((a, b) => Buffer.compare(a, b));
  return tlv(TAG.set, concat(sorted));
}

export function boolean(value: boolean): Uint8Array {
  return tlv(TAG.boolean, Uint8Array.of(value ? 0xff : 0x00));
}

export function nullValue(): Uint8Array {
  return tlv(TAG.null, new Uint8Array(0));
}

/** A non-negative INTEGER, minimal two's complement. */
export function integer(value: bigint | number): Uint8Array {
  const n = BigInt(value);
  invariant(n >= 0n, 'only non-negative DER integers are encoded');
  let hex = n.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return unsignedInteger(Buffer.from(hex, 'hex'));
}

/** A non-negative INTEGER from big-endian magnitude bytes (e.g. a serial number). */
export function unsignedInteger(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  let body = magnitude.subarray(start);
  if (body.length === 0) body = Uint8Array.of(0);
  if ((body[0] ?? 0) & 0x80) body = concat([Uint8Array.of(0), body]);
  return tlv(TAG.integer, body);
}

/** OBJECT IDENTIFIER from dotted form ("2.5.4.3"). */
export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((part) => {
    invariant(/^\d+$/.test(part), `OID arc "${part}" in ${dotted}`);
    return BigInt(part);
  });
  const [first, second, ...rest] = arcs;
  invariant(first !== undefined && second !== undefined && first <= 2n, `OID ${dotted}`);
  invariant(first === 2n || second < 40n, `OID ${dotted}`);
  const out: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) out.push(...base128(arc));
  return tlv(TAG.oid, Uint8Array.from(out));
}

function base128(value: bigint): number[] {
  const groups = [Number(value & 0x7fn)];
  for (let v = value >> 7n; v > 0n; v >>= 7n) groups.unshift(Number(v & 0x7fn) | 0x80);
  return groups;
}

export function bitString(bytes: Uint8Array, unusedBits = 0): Uint8Array {
  invariant(unusedBits >= 0 && unusedBits <= 7, `unused bits ${unusedBits}`);
  invariant(bytes.length > 0 || unusedBits === 0, 'empty BIT STRING has no unused bits');
  return tlv(TAG.bitString, concat([Uint8Array.of(unusedBits), bytes]));
}

/**
 * A BIT STRING of named bits (bit 0 is the most significant bit of the first
 * byte), with trailing zero bits removed as DER requires (X.690 11.2.2).
 */
export function namedBits(bits: readonly number[]): Uint8Array {
  if (bits.length === 0) return bitString(new Uint8Array(0));
  const highest = Math.max(...bits);
  const bytes = new Uint8Array(Math.floor(highest / 8) + 1);
  for (const bit of bits) {
    invariant(Number.isInteger(bit) && bit >= 0, `named bit ${bit}`);
    const index = Math.floor(bit / 8);
    bytes[index] = (bytes[index] ?? 0) | (0x80 >> bit % 8);
  }
  return bitString(bytes, 7 - (highest % 8));
}

export function octetString(bytes: Uint8Array): Uint8Array {
  return tlv(TAG.octetString, bytes);
}

export function utf8String(value: string): Uint8Array {
  return tlv(TAG.utf8String, Buffer.from(value, 'utf8'));
}

export function ia5String(value: string): Uint8Array {
  invariant(/^[\x00-\x7f]*$/.test(value), 'IA5String is ASCII');
  return tlv(TAG.ia5String, Buffer.from(value, 'ascii'));
}

/**
 * RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; both in
 * UTC with whole seconds and a trailing Z.
 */
export function time(epochMs: number): Uint8Array {
  invariant(Number.isFinite(epochMs), `time ${epochMs}`);
  const d = new Date(Math.floor(epochMs / 1000) * 1000);
  const year = d.getUTCFullYear();
  invariant(year >= 1950 && year <= 9999, `certificate year ${year}`);
  const rest = [d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]
    .map((n) => String(n).padStart(2, '0'))
    .join('');
  if (year < 2050) return tlv(TAG.utcTime, Buffer.from(`${String(year % 100).padStart(2, '0')}${rest}Z`, 'ascii'));
  return tlv(TAG.generalizedTime, Buffer.from(`${year}${rest}Z`, 'ascii'));
}

/** [n] EXPLICIT: a constructed context-specific wrapper around one TLV. */
export function explicit(tagNumber: number, inner: Uint8Array): Uint8Array {
  invariant(tagNumber >= 0 && tagNumber < 31, `context tag ${tagNumber}`);
  return tlv(0xa0 | tagNumber, inner);
}

/** [n] IMPLICIT: context-specific tag replacing the universal one. */
export function implicit(tagNumber: number, content: Uint8Array, constructed: boolean): Uint8Array {
  invariant(tagNumber >= 0 && tagNumber < 31, `context tag ${tagNumber}`);
  return tlv((constructed ? 0xa0 : 0x80) | tagNumber, content);
}
