import { aesGcmDecrypt, IV_BYTES, TAG_BYTES } from '../crypto/aes-gcm';
import { fromBase64, utf8Decode } from '../crypto/encoding';
import { CryptoError, invalidInput } from '../crypto/errors';
import { PBKDF2_DEFAULT_ITERATIONS, pbkdf2AesKey } from '../crypto/kdf';
import { importHexKey, keyOrPassword } from './encrypt';
import type { DecryptRequest, DecryptResponse } from './types';
import { optionalInteger, optionalString, requireObject, requireString } from './validate';
import { msg } from '../i18n';

/** Bounds for a ciphertext made elsewhere: at least 1,000 (RFC 8018's floor), at most 10 million. */
export const DECRYPT_ITERATIONS = { min: 1_000, max: 10_000_000 } as const;

/** Toolkit `decrypt`. A wrong key or password, or altered data, is CryptoError('authentication_failed'). */
export async function decrypt(request: DecryptRequest): Promise<DecryptResponse> {
  const fields = requireObject(request);
  const ciphertext = fromBase64(requireString(fields.ciphertext, 'ciphertext'), 'ciphertext');
  const iv = fromBase64(requireString(fields.iv, 'iv'), 'iv');
  const tag = fromBase64(requireString(fields.tag, 'tag'), 'tag');
  if (iv.length !== IV_BYTES) throw invalidInput('iv', 'errIvLength', IV_BYTES, iv.length);
  if (tag.length !== TAG_BYTES) throw invalidInput('tag', 'errTagLength', TAG_BYTES, tag.length);

  const secret = keyOrPassword(fields);
  let key: CryptoKey;
  if (secret.kind === 'key') {
    key = await importHexKey(secret.value);
  } else {
    const saltText = optionalString(fields.salt, 'salt');
    if (!saltText) throw invalidInput('salt', 'errSaltRequired');
    const iterations =
      optionalInteger(fields.iterations, 'iterations', DECRYPT_ITERATIONS.min, DECRYPT_ITERATIONS.max) ?? PBKDF2_DEFAULT_ITERATIONS;
    key = await pbkdf2AesKey(secret.value, fromBase64(saltText, 'salt'), iterations);
  }

  // WebCrypto wants the tag appended to the ciphertext; the Toolkit JSON carries it apart.
  const data = new Uint8Array(ciphertext.length + TAG_BYTES);
  data.set(ciphertext);
  data.set(tag, ciphertext.length);
  const plaintext = await aesGcmDecrypt(key, { iv, data });
  try {
    return { plaintext: utf8Decode(plaintext), algorithm: 'AES-256-GCM' };
  } catch {
    throw new CryptoError('invalid_input', msg('errNotUtf8'), 'ciphertext');
  }
}
