// The Vault: opens the database and names every operation with how it runs beside the others
// (docs/architecture.md, "Writes beside each other").
import * as backup from './backup-ops';
import type { VaultContext } from './context';
import * as dotenv from './dotenv-ops';
import { open } from './first-view';
import * as lifecycle from './lifecycle';
import { OpQueue } from './op-queue';
import * as safes from './safes';
import { DEFAULT_DB_NAME, openVaultDb, type Db } from './schema';
import { encryptionKeys, findHit, forSite, prepareSearch, search } from './search';
import { readIndexes } from './search-names';
import * as secrets from './secrets';
import { update } from './secret-update';
import { restoreOptions, revealVersion, secretHistory } from './secret-versions';
import { deleteForever, recentlyDeleted, restoreDeleted } from './trash';
import { resolveValue, usedBy } from './reference-values';
import { updateReferrers } from './referrers-update';
import { dueForRotation } from './rotation-ops';
import { DEFAULT_DEVICE_NAME } from './device-name';
import { indexOlderReferences } from './upgrade';
import { memorySessionStore, type SessionSecretStore } from './session-secret';
import * as settings from './settings-store';
import type { VaultPort } from './port';

export { AUTO_LOCK_CHOICES } from './settings';
export { DEFAULT_ENVIRONMENTS } from './safe-records';
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
  /** This device's name until the user sets one (Settings): the background passes `defaultDeviceName(userAgent)`. */
  deviceName?: string;
}

export async function openVault(options: OpenVaultOptions = {}): Promise<Vault> {
  const factory = options.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!factory) throw new Error('IndexedDB is not available: pass options.indexedDB (e.g. fake-indexeddb in Node)');
  const db = await openVaultDb(factory, options.dbName ?? DEFAULT_DB_NAME);
  return new Vault(db, options.now ?? Date.now, options.session ?? memorySessionStore(), options.deviceName ?? DEFAULT_DEVICE_NAME);
}

type Operation<A extends unknown[], R> = (ctx: VaultContext, ...args: A) => Promise<R>;

/**
 * Each operation is the module function of the same name (its doc comment is there), run one of
 * three ways: `read` at once; `exclusive` after every earlier write (key and structure changes);
 * `write` likewise, and rerun when another writer committed the same environment's index meanwhile.
 * Lock is a read: it must never wait behind a slow write.
 */
export class Vault {
  private readonly ops = new OpQueue();
  private readonly ctx: VaultContext;

  constructor(
    private readonly db: Db,
    now: () => number,
    session: SessionSecretStore,
    deviceName: string,
  ) {
    this.ctx = { db, now, session, keys: { current: undefined, generation: 0 }, writes: { count: 0 }, deviceName };
  }

  /** Closes the database connection (tests, and before deleting the database). */
  close(): void {
    this.db.close();
  }

  private read<A extends unknown[], R>(op: Operation<A, R>): (...args: A) => Promise<R> {
    return (...args) => op(this.ctx, ...args);
  }

  private exclusive<A extends unknown[], R>(op: Operation<A, R>): (...args: A) => Promise<R> {
    return (...args) => this.ops.exclusive(() => this.counted((ctx) => op(ctx, ...args)));
  }

  private write<A extends unknown[], R>(op: Operation<A, R>): (...args: A) => Promise<R> {
    return (...args) => this.ops.writeOp(() => this.counted((ctx) => op(ctx, ...args)));
  }

  /** Counts a write whether or not it succeeded (a failed one may have committed part of a retry). */
  private async counted<R>(work: (ctx: VaultContext) => Promise<R>): Promise<R> {
    try {
      return await work(this.ctx);
    } finally {
      this.ctx.writes.count++;
    }
  }

