// PEM armour (RFC 7468) around DER: the form certificates, requests and keys
// take on disk, on the wire to a joining node, and in Node's tls options.
import { ShoalError } from '../../api/errors.js';

export type PemLabel = 'CERTIFICATE' | 'CERTIFICATE REQUEST';

/** Canonical PEM: 64-column base64 lines, LF line ends, a trailing newline. */
export function toPem(label: PemLabel, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * The DER inside the one `label` block of `text`. Surrounding whitespace and
 * CRLF line ends are accepted; a missing block, two blocks or bad base64 are not.
 */
export function fromPem(text: string, label: PemLabel): Uint8Array {
  const pattern = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, 'g');
  const blocks = [...text.matchAll(pattern)];
  const [block] = blocks;
  if (block === undefined) throw new ShoalError('InvalidArgument', `no PEM ${label} block found`);
  if (blocks.length > 1) throw new ShoalError('InvalidArgument', `expected one PEM ${label} block, found ${blocks.length}`);
  const body = (block[1] ?? '').replace(/\s+/g, '');
  if (body.length === 0 || body.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) {
    throw new ShoalError('InvalidArgument', `PEM ${label} block is not valid base64`);
  }
  return new Uint8Array(Buffer.from(body, 'base64'));
}

/** Accept DER bytes or PEM text for the same object. */
export function derOf(input: string | Uint8Array, label: PemLabel): Uint8Array {
  return typeof input === 'string' ? fromPem(input, label) : input;
}
