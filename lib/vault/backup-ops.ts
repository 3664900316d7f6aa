// Export and restore of the whole vault through the encrypted backup file (backup.ts).
import { checkBackupSize, readBackup, replaceStores, writeBackup } from './backup';
import type { VaultContext } from './context';
import { VaultError } from './errors';
import { isInitialised, isUnlocked, lock, verifyMasterPassword } from './lifecycle';
import { unlocked } from './session-keys';
import { msg } from '../i18n';

/**
 * Everything persisted (account with its wrapped vault key, settings, orgs, safes, environments,
 * secrets, indexes, overrides) as JSON in the Toolkit `encrypt` format under `password`.
 * The records stay encrypted inside, so restoring needs both this password and the master
 * password that was current when the backup was made.
 */
export async function exportBackup(ctx: VaultContext, password: string): Promise<string> {
  await unlocked(ctx);
  return writeBackup(ctx.db, password, ctx.now());
}

/**
 * Replaces the whole vault with the backup in one transaction and leaves it LOCKED: unlock with
 * the master password that was in effect when the backup was made. Over an existing vault it
 * needs that vault's current master password. A wrong password, a file over MAX_BACKUP_BYTES or
 * a damaged one throws VaultError ('wrong_password', 'backup_auth_failed', 'backup_invalid') and
 * changes nothing.
 */
export async function restoreBackup(ctx: VaultContext, text: string, password: string, currentMasterPassword?: string): Promise<void> {
  checkBackupSize(typeof text === 'string' ? text.length : 0); // before any key derivation
  // Replacing a vault is for its owner: one that exists must be unlocked, and its master
  // password given again, so someone at an unlocked browser cannot wipe it.
  if (await isInitialised(ctx)) {
    if (!(await isUnlocked(ctx))) throw new VaultError('locked', msg('errRestoreLocked'));
    await verifyMasterPassword(ctx, currentMasterPassword, 'masterPassword');
  }
  const stores = await readBackup(text, password);
  await lock(ctx);
  await replaceStores(ctx.db, stores);
}
