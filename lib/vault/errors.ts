import { english, msg, type MessageKey, type Text } from '../i18n';

/**
 * Every failure a user or the UI can cause is a VaultError with a stable `code` and a message a
 * person can act on: `text` for the page to show in the reader's language, `message` its English.
 * Anything else thrown from lib/vault is a bug.
 */
export type VaultErrorCode =
  | 'not_initialised' // no vault yet: call setup()
  | 'already_initialised' // setup() on an existing vault
  | 'locked' // the operation needs the vault unlocked
  | 'wrong_password' // the master password (or current password on change) is wrong
  | 'throttled' // too many wrong passwords: wait `retryAfterMs`
  | 'kdf_below_floor' // stored or requested KDF parameters are weaker than this client accepts
  | 'kdf_out_of_range' // iterations above the maximum (a stored value that would hang the browser)
  | 'kdf_changed' // a sync server's KDF is not the one this device holds for the account (another salt, or weaker)
  | 'kdf_salt' // a sync server's salt was not drawn at random (all zero, one byte repeated)
  | 'invalid_input' // a field is malformed; `field` names it
  | 'duplicate' // a safe, environment or secret with that name already exists there
  | 'not_found' // unknown safe, environment, secret or override
  | 'damaged' // a record failed authentication (tampered or corrupted)
  | 'conflict' // the same data changed concurrently and retrying did not help
  | 'backup_auth_failed' // wrong backup password, or the backup ciphertext was altered
  | 'backup_invalid' // not a Keysmith backup, or an unsupported/damaged one
  | 'backup_too_large' // an export over MAX_BACKUP_BYTES, which restore would refuse: nothing was saved
  | 'dotenv_unrepresentable' // a key or value that no .env quoting can carry exactly
  | 'import_damaged' // an import file that is not the format it claims, damaged, or over a cap: nothing written
  | 'import_password' // wrong password for a password-protected import file, or the file was altered
  | 'import_changed' // the vault gained a clashing name after the import's preview: preview again
  | 'reference' // a value's reference is missing, unopenable, malformed, cyclic or too deep (the message names it)
  | 'already_linked' // this vault is already connected to a sync account
  | 'not_linked' // a sync operation on a vault with no sync account
  | 'auth_failed' // the sync server no longer takes this vault's master password (changed on another device)
  | 'unreachable' // the sync server did not answer
  | 'server_error'; // the sync server refused or failed, in its own words

export class VaultError extends Error {
  override readonly name = 'VaultError';
  /** Set for 'throttled': milliseconds until the next attempt is accepted. */
  readonly retryAfterMs?: number;
  /** Set for 'invalid_input' (and some 'duplicate'): which option to fix. */
  readonly field?: string;

  constructor(
    readonly code: VaultErrorCode,
    readonly text: Text,
    extra: { retryAfterMs?: number; field?: string } = {},
  ) {
    super(english(text));
    if (extra.retryAfterMs !== undefined) this.retryAfterMs = extra.retryAfterMs;
    if (extra.field !== undefined) this.field = extra.field;
  }
}

export function isVaultError(error: unknown, code?: VaultErrorCode): error is VaultError {
  return error instanceof VaultError && (code === undefined || error.code === code);
}

export const DAMAGED_MESSAGE = english(msg('errSecretDamaged'));

export function invalid(field: string, key: MessageKey, ...params: (string | number)[]): VaultError {
  return new VaultError('invalid_input', msg(key, ...params), { field });
}
