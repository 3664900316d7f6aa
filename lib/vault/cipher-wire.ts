// How a sealed value is written as text: in a sync item, and in a deletion's seal kept for Recently
// deleted (trash.ts). Only the shape is checked here; whether it belongs where it is found is
// decided by opening it with its binding (binding.ts).
import { IV_BYTES } from '../crypto/aes-gcm';
import { fromBase64, toBase64 } from '../crypto/encoding';
import type { Cipher } from './schema';

/** An item whose shape is wrong: the server (or the network) sent something no Keysmith wrote. */
export class ItemShapeError extends Error {}

/** `base64(iv ‖ ciphertext ‖ tag)`. */
export function cipherToWire(c: Cipher): string {
  const out = new Uint8Array(c.iv.length + c.data.length);
  out.set(c.iv);
  out.set(c.data, c.iv.length);
  return toBase64(out);
}

export function cipherFromWire(text: string | undefined): Cipher {
  if (typeof text !== 'string') throw new ItemShapeError('missing ciphertext');
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = fromBase64(text, 'ciphertext');
  } catch {
    throw new ItemShapeError('ciphertext is not base64');
  }
  if (bytes.length < IV_BYTES + 16) throw new ItemShapeError('ciphertext too short');
  return { iv: bytes.slice(0, IV_BYTES), data: bytes.slice(IV_BYTES) };
}