  // Lifecycle (lifecycle.ts)
  readonly isInitialised = this.read(lifecycle.isInitialised);
  readonly isUnlocked = this.read(lifecycle.isUnlocked);
  readonly status = this.read(lifecycle.status);
  readonly open = this.read(open);
  readonly getKdfParams = this.read(lifecycle.getKdfParams);
  readonly setup = this.exclusive(lifecycle.setup);
  readonly unlock = this.exclusive(lifecycle.unlock);
  readonly lock = this.read(lifecycle.lock);
  readonly changeMasterPassword = this.exclusive(lifecycle.changeMasterPassword);
  readonly setKdf = this.exclusive(lifecycle.setKdf);
  readonly adoptAccountKeys = this.exclusive(lifecycle.adoptAccountKeys);
  readonly verifyMasterPassword = this.exclusive((ctx: VaultContext, password: string) =>
    lifecycle.verifyMasterPassword(ctx, password, 'masterPassword'),
  );
  readonly erase = this.exclusive(lifecycle.erase);

  // Settings (settings-store.ts)
  readonly getSettings = this.read(settings.getSettings);
  readonly updateSettings = this.exclusive(settings.updateSettings);

  // Safes and environments (safes.ts)
  readonly listSafes = this.read(safes.listSafes);
  readonly createSafe = this.exclusive(safes.createSafe);
  readonly renameSafe = this.exclusive(safes.renameSafe);
  readonly deleteSafe = this.exclusive(safes.deleteSafe);
  readonly createEnvironment = this.exclusive(safes.createEnvironment);
  readonly updateEnvironment = this.exclusive(safes.updateEnvironment);
  readonly deleteEnvironment = this.exclusive(safes.deleteEnvironment);

  // Secrets (secrets.ts, secret-update.ts, search.ts); create, get, update and delete are Phase's operations
  readonly listSecrets = this.read(secrets.listSecrets);
  readonly search = this.read(search);
  readonly prepareSearch = this.read(prepareSearch);
  readonly readIndexes = this.read(readIndexes);
  readonly forSite = this.read(forSite);
  readonly findHit = this.read(findHit);
  readonly encryptionKeys = this.read(encryptionKeys);
  readonly revealSecret = this.read(secrets.revealSecret);
  readonly create = this.write(secrets.create);
  readonly get = this.read(secrets.get);
  readonly update = this.write(update);
  readonly delete = this.write(secrets.delete);
  readonly deleteById = this.write(secrets.deleteById);
  readonly countSecrets = this.read(safes.countSecrets);

  // History (secret-versions.ts): earlier versions listed and revealed; a restore is an edit
  readonly history = this.read(secretHistory);
  readonly revealVersion = this.read(revealVersion);
  readonly recentlyDeleted = this.read(recentlyDeleted);
  readonly restoreDeleted = this.write(restoreDeleted);
  readonly deleteForever = this.write(deleteForever);
  readonly restoreVersion = this.write(async (ctx: VaultContext, id: string, ver: number) =>
    update(ctx, await restoreOptions(ctx, id, ver)),
  );

  // References (reference-values.ts, referrers-update.ts) and rotation reminders (rotation-ops.ts)
  readonly resolveValue = this.read(resolveValue);
  readonly usedBy = this.read(usedBy);
  readonly updateReferrers = this.write(updateReferrers);
  /** Queued like a write, but counted by itself, only when it changed an index (most calls change nothing). */
  readonly indexOlderReferences = () => this.ops.writeOp(() => indexOlderReferences(this.ctx));
  readonly dueForRotation = this.read(dueForRotation);

  // .env files (dotenv-ops.ts) and the encrypted backup (backup-ops.ts)
  readonly importDotenv = this.write(dotenv.importDotenv);
  readonly exportDotenv = this.read(dotenv.exportDotenv);
  readonly exportBackup = this.read(backup.exportBackup);
  readonly restoreBackup = this.exclusive(backup.restoreBackup);

  /** Sync's way in (port.ts): lib/sync/local.ts names its operations over it. */
  readonly port: VaultPort = {
    read: (work) => work(this.ctx),
    write: (work) => this.ops.writeOp(() => this.counted(work)),
    exclusive: (work) => this.ops.exclusive(() => this.counted(work)),
  };
}
