// Maps a failed decryption to the user-facing 'damaged' error, letting real bugs through.
import { isCryptoError } from '../crypto/errors';
import { DAMAGED_MESSAGE, VaultError } from './errors';

export function damagedError(what = 'secret'): VaultError {
  return new VaultError('damaged', `This ${what} could not be decrypted (damaged or tampered)`);
}

/** Awaits a decryption; an authentication failure or unreadable plaintext becomes VaultError('damaged') naming `what`. */
export async function orDamaged<T>(work: Promise<T>, what?: string): Promise<T> {
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
