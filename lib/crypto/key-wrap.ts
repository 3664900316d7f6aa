import { gcmParams, newIv, type Sealed } from './aes-gcm';
import { CryptoError } from './errors';
import { msg } from '../i18n';

/**
 * Wrapping one AES-256 key under another with AES-256-GCM, so the raw key bytes never pass
 * through JavaScript. The output is byte for byte an AES-GCM encryption of the raw key
 * (W3C WebCrypto, wrapKey), and `associatedData` binds it to its place as for any ciphertext.
 */

export async function wrapAesKey(wrappingKey: CryptoKey, key: CryptoKey, associatedData: Uint8Array<ArrayBuffer>): Promise<Sealed> {
  const iv = newIv();
  return { iv, data: new Uint8Array(await crypto.subtle.wrapKey('raw', key, wrappingKey, gcmParams(iv, associatedData))) };
}

export interface UnwrapOptions {
  /** Default false: the key can be used but its bytes never read back through the API. */
  extractable?: boolean;
  /** Default encrypt/decrypt. A key that itself wraps other keys also needs wrapKey/unwrapKey. */
  usages?: KeyUsage[];
}

/** Throws CryptoError('authentication_failed') for a wrong wrapping key, altered bytes or the wrong associated data. */
export async function unwrapAesKey(
  unwrappingKey: CryptoKey,
  sealed: Sealed,
  associatedData: Uint8Array<ArrayBuffer>,
  { extractable = false, usages = ['encrypt', 'decrypt'] }: UnwrapOptions = {},
): Promise<CryptoKey> {
  try {
    return await crypto.subtle.unwrapKey(
      'raw',
      sealed.data,
      unwrappingKey,
      gcmParams(sealed.iv, associatedData),
      { name: 'AES-GCM' },
      extractable,
      usages,
    );
  } catch {
    throw new CryptoError('authentication_failed', msg('errUnwrapFailed'));
  }
}
