// The Vault facade: opens the database and serialises each public operation onto the module that does it.
import { checkBackupSize, readBackup, replaceStores, writeBackup } from './backup';
import type { VaultContext } from './context';
import { exportDotenv, importDotenv } from './dotenv-ops';
import { VaultError } from './errors';
import * as lifecycle from './lifecycle';
import { OpQueue } from './op-queue';
import * as places from './places';
import { DEFAULT_DB_NAME, openVaultDb, type Db } from './schema';
import * as secrets from './secrets';
import { update } from './secret-update';
import { unlocked } from './session-keys';
import { memorySessionStore, type SessionSecretStore } from './session-secret';
import type { KdfChoice, KdfParams } from './kdf-params';
import { getSettings, updateSettings } from './settings-store';
import type {
  CreateOptions,
  DeleteOptions,
  ExportDotenvOptions,
  GetOptions,
  ImportDotenvOptions,
  ImportResult,
  SafeSummary,
  Secret,
  SecretList,
  SecretSummary,
  UnlockOptions,
  UnlockResult,
  UpdateOptions,
  VaultSettings,
} from './types';

export { AUTO_LOCK_CHOICES } from './settings';
export { DEFAULT_ENVIRONMENTS } from './place-records';
export { DEFAULT_SETTINGS } from './settings-store';
export { wrongPasswordDelayMs } from './lifecycle';
export { MIN_MASTER_PASSWORD_LENGTH } from './master-password';
export { DEFAULT_KDF } from './kdf-params';
export type { IndexEntry } from './env-index';

export interface OpenVaultOptions {
  /** Default 'keysmith-vault'. */
  dbName?: string;
  /** Default globalThis.indexedDB; pass `new IDBFactory()` from fake-indexeddb for an isolated test. */
  indexedDB?: IDBFactory;
  /** Clock for the wrong-password delay (tests). Default Date.now. */
  now?: () => number;
  /**
   * Where the unlocked state survives a restart of the process that holds the vault (the extension
   * passes storage.session). Default: memory of this Vault only.
   */
  session?: SessionSecretStore;
}

export async function openVault(options: OpenVaultOptions = {}): Promise<Vault> {
  const factory = options.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!factory) throw new Error('IndexedDB is not available: pass options.indexedDB (e.g. fake-indexeddb in Node)');
  const db = await openVaultDb(factory, options.dbName ?? DEFAULT_DB_NAME);
  return new Vault(db, options.now ?? Date.now, options.session ?? memorySessionStore());
}

