// Every ciphertext of the vault (text, JSON; keys are wrapped by crypto/key-wrap.ts), each bound to its place by associated data.
import { aesGcmDecrypt, aesGcmEncrypt } from '../crypto/aes-gcm';
import { utf8Decode, utf8Encode } from '../crypto/encoding';
import type { Cipher } from './schema';

/** What a ciphertext belongs to; with the item id and field it forms the associated data. */
export type CipherKind = 'account' | 'settings' | 'org' | 'safe' | 'environment' | 'secret' | 'index' | 'override';

/** `keysmith/v1/<kind>/<item id>/<field>` (docs/architecture.md, "Record binding"): a ciphertext moved elsewhere fails to decrypt. */
export function associatedData(kind: CipherKind, id: string, field: string): Uint8Array<ArrayBuffer> {
  return utf8Encode(`keysmith/v1/${kind}/${id}/${field}`);
}

export function sealText(key: CryptoKey, text: string, ad: Uint8Array<ArrayBuffer>): Promise<Cipher> {
  return aesGcmEncrypt(key, utf8Encode(text), ad);
}

/** Throws CryptoError('authentication_failed') when the ciphertext is not exactly what was sealed here. */
export async function openText(key: CryptoKey, cipher: Cipher, ad: Uint8Array<ArrayBuffer>): Promise<string> {
  return utf8Decode(await aesGcmDecrypt(key, cipher, ad));
}

export function sealJson(key: CryptoKey, value: unknown, ad: Uint8Array<ArrayBuffer>): Promise<Cipher> {
  return sealText(key, JSON.stringify(value), ad);
}

export async function openJson<T>(key: CryptoKey, cipher: Cipher, ad: Uint8Array<ArrayBuffer>): Promise<T> {
  return JSON.parse(await openText(key, cipher, ad)) as T;
}

export const VAULT_KEY_USAGES: KeyUsage[] = ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'];
export const SAFE_KEY_USAGES: KeyUsage[] = ['encrypt', 'decrypt'];

/** A fresh random AES-256 key, extractable only so that it can be wrapped once. */
export function generateWrappableKey(usages: KeyUsage[]): Promise<CryptoKey> {
  return crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, usages) as Promise<CryptoKey>;
}
