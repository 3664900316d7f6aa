import { msg, type MessageKey } from '../i18n';
import { VaultError } from '../vault/errors';

/** A file that cannot be read as the format it claims: nothing is imported. */
export function damaged(key: MessageKey, ...params: (string | number)[]): VaultError {
  return new VaultError('import_damaged', msg(key, ...params), { field: 'file' });
}
