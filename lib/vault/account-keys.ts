import { argon2idBits } from '../crypto/argon2';
import { hkdfBits, pbkdf2Bits } from '../crypto/kdf';
import { checkKdf, type KdfParams } from './kdf-params';

/** Distinct HKDF info labels make wrapKey and authSecret independent (RFC 5869 §3.2). */
const WRAP_KEY_INFO = 'keysmith/v1/wrap-key';
const AUTH_SECRET_INFO = 'keysmith/v1/auth-secret';

export interface AccountKeys {
  /** Non-extractable, usable only to wrap and unwrap the vault key. */
  wrapKey: CryptoKey;
  /** For the sync server login; returned to the caller on request, never stored. */
  authSecret: Uint8Array<ArrayBuffer>;
}

/** masterKey = KDF(password, salt); wrapKey and authSecret from it by HKDF-SHA256. */
export async function deriveAccountKeys(masterPassword: string, kdf: KdfParams): Promise<AccountKeys> {
  const params = checkKdf(kdf, 'stored');
  const masterKey =
    params.name === 'Argon2id'
      ? await argon2idBits(masterPassword, params.salt, params)
      : await pbkdf2Bits(masterPassword, params.salt, params.iterations);
  return deriveFromMasterKey(masterKey);
}

/** The post-KDF part, separate so the benchmark can time unlock beyond the KDF. */
export async function deriveFromMasterKey(masterKey: Uint8Array<ArrayBuffer>): Promise<AccountKeys> {
  const [wrapBits, authSecret] = await Promise.all([hkdfBits(masterKey, WRAP_KEY_INFO), hkdfBits(masterKey, AUTH_SECRET_INFO)]);
  masterKey.fill(0);
  const wrapKey = await crypto.subtle.importKey('raw', wrapBits, { name: 'AES-GCM' }, false, ['wrapKey', 'unwrapKey']);
  wrapBits.fill(0);
  return { wrapKey, authSecret };
}
