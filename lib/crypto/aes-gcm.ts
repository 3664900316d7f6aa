import { CryptoError } from './errors';

/** AES-256-GCM with a 96-bit IV and a 128-bit tag (NIST SP 800-38D). */
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
export const KEY_BYTES = 32;

export interface Sealed {
  ciphertext: Uint8Array<ArrayBuffer>;
  iv: Uint8Array<ArrayBuffer>;
  tag: Uint8Array<ArrayBuffer>;
}

export function importAesKey(raw: Uint8Array<ArrayBuffer>, extractable = false): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, extractable, ['encrypt', 'decrypt']);
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
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const params: AesGcmParams = { name: 'AES-GCM', iv, tagLength: TAG_BYTES * 8 };
  if (associatedData) params.additionalData = associatedData;
  // WebCrypto appends the tag to the ciphertext; the Toolkit format carries it separately.
  const sealed = new Uint8Array(await crypto.subtle.encrypt(params, key, plaintext));
  return {
    ciphertext: sealed.slice(0, sealed.length - TAG_BYTES),
    iv,
    tag: sealed.slice(sealed.length - TAG_BYTES),
  };
}

/** Throws CryptoError('authentication_failed') for a wrong key, altered data or wrong associated data. */
export async function aesGcmDecrypt(
  key: CryptoKey,
  sealed: Sealed,
  associatedData?: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  const joined = new Uint8Array(sealed.ciphertext.length + sealed.tag.length);
  joined.set(sealed.ciphertext);
  joined.set(sealed.tag, sealed.ciphertext.length);
  const params: AesGcmParams = { name: 'AES-GCM', iv: sealed.iv, tagLength: TAG_BYTES * 8 };
  if (associatedData) params.additionalData = associatedData;
  try {
    return new Uint8Array(await crypto.subtle.decrypt(params, key, joined));
  } catch {
    // WebCrypto reports every GCM failure as an opaque OperationError; say what it means.
    throw new CryptoError(
      'authentication_failed',
      'Decryption failed: the key or password is wrong, or the data was altered',
    );
  }
}
