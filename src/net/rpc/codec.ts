// How frames become bytes. The codec is passed in (default: CBOR via cbor-x)
// so tests can swap it and the transport never knows the encoding.
import { Decoder, Encoder } from 'cbor-x';
import type { Frame } from './frame.js';

export interface Codec {
  encode(frame: Frame): Uint8Array;
  /** Throws on bytes that are not exactly one well-formed value; the result is unchecked. */
  decode(bytes: Uint8Array): unknown;
}

/**
 * CBOR with plain maps only: no record extension (whose structures a peer
 * could define), byte strings untagged. The decoder refuses trailing bytes.
 */
export function cborCodec(): Codec {
  const encoder = new Encoder({ useRecords: false, mapsAsObjects: true, tagUint8Array: false });
  const decoder = new Decoder({ useRecords: false, mapsAsObjects: true });
  return {
    encode: (frame) => encoder.encode(frame),
    decode: (bytes) => decoder.decode(bytes) as unknown,
  };
}
