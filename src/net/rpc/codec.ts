// How frames become bytes. The codec is passed in (default: CBOR via cbor-x)
// so tests can swap it and the transport never knows the encoding.
//
// One WebSocket message carries a CBOR sequence (RFC 8742) of one or more
// frames: frames written in the same turn of the event loop travel together.
import { Decoder, Encoder } from 'cbor-x';
import type { Frame } from './frame.js';

export interface Codec {
  /** One frame. The bytes stay valid (a later encode never overwrites them). */
  encode(frame: Frame): Uint8Array;
  /** All values of one message, unchecked. Throws unless the bytes are one or more complete values. */
  decodeAll(bytes: Uint8Array): unknown[];
}

/**
 * CBOR with plain maps only: no record extension (whose structures a peer
 * could define), byte strings untagged.
 */
export function cborCodec(): Codec {
  const encoder = new Encoder({ useRecords: false, mapsAsObjects: true, tagUint8Array: false });
  const decoder = new Decoder({ useRecords: false, mapsAsObjects: true });
  return {
    encode: (frame) => encoder.encode(frame),
    decodeAll: (bytes) => decoder.decodeMultiple(bytes) as unknown[],
  };
}
