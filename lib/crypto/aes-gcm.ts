import { CryptoError } from './errors';
import { msg } from '../i18n';

/** AES-256-GCM with a 96-bit IV and a 128-bit tag (NIST SP 800-38D). */
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
export const KEY_BYTES = 32;

/**
 * One AES-GCM encryption as WebCrypto returns it: `data` is the ciphertext with the 16-byte tag
 * appended. The vault stores it so; only the Toolkit JSON carries the tag apart (toolkit-ops).
 */
export interface Sealed {
  iv: Uint8Array<ArrayBuffer>;
  data: Uint8Array<ArrayBuffer>;
}

export function importAesKey(raw: Uint8Array<ArrayBuffer>, extractable = false): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, extractable, ['encrypt', 'decrypt']);
}

/** The WebCrypto parameters for one operation; `associatedData` is left out when there is none. */
export function gcmParams(iv: Uint8Array<ArrayBuffer>, associatedData?: Uint8Array<ArrayBuffer>): AesGcmParams {
  const params: AesGcmParams = { name: 'AES-GCM', iv, tagLength: TAG_BYTES * 8 };
  if (associatedData) params.additionalData = associatedData;
  return params;
}

/** A fresh random IV: never reuse one under the same key (SP 800-38D §8.2). */
export function newIv(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(IV_BYTES));
}

/**
 * Encrypts with a fresh random IV. `associatedData` binds the ciphertext to its place
 * (for example `keysmith/v1/secret/<id>/value`), so it fails to decrypt anywhere else.
 */
export async function aesGcmEncrypt(
  key: CryptoKey,
  plaintext: Uint8Array<ArrayBuffer>,
  associatedData?: Uint8Array<ArrayBuffer>,
): Promise<Sealed> {
  const iv = newIv();
  return { iv, data: new Uint8Array(await crypto.subtle.encrypt(gcmParams(iv, associatedData), key, plaintext)) };
}

/** Throws CryptoError('authentication_failed') for a wrong key, altered data or wrong associated data. */
export async function aesGcmDecrypt(
  key: CryptoKey,
  sealed: Sealed,
  associatedData?: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  try {
    return new Uint8Array(await crypto.subtle.decrypt(gcmParams(sealed.iv, associatedData), key, sealed.data));
  } catch {
    // WebCrypto reports every GCM failure as an opaque OperationError; say what it means.
    throw new CryptoError('authentication_failed', msg('errDecryptFailed'));
  }
}
