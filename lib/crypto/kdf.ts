import { utf8Encode } from './encoding';

/** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256, and the Toolkit's default. */
export const PBKDF2_DEFAULT_ITERATIONS = 600_000;
export const SALT_BYTES = 16;

/** Derives an AES-256-GCM key from a password (RFC 8018 PBKDF2, HMAC-SHA256). */
export async function pbkdf2AesKey(
  password: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
  extractable = false,
): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', utf8Encode(password), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    base,
    { name: 'AES-GCM', length: 256 },
    extractable,
    ['encrypt', 'decrypt'],
  );
}

/** PBKDF2-HMAC-SHA256 output as raw bits, to feed HKDF (the vault's master key). */
export async function pbkdf2Bits(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array<ArrayBuffer>> {
  const base = await crypto.subtle.importKey('raw', utf8Encode(password), 'PBKDF2', false, ['deriveBits']);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base, 256));
}

/** HKDF-SHA256 (RFC 5869) expanding `ikm` into `bytes` bytes for the given `info` label. */
export async function hkdfBits(
  ikm: Uint8Array<ArrayBuffer>,
  info: string,
  bytes = 32,
  salt: Uint8Array<ArrayBuffer> = new Uint8Array(0),
): Promise<Uint8Array<ArrayBuffer>> {
  const base = await crypto.subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info: utf8Encode(info) }, base, bytes * 8));
}
