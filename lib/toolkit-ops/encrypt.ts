import { aesGcmEncrypt, importAesKey, KEY_BYTES, TAG_BYTES, type Sealed } from '../crypto/aes-gcm';
import { fromHex, toBase64, utf8Encode } from '../crypto/encoding';
import { invalidInput } from '../crypto/errors';
import { PBKDF2_DEFAULT_ITERATIONS, pbkdf2AesKey, SALT_BYTES } from '../crypto/kdf';
import { randomBytes } from '../crypto/random';
import type { EncryptRequest, EncryptResponse } from './types';
import { optionalString, requireObject, requireString } from './validate';

/** Toolkit `encrypt`: AES-256-GCM with a hex key, or with a key derived from a password by PBKDF2. */
export async function encrypt(request: EncryptRequest): Promise<EncryptResponse> {
  const fields = requireObject(request);
  const plaintext = requireString(fields.plaintext, 'plaintext');
  const secret = keyOrPassword(fields);

  if (secret.kind === 'key') {
    const sealed = await aesGcmEncrypt(await importHexKey(secret.value), utf8Encode(plaintext));
    return { ...toolkitFields(sealed), salt: null, algorithm: 'AES-256-GCM' };
  }
  const salt = randomBytes(SALT_BYTES);
  const key = await pbkdf2AesKey(secret.value, salt, PBKDF2_DEFAULT_ITERATIONS);
  const sealed = await aesGcmEncrypt(key, utf8Encode(plaintext));
  return {
    ...toolkitFields(sealed),
    salt: toBase64(salt),
    algorithm: 'AES-256-GCM',
    iterations: PBKDF2_DEFAULT_ITERATIONS,
  };
}

export type KeyOrPassword = { kind: 'key'; value: string } | { kind: 'password'; value: string };

/** Exactly one of `key` and `password`; an empty string counts as not given. */
export function keyOrPassword(fields: Record<string, unknown>): KeyOrPassword {
  const key = optionalString(fields.key, 'key') || undefined;
  const password = optionalString(fields.password, 'password') || undefined;
  if (key !== undefined && password !== undefined) {
    throw invalidInput('key', 'errKeyOrPassword');
  }
  if (key !== undefined) return { kind: 'key', value: key };
  if (password !== undefined) return { kind: 'password', value: password };
  throw invalidInput('key', 'errNeedKeyOrPassword');
}

export async function importHexKey(hex: string): Promise<CryptoKey> {
  if (hex.length !== KEY_BYTES * 2 || !/^[0-9a-fA-F]+$/.test(hex)) {
    throw invalidInput('key', 'errKeyLength', hex.length);
  }
  return importAesKey(fromHex(hex));
}

/** The Toolkit JSON carries the GCM tag apart from the ciphertext; WebCrypto appends it. */
export function toolkitFields(sealed: Sealed): { ciphertext: string; iv: string; tag: string } {
  const cut = sealed.data.length - TAG_BYTES;
  return { ciphertext: toBase64(sealed.data.subarray(0, cut)), iv: toBase64(sealed.iv), tag: toBase64(sealed.data.subarray(cut)) };
}
