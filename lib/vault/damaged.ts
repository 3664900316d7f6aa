// Maps a failed decryption to the user-facing 'damaged' error, letting real bugs through.
import { isCryptoError } from '../crypto/errors';
import { DAMAGED_MESSAGE, VaultError } from './errors';
import { msg } from '../i18n';

const DAMAGED = { secret: 'errSecretDamaged', safe: 'errSafeDamaged', environment: 'errEnvDamaged' } as const;

export function damagedError(what: keyof typeof DAMAGED = 'secret'): VaultError {
  return new VaultError('damaged', msg(DAMAGED[what]));
}

/** Awaits a decryption; an authentication failure or unreadable plaintext becomes VaultError('damaged') naming `what`. */
export async function orDamaged<T>(work: Promise<T>, what?: keyof typeof DAMAGED): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isCryptoError(error) || error instanceof SyntaxError || error instanceof TypeError) throw damagedError(what);
    throw error;
  }
}

export function messageOf(error: unknown): string {
  return error instanceof VaultError ? error.message : DAMAGED_MESSAGE;
}
