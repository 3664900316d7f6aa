import { TAG_BYTES, type Sealed } from './aes-gcm';
import { CryptoError } from './errors';

export interface UnwrapOptions {
  /** Default false: the key can be used but never read back (it may then be stored in IndexedDB safely). */
  extractable?: boolean;
  /** Default encrypt/decrypt. A key that itself wraps other keys also needs wrapKey/unwrapKey. */
  usages?: KeyUsage[];
}

/**
 * Unwraps an AES-256-GCM key wrapped by `wrapAesKey`. Throws CryptoError('authentication_failed')
 * for a wrong wrapping key, altered bytes or the wrong associated data.
 */
export async function unwrapAesKey(
  unwrappingKey: CryptoKey,
  sealed: Sealed,
  associatedData: Uint8Array<ArrayBuffer>,
  { extractable = false, usages = ['encrypt', 'decrypt'] }: UnwrapOptions = {},
): Promise<CryptoKey> {
  const joined = new Uint8Array(sealed.ciphertext.length + sealed.tag.length);
  joined.set(sealed.ciphertext);
  joined.set(sealed.tag, sealed.ciphertext.length);
  const params: AesGcmParams = { name: 'AES-GCM', iv: sealed.iv, additionalData: associatedData, tagLength: TAG_BYTES * 8 };
  try {
    return await crypto.subtle.unwrapKey('raw', joined, unwrappingKey, params, { name: 'AES-GCM' }, extractable, usages);
  } catch {
    throw new CryptoError('authentication_failed', 'The key could not be unwrapped: wrong key, or the data was altered');
  }
}
