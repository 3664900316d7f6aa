import { IV_BYTES, TAG_BYTES, type Sealed } from './aes-gcm';

/**
 * Wraps an (extractable) AES key under `wrappingKey` with AES-256-GCM, so the raw key bytes never
 * pass through JavaScript. `associatedData` binds the wrapped key to its place, as for any ciphertext.
 * The output is byte-for-byte an AES-GCM encryption of the raw key (W3C WebCrypto §wrapKey).
 */
export async function wrapAesKey(
  wrappingKey: CryptoKey,
  key: CryptoKey,
  associatedData: Uint8Array<ArrayBuffer>,
): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const params: AesGcmParams = { name: 'AES-GCM', iv, additionalData: associatedData, tagLength: TAG_BYTES * 8 };
  const sealed = new Uint8Array(await crypto.subtle.wrapKey('raw', key, wrappingKey, params));
  return {
    ciphertext: sealed.slice(0, sealed.length - TAG_BYTES),
    iv,
    tag: sealed.slice(sealed.length - TAG_BYTES),
  };
}
