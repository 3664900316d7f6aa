import { hkdfBits, pbkdf2Bits } from '../crypto/kdf';
import { VaultError } from './errors';

/** DESIGN.md: 600,000 (OWASP 2023 for PBKDF2-HMAC-SHA256) to 2,000,000 iterations. */
export const KDF_MIN_ITERATIONS = 600_000;
export const KDF_MAX_ITERATIONS = 2_000_000;
export const KDF_DEFAULT_ITERATIONS = 600_000;

/** Distinct HKDF info labels make wrapKey and authSecret independent (RFC 5869 §3.2). */
const WRAP_KEY_INFO = 'keysmith/v1/wrap-key';
const AUTH_SECRET_INFO = 'keysmith/v1/auth-secret';

/**
 * Downgrade protection: whoever supplies the parameters (stored record, backup file, server
 * prelogin), this client never derives with fewer iterations than its floor.
 */
export function checkIterations(iterations: unknown, source: 'stored' | 'requested'): number {
  if (typeof iterations !== 'number' || !Number.isInteger(iterations)) {
    throw new VaultError('invalid_input', 'KDF iterations must be a whole number', { field: 'iterations' });
  }
  if (iterations < KDF_MIN_ITERATIONS) {
    const what = source === 'stored' ? 'Vault parameters are' : 'The requested iteration count is';
    throw new VaultError(
      'kdf_below_floor',
      `${what} below the minimum this version accepts (${iterations.toLocaleString('en')} < ${KDF_MIN_ITERATIONS.toLocaleString('en')} PBKDF2 iterations); refusing to use them`,
      { field: 'iterations' },
    );
  }
  if (iterations > KDF_MAX_ITERATIONS) {
    throw new VaultError(
      'kdf_out_of_range',
      `KDF iterations must be at most ${KDF_MAX_ITERATIONS.toLocaleString('en')} (got ${iterations.toLocaleString('en')})`,
      { field: 'iterations' },
    );
  }
  return iterations;
}

export interface AccountKeys {
  /** Non-extractable, usable only to wrap and unwrap the vault key. */
  wrapKey: CryptoKey;
  /** For the sync server login; returned to the caller on request, never stored. */
  authSecret: Uint8Array<ArrayBuffer>;
}

/** masterKey = PBKDF2-HMAC-SHA256(password, salt, iterations); wrapKey and authSecret by HKDF-SHA256. */
export async function deriveAccountKeys(
  masterPassword: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
): Promise<AccountKeys> {
  checkIterations(iterations, 'stored');
  const masterKey = await pbkdf2Bits(masterPassword, salt, iterations);
  return deriveFromMasterKey(masterKey);
}

/** The post-KDF part, separate so the benchmark can time unlock beyond PBKDF2. */
export async function deriveFromMasterKey(masterKey: Uint8Array<ArrayBuffer>): Promise<AccountKeys> {
  const [wrapBits, authSecret] = await Promise.all([
    hkdfBits(masterKey, WRAP_KEY_INFO),
    hkdfBits(masterKey, AUTH_SECRET_INFO),
  ]);
  masterKey.fill(0);
  const wrapKey = await crypto.subtle.importKey('raw', wrapBits, { name: 'AES-GCM' }, false, ['wrapKey', 'unwrapKey']);
  wrapBits.fill(0);
  return { wrapKey, authSecret };
}
