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

/**
 * Seals text padded to a size bucket, so a ciphertext's length tells a sync server (or a thief)
 * only the bucket, not the length of a value or a meta, nor whether a flag is true or false.
 */
export function sealPaddedText(key: CryptoKey, text: string, ad: Uint8Array<ArrayBuffer>, minBytes = 0): Promise<Cipher> {
  return aesGcmEncrypt(key, pad(utf8Encode(text), minBytes), ad);
}

/** `minBytes`: the smallest size sealed, so what usually fits below it (a short history) always seals to one size. */
export function sealPaddedJson(key: CryptoKey, value: unknown, ad: Uint8Array<ArrayBuffer>, minBytes = 0): Promise<Cipher> {
  return sealPaddedText(key, JSON.stringify(value), ad, minBytes);
}

/** Throws CryptoError('authentication_failed') when the ciphertext is not exactly what was sealed here. Padded or not. */
export async function openText(key: CryptoKey, cipher: Cipher, ad: Uint8Array<ArrayBuffer>): Promise<string> {
  return utf8Decode(unpad(await aesGcmDecrypt(key, cipher, ad)));
}

export function sealJson(key: CryptoKey, value: unknown, ad: Uint8Array<ArrayBuffer>): Promise<Cipher> {
  return sealText(key, JSON.stringify(value), ad);
}

/** Begins a padded plaintext: the byte 0xFF never occurs in UTF-8, so text sealed before padding reads as it did. */
const PADDED = 0xff;
const HEADER = 5;
/** Buckets: 64 bytes doubling up to 16 KiB, then whole multiples of 16 KiB. */
const FIRST_BUCKET = 64;
const LARGE_STEP = 16 * 1024;

export function bucketOf(size: number): number {
  if (size > LARGE_STEP) return Math.ceil(size / LARGE_STEP) * LARGE_STEP;
  let bucket = FIRST_BUCKET;
  while (bucket < size) bucket *= 2;
  return bucket;
}

/** `0xFF ‖ length (4 bytes, big-endian) ‖ bytes ‖ zeros` up to the bucket. */
function pad(bytes: Uint8Array<ArrayBuffer>, minBytes = 0): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bucketOf(Math.max(HEADER + bytes.length, minBytes)));
  out[0] = PADDED;
  new DataView(out.buffer).setUint32(1, bytes.length);
  out.set(bytes, HEADER);
  return out;
}

function unpad(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  if (bytes[0] !== PADDED) return bytes;
  const length = bytes.length >= HEADER ? new DataView(bytes.buffer, bytes.byteOffset).getUint32(1) : -1;
  // Authenticated, so only a bug could get here; refused rather than read past the end.
  if (length < 0 || HEADER + length > bytes.length) throw new TypeError('padded plaintext is shorter than it says');
  return bytes.slice(HEADER, HEADER + length);
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
