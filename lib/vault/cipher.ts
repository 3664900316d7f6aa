import { aesGcmDecrypt, aesGcmEncrypt, TAG_BYTES, type Sealed } from '../crypto/aes-gcm';
import { utf8Decode, utf8Encode } from '../crypto/encoding';
import { unwrapAesKey } from '../crypto/unwrap-key';
import { wrapAesKey } from '../crypto/wrap-key';
import type { Cipher } from './schema';

/** What a ciphertext belongs to; with the item id and field it forms the associated data. */
export type CipherKind = 'account' | 'settings' | 'org' | 'safe' | 'environment' | 'secret' | 'index' | 'override';

/** `keysmith/v1/<kind>/<item id>/<field>` (docs/vault.md): a ciphertext moved elsewhere fails to decrypt. */
export function associatedData(kind: CipherKind, id: string, field: string): Uint8Array<ArrayBuffer> {
  return utf8Encode(`keysmith/v1/${kind}/${id}/${field}`);
}

function toCipher(sealed: Sealed): Cipher {
  const data = new Uint8Array(sealed.ciphertext.length + sealed.tag.length);
  data.set(sealed.ciphertext);
  data.set(sealed.tag, sealed.ciphertext.length);
  return { iv: sealed.iv, data };
}

function toSealed(cipher: Cipher): Sealed {
  const cut = cipher.data.length - TAG_BYTES;
  return { iv: cipher.iv, ciphertext: cipher.data.slice(0, cut), tag: cipher.data.slice(cut) };
}

export async function sealText(key: CryptoKey, text: string, ad: Uint8Array<ArrayBuffer>): Promise<Cipher> {
  return toCipher(await aesGcmEncrypt(key, utf8Encode(text), ad));
}

/** Throws CryptoError('authentication_failed') when the ciphertext is not exactly what was sealed here. */
export async function openText(key: CryptoKey, cipher: Cipher, ad: Uint8Array<ArrayBuffer>): Promise<string> {
  return utf8Decode(await aesGcmDecrypt(key, toSealed(cipher), ad));
}

export async function sealJson(key: CryptoKey, value: unknown, ad: Uint8Array<ArrayBuffer>): Promise<Cipher> {
  return sealText(key, JSON.stringify(value), ad);
}

export async function openJson<T>(key: CryptoKey, cipher: Cipher, ad: Uint8Array<ArrayBuffer>): Promise<T> {
  return JSON.parse(await openText(key, cipher, ad)) as T;
}

export async function wrapKeyCipher(wrappingKey: CryptoKey, key: CryptoKey, ad: Uint8Array<ArrayBuffer>): Promise<Cipher> {
  return toCipher(await wrapAesKey(wrappingKey, key, ad));
}

export function unwrapKeyCipher(
  wrappingKey: CryptoKey,
  cipher: Cipher,
  ad: Uint8Array<ArrayBuffer>,
  options?: { extractable?: boolean; usages?: KeyUsage[] },
): Promise<CryptoKey> {
  return unwrapAesKey(wrappingKey, toSealed(cipher), ad, options);
}

export const VAULT_KEY_USAGES: KeyUsage[] = ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'];
export const SAFE_KEY_USAGES: KeyUsage[] = ['encrypt', 'decrypt'];

/** A fresh random AES-256 key, extractable only so that it can be wrapped once. */
export function generateWrappableKey(usages: KeyUsage[]): Promise<CryptoKey> {
  return crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, usages) as Promise<CryptoKey>;
}