export class Vault {
  private readonly ops = new OpQueue();
  private readonly ctx: VaultContext;

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    session: SessionSecretStore,
  ) {
    this.ctx = { db, now, session, keys: { current: undefined, generation: 0 } };
  }

  /** Closes the database connection (tests, and before deleting the database). */
  close(): void {
    this.db.close();
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle (lifecycle.ts)

  async isInitialised(): Promise<boolean> {
    return lifecycle.isInitialised(this.ctx);
  }

  async isUnlocked(): Promise<boolean> {
    return lifecycle.isUnlocked(this.ctx);
  }

  /** The KDF, its parameters and salt, e.g. for registering with a sync server. */
  async getKdfParams(): Promise<KdfParams> {
    return (await lifecycle.readAccount(this.ctx)).kdf;
  }

  /** A new vault, unlocked. Argon2id unless `kdf` names other parameters (checked against the floors). */
  async setup(masterPassword: string, opts: { kdf?: KdfChoice } & UnlockOptions = {}): Promise<UnlockResult> {
    return this.ops.exclusive(() => lifecycle.setup(this.ctx, masterPassword, opts));
  }

  /**
   * Derives the keys from the master password and keeps the vault key in memory until lock();
   * its bytes wait in the session store (memory-only) for a restarted worker. Nothing is decrypted here.
   */
  async unlock(masterPassword: string, opts: UnlockOptions = {}): Promise<UnlockResult> {
    return this.ops.exclusive(() => lifecycle.unlock(this.ctx, masterPassword, opts));
  }

  /** Drops the unlocked keys. Not queued behind other operations: locking must be immediate. */
  async lock(): Promise<void> {
    await lifecycle.lock(this.ctx);
  }

  /**
   * Re-wraps the vault key under a key derived from `next` (new salt); secrets are not
   * re-encrypted and the old password stops working. Works locked or unlocked; the lock state is unchanged.
   */
  async changeMasterPassword(
    current: string,
    next: string,
    opts: { kdf?: KdfChoice } & UnlockOptions = {},
  ): Promise<UnlockResult> {
    return this.ops.exclusive(() => lifecycle.changeMasterPassword(this.ctx, current, next, opts));
  }

  /** Switches the KDF or its parameters; needs the master password to re-wrap the vault key. */
  setKdf(masterPassword: string, kdf: KdfChoice): Promise<UnlockResult> {
    return this.changeMasterPassword(masterPassword, masterPassword, { kdf });
  }

  /** Switches to PBKDF2-HMAC-SHA256 with this many iterations (setKdf for PBKDF2). */
  setIterations(masterPassword: string, iterations: number): Promise<UnlockResult> {
    return this.setKdf(masterPassword, { name: 'PBKDF2-HMAC-SHA256', iterations });
  }

  // ---------------------------------------------------------------------------------------------
  // Settings (not secret: the background needs them while locked; settings-store.ts)

  async getSettings(): Promise<VaultSettings> {
    return getSettings(this.ctx);
  }

  async updateSettings(partial: Partial<VaultSettings>): Promise<VaultSettings> {
    return this.ops.exclusive(() => updateSettings(this.ctx, partial));
  }

  // ---------------------------------------------------------------------------------------------
  // Safes and environments (places.ts)

  async listSafes(): Promise<SafeSummary[]> {
    return places.listSafes(this.ctx);
  }

  async createSafe(name: string): Promise<{ id: string }> {
    return this.ops.exclusive(() => places.createSafe(this.ctx, name));
  }

  async renameSafe(id: string, name: string): Promise<void> {
    return this.ops.exclusive(() => places.renameSafe(this.ctx, id, name));
  }

  /** Deletes the safe with its environments, secrets and overrides, in one transaction. */
  async deleteSafe(id: string): Promise<void> {
    return this.ops.exclusive(() => places.deleteSafe(this.ctx, id));
  }

  async createEnvironment(safeId: string, name: string, opts: { protected?: boolean } = {}): Promise<{ id: string }> {
    return this.ops.exclusive(() => places.createEnvironment(this.ctx, safeId, name, opts));
  }

  /** Renames an environment and/or changes its protected flag (addition to the brief). */
  async updateEnvironment(envId: string, changes: { name?: string; protected?: boolean }): Promise<void> {
    return this.ops.exclusive(() => places.updateEnvironment(this.ctx, envId, changes));
  }

  /** Deletes an environment with its secrets and overrides (addition to the brief). */
  async deleteEnvironment(envId: string): Promise<void> {
    return this.ops.exclusive(() => places.deleteEnvironment(this.ctx, envId));
  }

  // ---------------------------------------------------------------------------------------------
  // Listing and revealing (the popup's fast path: names from the index, values on demand; secrets.ts)

  async listSecrets(safeId: string, envId: string): Promise<SecretSummary[]> {
    return secrets.listSecrets(this.ctx, safeId, envId);
  }

  /** The value a read returns: the personal override while active, else the shared value. */
  async revealSecret(id: string): Promise<{ value: string; overridden: boolean }> {
    return secrets.revealSecret(this.ctx, id);
  }

  // ---------------------------------------------------------------------------------------------
  // Phase-style operations (secrets.ts, secret-update.ts). Writes that commit an index go through
  // writeOp, which reruns them when another writer changed the same index meanwhile.

  /** Creates all the given secrets in one transaction, or none (duplicates are an error). */
  async create(o: CreateOptions): Promise<Secret[]> {
    return this.ops.writeOp(() => secrets.create(this.ctx, o));
  }

  /**
   * All secrets of an environment (optionally one path, one tag), or with `keyToFind` at most one.
   * Records that fail to decrypt are left out and listed in the result's `damaged` property.
   */
  async get(o: GetOptions): Promise<SecretList> {
    return secrets.get(this.ctx, o);
  }

  async update(o: UpdateOptions): Promise<Secret> {
    return this.ops.writeOp(() => update(this.ctx, o));
  }

  async delete(o: DeleteOptions): Promise<void> {
    return this.ops.writeOp(() => secrets.deleteOne(this.ctx, o));
  }

  /** Deletes one secret by id, including one that no longer decrypts (addition to the brief). */
  async deleteSecret(id: string): Promise<void> {
    return this.ops.writeOp(() => secrets.deleteSecret(this.ctx, id));
  }

  // ---------------------------------------------------------------------------------------------
  // .env import and export (dotenv-ops.ts)

  /** Imports a .env file into one environment and path in one transaction. */
  async importDotenv(o: ImportDotenvOptions): Promise<ImportResult> {
    return this.ops.writeOp(() => importDotenv(this.ctx, o));
  }

  /**
   * The shared values (not personal overrides) of one environment and path as a .env file,
   * comments as `#` lines above their key. Reads back through importDotenv to the same keys,
   * values and comments.
   */
  async exportDotenv(o: ExportDotenvOptions): Promise<string> {
    return exportDotenv(this.ctx, o);
  }

  // ---------------------------------------------------------------------------------------------
  // Encrypted backup (backup.ts)

  /**
   * Everything persisted (account with its wrapped vault key, settings, orgs, safes, environments,
   * secrets, indexes, overrides) as JSON in the Toolkit `encrypt` format under `password`.
   * The records stay encrypted inside, so restoring needs both this password and the master
   * password that was current when the backup was made.
   */
  async exportBackup(password: string): Promise<string> {
    await unlocked(this.ctx);
    return writeBackup(this.db, password, this.now());
  }

  /**
   * Replaces the whole vault with the backup in one transaction and leaves it LOCKED: unlock with
   * the master password that was in effect when the backup was made. Over an existing vault it
   * needs that vault's current master password. A wrong password, a file over MAX_BACKUP_BYTES or
   * a damaged one throws VaultError ('wrong_password', 'backup_auth_failed', 'backup_invalid') and
   * changes nothing.
   */
  async restoreBackup(text: string, password: string, currentMasterPassword?: string): Promise<void> {
    return this.ops.exclusive(async () => {
      checkBackupSize(typeof text === 'string' ? text.length : 0); // before any key derivation
      // Replacing a vault is for its owner: one that exists must be unlocked, and its master
      // password given again, so someone at an unlocked browser cannot wipe it.
      if (await this.isInitialised()) {
        if (!(await this.isUnlocked())) throw new VaultError('locked', 'Unlock Keysmith before restoring a backup over your vault');
        await lifecycle.verifyMasterPassword(this.ctx, currentMasterPassword, 'masterPassword');
      }
      const stores = await readBackup(text, password);
      await this.lock();
      await replaceStores(this.db, stores);
    });
  }
}
