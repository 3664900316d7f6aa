import type { IDBPTransaction } from 'idb';
import { toHex } from '../crypto/encoding';
import { isCryptoError } from '../crypto/errors';
import { randomBytes } from '../crypto/random';
import { SALT_BYTES } from '../crypto/kdf';
import { checkIterations, deriveAccountKeys, KDF_DEFAULT_ITERATIONS, type AccountKeys } from './account-keys';
import {
  associatedData,
  generateWrappableKey,
  openJson,
  openText,
  SAFE_KEY_USAGES,
  sealJson,
  sealText,
  unwrapKeyCipher,
  VAULT_KEY_USAGES,
  wrapKeyCipher,
} from './cipher';
import { DAMAGED_MESSAGE, invalid, VaultError } from './errors';
import {
  ALL_STORES,
  DEFAULT_DB_NAME,
  openVaultDb,
  type AccountRecord,
  type Cipher,
  type Db,
  type EnvironmentRecord,
  type IndexRecord,
  type OverrideRecord,
  type SafeRecord,
  type SecretRecord,
  type SettingsRecord,
  type StoreName,
  type ThrottleRecord,
  type VaultDB,
} from './schema';
import { formatDotenv, parseDotenv } from './dotenv';
import { readBackup, writeBackup } from './backup';
import type {
  CreateOptions,
  DamagedItem,
  DeleteOptions,
  EnvironmentSummary,
  ExportDotenvOptions,
  GetOptions,
  ImportDotenvOptions,
  ImportResult,
  KeyValuePairs,
  NewSecret,
  SafeSummary,
  Secret,
  SecretList,
  SecretSummary,
  Target,
  UnlockOptions,
  UnlockResult,
  UpdateOptions,
  VaultSettings,
} from './types';
import {
  checkComment,
  checkKey,
  checkName,
  checkTags,
  checkValue,
  normalisePath,
  pathFilter,
  sameName,
} from './validate';
import { isAutoLockChoice, isClipboardSeconds, MAX_CLIPBOARD_SECONDS } from './settings';

export interface OpenVaultOptions {
  /** Default 'keysmith-vault'. */
  dbName?: string;
  /** Default globalThis.indexedDB; pass `new IDBFactory()` from fake-indexeddb for an isolated test. */
  indexedDB?: IDBFactory;
  /** Clock for the wrong-password delay (tests). Default Date.now. */
  now?: () => number;
}

export async function openVault(options: OpenVaultOptions = {}): Promise<Vault> {
  const factory = options.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!factory) throw new Error('IndexedDB is not available: pass options.indexedDB (e.g. fake-indexeddb in Node)');
  const db = await openVaultDb(factory, options.dbName ?? DEFAULT_DB_NAME);
  return new Vault(db, options.now ?? Date.now);
}

export const DEFAULT_ENVIRONMENTS: readonly { name: string; protected: boolean }[] = [
  { name: 'Development', protected: false },
  { name: 'Staging', protected: false },
  { name: 'Production', protected: true },
];
export { AUTO_LOCK_CHOICES } from './settings';
export const DEFAULT_SETTINGS: SettingsRecord = { autoLockMinutes: 15, clipboardClearSeconds: 30 };

/** No delay for the first two mistakes (typos), then 1 s, 2 s, 4 s … capped at 5 minutes. */
export function wrongPasswordDelayMs(failures: number): number {
  if (failures < 3) return 0;
  return Math.min(1000 * 2 ** (failures - 3), 5 * 60_000);
}

/** One entry of an environment's encrypted name index. */
export interface IndexEntry {
  id: string;
  key: string;
  path: string;
  tags: string[];
  comment: string;
  hasOverride: boolean;
  overrideActive: boolean;
}

/** What secret/<id>/meta holds: the names, so the index can be rebuilt from the records. */
interface SecretMeta {
  key: string;
  path: string;
  tags: string[];
  comment: string;
}

interface ResolvedTarget {
  safe: SafeRecord;
  safeName: string;
  safeKey: CryptoKey;
  env: EnvironmentRecord;
  envName: string;
}

interface EnvIndex {
  entries: IndexEntry[];
  damaged: DamagedItem[];
  revision: number;
}

type WriteTx = IDBPTransaction<VaultDB, StoreName[], 'readwrite'>;

/** Thrown inside a write when another writer changed the same index; the operation reruns. */
class RetrySignal extends Error {}

const ACCOUNT_AD = (accountId: string) => associatedData('account', accountId, 'vault-key');
const SAFE_KEY_AD = (safeId: string) => associatedData('safe', safeId, 'key');
const SAFE_NAME_AD = (safeId: string) => associatedData('safe', safeId, 'name');
const ENV_NAME_AD = (envId: string) => associatedData('environment', envId, 'name');
const INDEX_AD = (envId: string) => associatedData('index', envId, 'entries');
const META_AD = (id: string) => associatedData('secret', id, 'meta');
const VALUE_AD = (id: string) => associatedData('secret', id, 'value');
const OVERRIDE_AD = (id: string) => associatedData('override', id, 'value');

function newId(): string {
  return crypto.randomUUID();
}

function damagedError(what = 'secret'): VaultError {
  return new VaultError('damaged', `This ${what} could not be decrypted (damaged or tampered)`);
}

/** Decrypt, mapping an authentication failure to `fallback` and letting real bugs through. */
async function orDamaged<T>(work: Promise<T>, what?: string): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isCryptoError(error) || error instanceof SyntaxError || error instanceof TypeError) throw damagedError(what);
    throw error;
  }
}

function samePathKey(entry: { path: string; key: string }, path: string, key: string): boolean {
  return entry.path === path && entry.key === key;
}

function describePath(path: string, envName: string): string {
  return `at ${path} in ${envName}`;
}

/** The unlocked keys, read from the session store at the start of each operation. */
class UnlockedKeys {
  constructor(
    readonly vaultKey: CryptoKey,
    private readonly safeKeys: Map<string, CryptoKey>,
  ) {}

  async safeKey(safe: SafeRecord): Promise<CryptoKey> {
    const cached = this.safeKeys.get(safe.id);
    if (cached) return cached;
    const key = await orDamaged(
      unwrapKeyCipher(this.vaultKey, safe.wrappedKey, SAFE_KEY_AD(safe.id), { usages: SAFE_KEY_USAGES }),
      'safe',
    );
    this.safeKeys.set(safe.id, key);
    return key;
  }
}

export class Vault {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  /** Closes the database connection (tests, and before deleting the database). */
  close(): void {
    this.db.close();
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle

  async isInitialised(): Promise<boolean> {
    return (await this.db.get('meta', 'account')) !== undefined;
  }

  async isUnlocked(): Promise<boolean> {
    return (await this.db.get('session', 'vault')) !== undefined;
  }

  /** PBKDF2 salt (base64-free bytes) and iterations, e.g. for registering with a sync server. */
  async getKdfParams(): Promise<{ salt: Uint8Array<ArrayBuffer>; iterations: number }> {
    const account = await this.account();
    return { salt: account.kdf.salt, iterations: account.kdf.iterations };
  }

  async setup(masterPassword: string, opts: { iterations?: number } & UnlockOptions = {}): Promise<UnlockResult> {
    return this.exclusive(async () => {
      checkMasterPassword(masterPassword, 'masterPassword');
      if (await this.isInitialised()) {
        throw new VaultError('already_initialised', 'A vault already exists here; unlock it instead');
      }
      const iterations = checkIterations(opts.iterations ?? KDF_DEFAULT_ITERATIONS, 'requested');
      const salt = randomBytes(SALT_BYTES);
      const keys = await deriveAccountKeys(masterPassword, salt, iterations);

      const accountId = newId();
      const vaultKeyToWrap = await generateWrappableKey(VAULT_KEY_USAGES);
      const wrappedVaultKey = await wrapKeyCipher(keys.wrapKey, vaultKeyToWrap, ACCOUNT_AD(accountId));
      const vaultKey = await unwrapKeyCipher(keys.wrapKey, wrappedVaultKey, ACCOUNT_AD(accountId), {
        usages: VAULT_KEY_USAGES,
      });
      const orgId = newId();
      const org = { id: orgId, name: await sealText(vaultKey, 'Personal', associatedData('org', orgId, 'name')), createdAt: this.now() };
      const safe = await this.buildSafe(vaultKey, orgId, 'Personal');
      const account: AccountRecord = {
        id: accountId,
        kdf: { name: 'PBKDF2-HMAC-SHA256', salt, iterations },
        wrappedVaultKey,
        createdAt: this.now(),
      };

      const tx = this.db.transaction(['meta', 'session', 'orgs', 'safes', 'environments', 'indexes'], 'readwrite');
      if (await tx.objectStore('meta').get('account')) {
        tx.abort();
        await tx.done.catch(() => undefined);
        throw new VaultError('already_initialised', 'A vault already exists here; unlock it instead');
      }
      await Promise.all([
        tx.objectStore('meta').put(account, 'account'),
        tx.objectStore('meta').put({ ...DEFAULT_SETTINGS }, 'settings'),
        tx.objectStore('orgs').put(org),
        tx.objectStore('session').put({ key: vaultKey, unlockedAt: this.now() }, 'vault'),
        ...this.putSafe(tx, safe),
      ]);
      await tx.done;
      return authResult(keys, opts);
    });
  }

  /**
   * Derives the keys from the master password and keeps the vault key and safe keys,
   * non-extractable, in the session store until lock(). Values are not decrypted here.
   */
  async unlock(masterPassword: string, opts: UnlockOptions = {}): Promise<UnlockResult> {
    return this.exclusive(async () => {
      checkMasterPassword(masterPassword, 'masterPassword');
      const account = await this.account();
      await this.checkThrottle();
      const { keys, vaultKey } = await this.openVaultKey(account, masterPassword, false);
      const safes = await this.db.getAll('safes');
      const safeKeys = await Promise.all(
        safes.map((safe) =>
          unwrapKeyCipher(vaultKey, safe.wrappedKey, SAFE_KEY_AD(safe.id), { usages: SAFE_KEY_USAGES }).catch(() => null),
        ),
      );
      const tx = this.db.transaction(['meta', 'session'], 'readwrite');
      const session = tx.objectStore('session');
      const at = this.now();
      await Promise.all([
        tx.objectStore('meta').delete('throttle'),
        session.clear(),
        session.put({ key: vaultKey, unlockedAt: at }, 'vault'),
        // A safe whose key fails to unwrap is left out; it reports itself as damaged when used.
        ...safes.flatMap((safe, i) => {
          const key = safeKeys[i];
          return key ? [session.put({ key, unlockedAt: at }, `safe:${safe.id}`)] : [];
        }),
      ]);
      await tx.done;
      return authResult(keys, opts);
    });
  }

  /** Deletes the unlocked keys. Not queued behind other operations: locking must be immediate. */
  async lock(): Promise<void> {
    await this.db.clear('session');
  }

  /**
   * Re-wraps the vault key under a key derived from `next` (new salt); secrets are not
   * re-encrypted and the old password stops working. Works locked or unlocked; the lock state is unchanged.
   */
  async changeMasterPassword(
    current: string,
    next: string,
    opts: { iterations?: number } & UnlockOptions = {},
  ): Promise<UnlockResult> {
    return this.exclusive(async () => {
      checkMasterPassword(current, 'current');
      checkMasterPassword(next, 'next');
      const account = await this.account();
      const iterations = checkIterations(opts.iterations ?? account.kdf.iterations, 'requested');
      await this.checkThrottle();
      const { vaultKey } = await this.openVaultKey(account, current, true);
      const salt = randomBytes(SALT_BYTES);
      const keys = await deriveAccountKeys(next, salt, iterations);
      const wrappedVaultKey = await wrapKeyCipher(keys.wrapKey, vaultKey, ACCOUNT_AD(account.id));

      const tx = this.db.transaction('meta', 'readwrite');
      const stored = (await tx.store.get('account')) as AccountRecord | undefined;
      if (!stored || !sameBytes(stored.wrappedVaultKey.data, account.wrappedVaultKey.data)) {
        tx.abort();
        await tx.done.catch(() => undefined);
        throw new VaultError('conflict', 'The master password was changed meanwhile; try again');
      }
      await Promise.all([
        tx.store.put({ ...account, kdf: { name: 'PBKDF2-HMAC-SHA256', salt, iterations }, wrappedVaultKey }, 'account'),
        tx.store.delete('throttle'),
      ]);
      await tx.done;
      return authResult(keys, opts);
    });
  }

  /** Changes the PBKDF2 iteration count; needs the master password to re-wrap the vault key. */
  setIterations(masterPassword: string, iterations: number): Promise<UnlockResult> {
    return this.changeMasterPassword(masterPassword, masterPassword, { iterations });
  }

  // ---------------------------------------------------------------------------------------------
  // Settings (not secret: the background needs them while locked)

  async getSettings(): Promise<VaultSettings> {
    const tx = this.db.transaction('meta');
    const [settings, account] = await Promise.all([tx.store.get('settings'), tx.store.get('account')]);
    await tx.done;
    const s = (settings as SettingsRecord | undefined) ?? DEFAULT_SETTINGS;
    return {
      autoLockMinutes: s.autoLockMinutes,
      clipboardClearSeconds: s.clipboardClearSeconds,
      iterations: (account as AccountRecord | undefined)?.kdf.iterations ?? KDF_DEFAULT_ITERATIONS,
    };
  }

  async updateSettings(partial: Partial<VaultSettings>): Promise<VaultSettings> {
    return this.exclusive(async () => {
      const current = await this.getSettings();
      const next: SettingsRecord = {
        autoLockMinutes: current.autoLockMinutes,
        clipboardClearSeconds: current.clipboardClearSeconds,
      };
      if (partial.autoLockMinutes !== undefined) {
        if (!isAutoLockChoice(partial.autoLockMinutes)) {
          throw invalid('autoLockMinutes', 'Auto-lock must be 1, 5, 15 or 60 minutes, 4 hours, or only on browser restart');
        }
        next.autoLockMinutes = partial.autoLockMinutes;
      }
      if (partial.clipboardClearSeconds !== undefined) {
        const seconds = partial.clipboardClearSeconds;
        if (!isClipboardSeconds(seconds)) {
          throw invalid('clipboardClearSeconds', `Clipboard clearing must be 0 (never) to ${MAX_CLIPBOARD_SECONDS} seconds`);
        }
        next.clipboardClearSeconds = seconds;
      }
      if (partial.iterations !== undefined && partial.iterations !== current.iterations) {
        throw invalid('iterations', 'Changing KDF iterations needs your master password (use setIterations)');
      }
      await this.db.put('meta', next, 'settings');
      return { ...next, iterations: current.iterations };
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Safes and environments

  async listSafes(): Promise<SafeSummary[]> {
    const keys = await this.unlocked();
    const tx = this.db.transaction(['safes', 'environments']);
    const [safes, envs] = await Promise.all([tx.objectStore('safes').getAll(), tx.objectStore('environments').getAll()]);
    await tx.done;
    safes.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    return Promise.all(
      safes.map(async (safe): Promise<SafeSummary> => {
        try {
          const safeKey = await keys.safeKey(safe);
          const name = await orDamaged(openText(safeKey, safe.name, SAFE_NAME_AD(safe.id)), 'safe');
          const environments = await Promise.all(
            envs
              .filter((env) => env.safeId === safe.id)
              .sort((a, b) => a.position - b.position)
              .map(async (env): Promise<EnvironmentSummary> => {
                try {
                  const envName = await orDamaged(openText(safeKey, env.name, ENV_NAME_AD(env.id)), 'environment');
                  return { id: env.id, name: envName, protected: env.protected };
                } catch (error) {
                  return { id: env.id, name: '', protected: env.protected, error: messageOf(error) };
                }
              }),
          );
          return { id: safe.id, name, environments };
        } catch (error) {
          return { id: safe.id, name: '', environments: [], error: messageOf(error) };
        }
      }),
    );
  }

  async createSafe(name: string): Promise<{ id: string }> {
    return this.exclusive(async () => {
      const safeName = checkName(name, 'Safe');
      const keys = await this.unlocked();
      await this.checkSafeNameFree(keys, safeName);
      const account = await this.account();
      const org = (await this.db.getAll('orgs'))[0];
      const safe = await this.buildSafe(keys.vaultKey, org?.id ?? account.id, safeName);
      const tx = this.db.transaction(['session', 'safes', 'environments', 'indexes'], 'readwrite');
      // Locked meanwhile: store the safe, but leave no key behind in the session store.
      const stillUnlocked = (await tx.objectStore('session').get('vault')) !== undefined;
      await Promise.all(this.putSafe(tx, safe, stillUnlocked));
      await tx.done;
      return { id: safe.record.id };
    });
  }

  async renameSafe(id: string, name: string): Promise<void> {
    return this.exclusive(async () => {
      const safeName = checkName(name, 'Safe');
      const keys = await this.unlocked();
      const safe = await this.safeById(id);
      await this.checkSafeNameFree(keys, safeName, id);
      const sealed = await sealText(await keys.safeKey(safe), safeName, SAFE_NAME_AD(id));
      const tx = this.db.transaction('safes', 'readwrite');
      const current = await tx.store.get(id);
      if (!current) throw new VaultError('not_found', 'That safe no longer exists');
      await tx.store.put({ ...current, name: sealed });
      await tx.done;
    });
  }

  /** Deletes the safe with its environments, secrets and overrides, in one transaction. */
  async deleteSafe(id: string): Promise<void> {
    return this.exclusive(async () => {
      await this.unlocked();
      await this.safeById(id);
      const tx = this.db.transaction(['session', 'safes', 'environments', 'secrets', 'indexes', 'overrides'], 'readwrite');
      const [envIds, secretIds, indexIds, overrideIds] = await Promise.all([
        tx.objectStore('environments').index('bySafe').getAllKeys(id),
        tx.objectStore('secrets').index('bySafe').getAllKeys(id),
        tx.objectStore('indexes').index('bySafe').getAllKeys(id),
        tx.objectStore('overrides').index('bySafe').getAllKeys(id),
      ]);
      await Promise.all([
        tx.objectStore('safes').delete(id),
        tx.objectStore('session').delete(`safe:${id}`),
        ...envIds.map((k) => tx.objectStore('environments').delete(k)),
        ...secretIds.map((k) => tx.objectStore('secrets').delete(k)),
        ...indexIds.map((k) => tx.objectStore('indexes').delete(k)),
        ...overrideIds.map((k) => tx.objectStore('overrides').delete(k)),
      ]);
      await tx.done;
    });
  }

  async createEnvironment(safeId: string, name: string, opts: { protected?: boolean } = {}): Promise<{ id: string }> {
    return this.exclusive(async () => {
      const envName = checkName(name, 'Environment');
      const keys = await this.unlocked();
      const safe = await this.safeById(safeId);
      const safeKey = await keys.safeKey(safe);
      const envs = await this.db.getAllFromIndex('environments', 'bySafe', safeId);
      await this.checkEnvNameFree(safeKey, envs, envName);
      const env = await this.buildEnvironment(safeKey, safeId, envName, opts.protected === true, nextPosition(envs));
      const tx = this.db.transaction(['environments', 'indexes'], 'readwrite');
      await Promise.all([tx.objectStore('environments').put(env.record), tx.objectStore('indexes').put(env.index)]);
      await tx.done;
      return { id: env.record.id };
    });
  }

  /** Renames an environment and/or changes its protected flag (addition to the brief). */
  async updateEnvironment(envId: string, changes: { name?: string; protected?: boolean }): Promise<void> {
    return this.exclusive(async () => {
      const keys = await this.unlocked();
      const env = await this.db.get('environments', envId);
      if (!env) throw new VaultError('not_found', 'That environment no longer exists');
      const safeKey = await keys.safeKey(await this.safeById(env.safeId));
      let name: Cipher = env.name;
      if (changes.name !== undefined) {
        const envName = checkName(changes.name, 'Environment');
        const envs = await this.db.getAllFromIndex('environments', 'bySafe', env.safeId);
        await this.checkEnvNameFree(safeKey, envs, envName, envId);
        name = await sealText(safeKey, envName, ENV_NAME_AD(envId));
      }
      await this.db.put('environments', { ...env, name, protected: changes.protected ?? env.protected });
    });
  }

  /** Deletes an environment with its secrets and overrides (addition to the brief). */
  async deleteEnvironment(envId: string): Promise<void> {
    return this.exclusive(async () => {
      await this.unlocked();
      const tx = this.db.transaction(['environments', 'secrets', 'indexes', 'overrides'], 'readwrite');
      if (!(await tx.objectStore('environments').get(envId))) {
        tx.abort();
        await tx.done.catch(() => undefined);
        throw new VaultError('not_found', 'That environment no longer exists');
      }
      const [secretIds, overrideIds] = await Promise.all([
        tx.objectStore('secrets').index('byEnv').getAllKeys(envId),
        tx.objectStore('overrides').index('byEnv').getAllKeys(envId),
      ]);
      await Promise.all([
        tx.objectStore('environments').delete(envId),
        tx.objectStore('indexes').delete(envId),
        ...secretIds.map((k) => tx.objectStore('secrets').delete(k)),
        ...overrideIds.map((k) => tx.objectStore('overrides').delete(k)),
      ]);
      await tx.done;
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Listing and revealing (the popup's fast path: names from the index, values on demand)

  async listSecrets(safeId: string, envId: string): Promise<SecretSummary[]> {
    const keys = await this.unlocked();
    const target = await this.resolve(keys, { appId: safeId, envId });
    const index = await this.loadIndex(target);
    const items: SecretSummary[] = index.entries.map((e) => ({
      id: e.id,
      key: e.key,
      path: e.path,
      tags: e.tags,
      comment: e.comment,
      overridden: e.hasOverride && e.overrideActive,
      hasOverride: e.hasOverride,
    }));
    return [...items, ...index.damaged];
  }

  /** The value a read returns: the personal override while active, else the shared value. */
  async revealSecret(id: string): Promise<{ value: string; overridden: boolean }> {
    const keys = await this.unlocked();
    const tx = this.db.transaction(['secrets', 'overrides', 'safes']);
    const record = await tx.objectStore('secrets').get(id);
    const [override, safe] = record
      ? await Promise.all([tx.objectStore('overrides').get(id), tx.objectStore('safes').get(record.safeId)])
      : [undefined, undefined];
    await tx.done;
    if (!record || !safe) throw new VaultError('not_found', 'That secret no longer exists');
    return this.readValue(keys, await keys.safeKey(safe), record, override);
  }

  // ---------------------------------------------------------------------------------------------
  // Phase-style operations

  /** Creates all the given secrets in one transaction, or none (duplicates are an error). */
  async create(o: CreateOptions): Promise<Secret[]> {
    return this.writeOp(async () => {
      const path = normalisePath(o.secretPath);
      const pairs = normalisePairs(o.keyValuePairs);
      const keys = await this.unlocked();
      const target = await this.resolve(keys, o);
      const index = await this.loadIndex(target);
      const seen = new Set<string>();
      for (const pair of pairs) {
        if (seen.has(pair.key) || index.entries.some((e) => samePathKey(e, path, pair.key))) {
          throw new VaultError(
            'duplicate',
            `A secret named ${pair.key} already exists ${describePath(path, target.envName)}`,
            { field: 'key' },
          );
        }
        seen.add(pair.key);
      }
      const now = this.now();
      const created = await Promise.all(
        pairs.map(async (pair) => {
          const entry: IndexEntry = {
            id: newId(),
            key: pair.key,
            path,
            tags: pair.tags,
            comment: pair.comment,
            hasOverride: false,
            overrideActive: false,
          };
          return { entry, record: await this.sealSecret(target, entry, pair.value, now), value: pair.value };
        }),
      );
      await this.commitIndex(target, index, [...index.entries, ...created.map((c) => c.entry)], ['secrets'], (tx) =>
        created.map((c) => tx.objectStore('secrets').put(c.record)),
      );
      return created.map((c) => toSecret(c.entry, c.value, false));
    });
  }

  /**
   * All secrets of an environment (optionally one path, one tag), or with `keyToFind` at most one.
   * Records that fail to decrypt are left out and listed in the result's `damaged` property.
   */
  async get(o: GetOptions): Promise<SecretList> {
    const keys = await this.unlocked();
    const target = await this.resolve(keys, o);
    const path = pathFilter(o.secretPath);
    const tag = o.tag?.trim().toLowerCase() || null;
    const index = await this.loadIndex(target);
    let matches = index.entries.filter(
      (e) => (path === null || e.path === path) && (tag === null || e.tags.some((t) => t.toLowerCase() === tag)),
    );
    if (o.keyToFind !== undefined) {
      const key = checkKey(o.keyToFind, 'keyToFind');
      matches = matches
        .filter((e) => e.key === key)
        .sort((a, b) => (a.path === '/' ? -1 : b.path === '/' ? 1 : a.path.localeCompare(b.path)))
        .slice(0, 1);
    }
    const tx = this.db.transaction(['secrets', 'overrides']);
    const rows = await Promise.all(
      matches.map((e) =>
        Promise.all([tx.objectStore('secrets').get(e.id), e.hasOverride ? tx.objectStore('overrides').get(e.id) : undefined]),
      ),
    );
    await tx.done;
    const result: SecretList = [];
    const damaged: DamagedItem[] = [...(o.keyToFind === undefined ? index.damaged : [])];
    await Promise.all(
      matches.map(async (entry, i) => {
        const [record, override] = rows[i] ?? [];
        if (!record) return;
        try {
          const { value, overridden } = await this.readValue(keys, target.safeKey, record, override);
          result[i] = toSecret(entry, value, overridden);
        } catch (error) {
          // Asked for one secret by key: its damage is the answer, not an empty list.
          if (!(error instanceof VaultError && error.code === 'damaged') || o.keyToFind !== undefined) throw error;
          damaged.push({ id: entry.id, error: DAMAGED_MESSAGE });
        }
      }),
    );
    const list: SecretList = result.filter((s) => s !== undefined);
    if (damaged.length > 0) list.damaged = damaged;
    return list;
  }

  async update(o: UpdateOptions): Promise<Secret> {
    return this.writeOp(async () => {
      const keys = await this.unlocked();
      const target = await this.resolve(keys, o);
      const index = await this.loadIndex(target);
      const entry = this.findEntry(index, target, o.id, o.key, o.secretPath, 'key');
      const now = this.now();
      const updated: IndexEntry = { ...entry, tags: [...entry.tags] };
      const writes: ((tx: WriteTx) => Promise<unknown>)[] = [];
      let newValue: string | undefined;

      const overrideFlags = [o.override === true && o.value !== undefined, o.toggleOverride === true, o.deleteOverride === true];
      if (overrideFlags.filter(Boolean).length > 1) {
        throw invalid('override', 'Set an override value, toggle the override, or delete it, one at a time');
      }
      if (o.override === true) {
        if (o.value === undefined) throw invalid('value', 'A personal override needs a value');
        const value = checkValue(o.value);
        const record: OverrideRecord = {
          secretId: entry.id,
          safeId: target.safe.id,
          envId: target.env.id,
          value: await sealText(keys.vaultKey, value, OVERRIDE_AD(entry.id)),
          active: true,
          updatedAt: now,
        };
        updated.hasOverride = true;
        updated.overrideActive = true;
        writes.push((tx) => tx.objectStore('overrides').put(record));
      } else if (o.toggleOverride === true) {
        const record = await this.db.get('overrides', entry.id);
        if (!record) throw new VaultError('not_found', `${entry.key} has no personal override to toggle`);
        updated.hasOverride = true;
        updated.overrideActive = !record.active;
        writes.push((tx) => tx.objectStore('overrides').put({ ...record, active: updated.overrideActive, updatedAt: now }));
      } else if (o.deleteOverride === true) {
        if (!entry.hasOverride) throw new VaultError('not_found', `${entry.key} has no personal override to delete`);
        updated.hasOverride = false;
        updated.overrideActive = false;
        writes.push((tx) => tx.objectStore('overrides').delete(entry.id));
      } else if (o.value !== undefined) {
        newValue = checkValue(o.value);
      }

      if (o.newKey !== undefined) updated.key = checkKey(o.newKey, 'newKey');
      if (o.destinationPath !== undefined && o.destinationPath !== '') {
        updated.path = normalisePath(o.destinationPath, 'destinationPath');
      }
      if (o.tags !== undefined) updated.tags = checkTags(o.tags);
      if (o.comment !== undefined) updated.comment = checkComment(o.comment);
      if (
        (updated.key !== entry.key || updated.path !== entry.path) &&
        index.entries.some((e) => e.id !== entry.id && samePathKey(e, updated.path, updated.key))
      ) {
        throw new VaultError(
          'duplicate',
          `A secret named ${updated.key} already exists ${describePath(updated.path, target.envName)}`,
          { field: o.newKey !== undefined ? 'newKey' : 'destinationPath' },
        );
      }

      const metaChanged =
        updated.key !== entry.key ||
        updated.path !== entry.path ||
        updated.comment !== entry.comment ||
        updated.tags.join('\u0000') !== entry.tags.join('\u0000');
      if (metaChanged || newValue !== undefined) {
        const record = await this.db.get('secrets', entry.id);
        if (!record) throw new VaultError('not_found', 'That secret no longer exists');
        const next: SecretRecord = { ...record, updatedAt: now };
        if (metaChanged) next.meta = await sealJson(target.safeKey, metaOf(updated), META_AD(entry.id));
        if (newValue !== undefined) next.value = await sealText(target.safeKey, newValue, VALUE_AD(entry.id));
        writes.push((tx) => tx.objectStore('secrets').put(next));
      }

      const entries = index.entries.map((e) => (e.id === entry.id ? updated : e));
      await this.commitIndex(target, index, entries, ['secrets', 'overrides'], (tx) => writes.map((w) => w(tx)));

      // Read back what a `get` would now return for this secret.
      const tx = this.db.transaction(['secrets', 'overrides']);
      const [record, override] = await Promise.all([tx.objectStore('secrets').get(entry.id), tx.objectStore('overrides').get(entry.id)]);
      await tx.done;
      if (!record) throw new VaultError('not_found', 'That secret no longer exists');
      const read = await this.readValue(keys, target.safeKey, record, override);
      return toSecret(updated, read.value, read.overridden);
    });
  }

  async delete(o: DeleteOptions): Promise<void> {
    return this.writeOp(async () => {
      const keys = await this.unlocked();
      const target = await this.resolve(keys, o);
      const index = await this.loadIndex(target);
      const entry = this.findEntry(index, target, o.id, o.keyToDelete, o.secretPath, 'keyToDelete');
      await this.removeSecrets(target, index, [entry.id]);
    });
  }

  /** Deletes one secret by id, including one that no longer decrypts (addition to the brief). */
  async deleteSecret(id: string): Promise<void> {
    return this.writeOp(async () => {
      const keys = await this.unlocked();
      const record = await this.db.get('secrets', id);
      if (!record) throw new VaultError('not_found', 'That secret no longer exists');
      const target = await this.resolve(keys, { appId: record.safeId, envId: record.envId });
      await this.removeSecrets(target, await this.loadIndex(target), [id]);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // .env import and export

  /** Imports a .env file into one environment and path in one transaction. */
  async importDotenv(o: ImportDotenvOptions): Promise<ImportResult> {
    return this.writeOp(async () => {
      const path = normalisePath(o.secretPath);
      const onConflict = o.onConflict ?? 'error';
      if (!['skip', 'overwrite', 'error'].includes(onConflict)) {
        throw invalid('onConflict', 'onConflict must be skip, overwrite or error');
      }
      if (typeof o.text !== 'string') throw invalid('text', 'The .env text is missing');
      const parsed = parseDotenv(o.text);
      parsed.forEach((p) => checkKey(p.key, 'text'));
      const keys = await this.unlocked();
      const target = await this.resolve(keys, o);
      const index = await this.loadIndex(target);
      const existing = new Map<string, IndexEntry>();
      for (const e of index.entries) if (e.path === path) existing.set(e.key, e);

      const conflicts = parsed.filter((p) => existing.has(p.key));
      if (onConflict === 'error' && conflicts.length > 0) {
        const names = conflicts.slice(0, 5).map((c) => c.key).join(', ');
        const more = conflicts.length > 5 ? ` and ${conflicts.length - 5} more` : '';
        throw new VaultError(
          'duplicate',
          `${conflicts.length === 1 ? 'A secret' : 'Secrets'} named ${names}${more} already exist${conflicts.length === 1 ? 's' : ''} ${describePath(path, target.envName)}; choose skip or overwrite`,
        );
      }

      const now = this.now();
      const result: ImportResult = { created: 0, updated: 0, skipped: 0 };
      const entries = [...index.entries];
      const position = new Map(entries.map((e, i) => [e.id, i]));
      const toUpdate: { entry: IndexEntry; value: string }[] = [];
      const toCreate: { entry: IndexEntry; value: string }[] = [];
      for (const p of parsed) {
        const found = existing.get(p.key);
        if (!found) {
          toCreate.push({
            entry: { id: newId(), key: p.key, path, tags: [], comment: p.comment ?? '', hasOverride: false, overrideActive: false },
            value: p.value,
          });
        } else if (onConflict === 'skip') {
          result.skipped++;
        } else {
          const entry = { ...found, comment: p.comment ?? found.comment };
          entries[position.get(found.id)!] = entry;
          toUpdate.push({ entry, value: p.value });
        }
      }
      const oldRecords = await this.getSecretRecords(toUpdate.map((u) => u.entry.id));
      const records = await Promise.all([
        ...toCreate.map((c) => this.sealSecret(target, c.entry, c.value, now)),
        ...toUpdate.map(async (u, i) => {
          const old = oldRecords[i];
          if (!old) throw new VaultError('not_found', `${u.entry.key} was deleted meanwhile; try again`);
          return {
            ...old,
            meta: await sealJson(target.safeKey, metaOf(u.entry), META_AD(u.entry.id)),
            value: await sealText(target.safeKey, u.value, VALUE_AD(u.entry.id)),
            updatedAt: now,
          };
        }),
      ]);
      result.created = toCreate.length;
      result.updated = toUpdate.length;
      entries.push(...toCreate.map((c) => c.entry));
      await this.commitIndex(target, index, entries, ['secrets'], (tx) => records.map((r) => tx.objectStore('secrets').put(r)));
      return result;
    });
  }

  /**
   * The shared values (not personal overrides) of one environment and path as a .env file,
   * comments as `#` lines above their key. Reads back through importDotenv to the same keys,
   * values and comments.
   */
  async exportDotenv(o: ExportDotenvOptions): Promise<string> {
    const keys = await this.unlocked();
    const target = await this.resolve(keys, o);
    const path = normalisePath(o.secretPath);
    const index = await this.loadIndex(target);
    const entries = index.entries.filter((e) => e.path === path);
    const records = await this.getSecretRecords(entries.map((e) => e.id));
    const values = await Promise.all(
      entries.map(async (e, i) => {
        const record = records[i];
        if (!record) throw new VaultError('not_found', `${e.key} was deleted meanwhile; try again`);
        const value = await orDamaged(openText(target.safeKey, record.value, VALUE_AD(e.id)));
        return { key: e.key, value, comment: e.comment };
      }),
    );
    return formatDotenv(values);
  }

  // ---------------------------------------------------------------------------------------------
  // Encrypted backup

  /**
   * Everything persisted (account with its wrapped vault key, settings, orgs, safes, environments,
   * secrets, indexes, overrides) as JSON in the Toolkit `encrypt` format under `password`.
   * The records stay encrypted inside, so restoring needs both this password and the master
   * password that was current when the backup was made.
   */
  async exportBackup(password: string): Promise<string> {
    await this.unlocked();
    return writeBackup(this.db, password, this.now());
  }

  /**
   * Replaces the whole vault with the backup in one transaction and leaves it LOCKED: unlock with
   * the master password that was in effect when the backup was made. A wrong password or a damaged
   * file throws VaultError ('backup_auth_failed' / 'backup_invalid') and changes nothing.
   */
  async restoreBackup(text: string, password: string): Promise<void> {
    return this.exclusive(async () => {
      // Replacing a vault is for its owner: one that exists must be unlocked first.
      if ((await this.isInitialised()) && !(await this.isUnlocked())) {
        throw new VaultError('locked', 'Unlock Keysmith before restoring a backup over your vault');
      }
      const stores = await readBackup(text, password);
      const tx = this.db.transaction(ALL_STORES, 'readwrite');
      await Promise.all(ALL_STORES.map((name) => tx.objectStore(name).clear()));
      const puts: Promise<unknown>[] = [];
      for (const [key, value] of stores.meta) puts.push(tx.objectStore('meta').put(value, key));
      for (const r of stores.orgs) puts.push(tx.objectStore('orgs').put(r));
      for (const r of stores.safes) puts.push(tx.objectStore('safes').put(r));
      for (const r of stores.environments) puts.push(tx.objectStore('environments').put(r));
      for (const r of stores.secrets) puts.push(tx.objectStore('secrets').put(r));
      for (const r of stores.indexes) puts.push(tx.objectStore('indexes').put(r));
      for (const r of stores.overrides) puts.push(tx.objectStore('overrides').put(r));
      await Promise.all(puts);
      await tx.done;
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Internals

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** A write that reads an index, computes, then commits: serialised here, retried on a concurrent writer. */
  private writeOp<T>(work: () => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await work();
        } catch (error) {
          if (!(error instanceof RetrySignal)) throw error;
          if (attempt >= 10) throw new VaultError('conflict', 'The vault kept changing while saving; try again');
          // Random backoff so that competing writers (another worker instance) stop colliding.
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * (attempt + 1)));
        }
      }
    });
  }

  private async account(): Promise<AccountRecord> {
    const account = (await this.db.get('meta', 'account')) as AccountRecord | undefined;
    if (!account) throw new VaultError('not_initialised', 'No vault yet: choose a master password first');
    return account;
  }

  private async checkThrottle(): Promise<void> {
    const throttle = (await this.db.get('meta', 'throttle')) as ThrottleRecord | undefined;
    const wait = throttle ? throttle.notBefore - this.now() : 0;
    if (wait > 0) {
      throw new VaultError('throttled', `Too many wrong master passwords. Try again in ${formatWait(wait)}.`, {
        retryAfterMs: wait,
      });
    }
  }

  /**
   * Runs the KDF and unwraps the vault key. A wrong password records the failure (count and
   * `notBefore`) and changes nothing else.
   */
  private async openVaultKey(
    account: AccountRecord,
    password: string,
    extractable: boolean,
  ): Promise<{ keys: AccountKeys; vaultKey: CryptoKey }> {
    checkIterations(account.kdf.iterations, 'stored');
    const keys = await deriveAccountKeys(password, account.kdf.salt, account.kdf.iterations);
    try {
      const vaultKey = await unwrapKeyCipher(keys.wrapKey, account.wrappedVaultKey, ACCOUNT_AD(account.id), {
        extractable,
        usages: VAULT_KEY_USAGES,
      });
      return { keys, vaultKey };
    } catch (error) {
      if (!isCryptoError(error)) throw error;
      const tx = this.db.transaction('meta', 'readwrite');
      const previous = (await tx.store.get('throttle')) as ThrottleRecord | undefined;
      const failures = (previous?.failures ?? 0) + 1;
      const delay = wrongPasswordDelayMs(failures);
      await tx.store.put({ failures, notBefore: this.now() + delay }, 'throttle');
      await tx.done;
      const wait = delay > 0 ? ` Wait ${formatWait(delay)} before trying again.` : '';
      throw new VaultError('wrong_password', `Wrong master password.${wait}`, delay > 0 ? { retryAfterMs: delay } : {});
    }
  }

  private async unlocked(): Promise<UnlockedKeys> {
    const tx = this.db.transaction('session');
    const [ids, rows] = await Promise.all([tx.store.getAllKeys(), tx.store.getAll()]);
    await tx.done;
    let vaultKey: CryptoKey | undefined;
    const safeKeys = new Map<string, CryptoKey>();
    ids.forEach((id, i) => {
      const row = rows[i];
      if (!row) return;
      if (id === 'vault') vaultKey = row.key;
      else if (id.startsWith('safe:')) safeKeys.set(id.slice(5), row.key);
    });
    if (!vaultKey) throw new VaultError('locked', 'The vault is locked: unlock it with your master password');
    return new UnlockedKeys(vaultKey, safeKeys);
  }

  private async safeById(id: string): Promise<SafeRecord> {
    const safe = await this.db.get('safes', id);
    if (!safe) throw new VaultError('not_found', 'That safe no longer exists');
    return safe;
  }

  private async resolve(keys: UnlockedKeys, o: Target): Promise<ResolvedTarget> {
    const tx = this.db.transaction(['safes', 'environments']);
    const safes = await tx.objectStore('safes').getAll();
    await tx.done;
    let safe: SafeRecord | undefined;
    let safeName = '';
    if (o.appId !== undefined) {
      safe = safes.find((s) => s.id === o.appId);
      if (!safe) throw new VaultError('not_found', 'That safe no longer exists', { field: 'appId' });
      safeName = await orDamaged(openText(await keys.safeKey(safe), safe.name, SAFE_NAME_AD(safe.id)), 'safe');
    } else {
      if (typeof o.appName !== 'string' || o.appName.trim() === '') throw invalid('appName', 'Name the safe (appName)');
      const wanted = o.appName.trim();
      for (const candidate of safes) {
        const name = await this.safeName(keys, candidate);
        if (name !== null && sameName(name, wanted)) {
          safe = candidate;
          safeName = name;
          break;
        }
      }
      if (!safe) throw new VaultError('not_found', `There is no safe named "${wanted}"`, { field: 'appName' });
    }
    const safeKey = await keys.safeKey(safe);
    const envs = await this.db.getAllFromIndex('environments', 'bySafe', safe.id);
    let env: EnvironmentRecord | undefined;
    let envName = '';
    if (o.envId !== undefined) {
      env = envs.find((e) => e.id === o.envId);
      if (!env) throw new VaultError('not_found', `Safe "${safeName}" has no such environment`, { field: 'envId' });
      envName = await orDamaged(openText(safeKey, env.name, ENV_NAME_AD(env.id)), 'environment');
    } else {
      if (typeof o.envName !== 'string' || o.envName.trim() === '') throw invalid('envName', 'Name the environment (envName)');
      const wanted = o.envName.trim();
      for (const candidate of envs) {
        const name = await openText(safeKey, candidate.name, ENV_NAME_AD(candidate.id)).catch(() => null);
        if (name !== null && sameName(name, wanted)) {
          env = candidate;
          envName = name;
          break;
        }
      }
      if (!env) {
        throw new VaultError('not_found', `Safe "${safeName}" has no environment named "${wanted}"`, { field: 'envName' });
      }
    }
    return { safe, safeName, safeKey, env, envName };
  }

  private async safeName(keys: UnlockedKeys, safe: SafeRecord): Promise<string | null> {
    try {
      return await openText(await keys.safeKey(safe), safe.name, SAFE_NAME_AD(safe.id));
    } catch {
      return null;
    }
  }

  private async checkSafeNameFree(keys: UnlockedKeys, name: string, exceptId?: string): Promise<void> {
    for (const safe of await this.db.getAll('safes')) {
      if (safe.id === exceptId) continue;
      const existing = await this.safeName(keys, safe);
      if (existing !== null && sameName(existing, name)) {
        throw new VaultError('duplicate', `A safe named "${existing}" already exists`, { field: 'name' });
      }
    }
  }

  private async checkEnvNameFree(safeKey: CryptoKey, envs: EnvironmentRecord[], name: string, exceptId?: string): Promise<void> {
    for (const env of envs) {
      if (env.id === exceptId) continue;
      const existing = await openText(safeKey, env.name, ENV_NAME_AD(env.id)).catch(() => null);
      if (existing !== null && sameName(existing, name)) {
        throw new VaultError('duplicate', `This safe already has an environment named "${existing}"`, { field: 'name' });
      }
    }
  }

  private async buildSafe(vaultKey: CryptoKey, orgId: string, name: string) {
    const id = newId();
    const toWrap = await generateWrappableKey(SAFE_KEY_USAGES);
    const wrappedKey = await wrapKeyCipher(vaultKey, toWrap, SAFE_KEY_AD(id));
    const safeKey = await unwrapKeyCipher(vaultKey, wrappedKey, SAFE_KEY_AD(id), { usages: SAFE_KEY_USAGES });
    const record: SafeRecord = {
      id,
      orgId,
      wrappedKey,
      name: await sealText(safeKey, name, SAFE_NAME_AD(id)),
      createdAt: this.now(),
    };
    const envs = await Promise.all(
      DEFAULT_ENVIRONMENTS.map((e, position) => this.buildEnvironment(safeKey, id, e.name, e.protected, position)),
    );
    return { record, safeKey, envs };
  }

  private putSafe(tx: WriteTx, safe: Awaited<ReturnType<Vault['buildSafe']>>, keepKey = true) {
    return [
      tx.objectStore('safes').put(safe.record),
      ...(keepKey ? [tx.objectStore('session').put({ key: safe.safeKey, unlockedAt: this.now() }, `safe:${safe.record.id}`)] : []),
      ...safe.envs.flatMap((env) => [tx.objectStore('environments').put(env.record), tx.objectStore('indexes').put(env.index)]),
    ];
  }

  private async buildEnvironment(safeKey: CryptoKey, safeId: string, name: string, isProtected: boolean, position: number) {
    const id = newId();
    const record: EnvironmentRecord = {
      id,
      safeId,
      name: await sealText(safeKey, name, ENV_NAME_AD(id)),
      protected: isProtected,
      position,
    };
    const index: IndexRecord = { envId: id, safeId, revision: 0, entries: await sealJson(safeKey, [], INDEX_AD(id)) };
    return { record, index };
  }

  /**
   * The environment's names. The secrets store is the truth and the index a cache of it: entries
   * without a record are dropped, and records missing from the index (or all of them, if the index
   * itself fails to decrypt) are read one by one, so a damaged record only reports itself.
   */
  private async loadIndex(target: ResolvedTarget): Promise<EnvIndex> {
    const tx = this.db.transaction(['indexes', 'secrets']);
    const [record, ids] = await Promise.all([
      tx.objectStore('indexes').get(target.env.id),
      tx.objectStore('secrets').index('byEnv').getAllKeys(target.env.id),
    ]);
    await tx.done;
    let entries: IndexEntry[] = [];
    if (record) {
      try {
        entries = await openJson<IndexEntry[]>(target.safeKey, record.entries, INDEX_AD(target.env.id));
      } catch (error) {
        if (!isCryptoError(error) && !(error instanceof SyntaxError)) throw error;
        entries = [];
      }
    }
    const present = new Set(ids);
    entries = entries.filter((e) => present.has(e.id));
    const indexed = new Set(entries.map((e) => e.id));
    const missing = ids.filter((id) => !indexed.has(id));
    const damaged: DamagedItem[] = [];
    if (missing.length > 0) {
      const rtx = this.db.transaction(['secrets', 'overrides']);
      const rows = await Promise.all(
        missing.map((id) => Promise.all([rtx.objectStore('secrets').get(id), rtx.objectStore('overrides').get(id)])),
      );
      await rtx.done;
      for (const [secret, override] of rows) {
        if (!secret) continue;
        try {
          const meta = await openJson<SecretMeta>(target.safeKey, secret.meta, META_AD(secret.id));
          entries.push({
            id: secret.id,
            key: meta.key,
            path: meta.path,
            tags: meta.tags,
            comment: meta.comment,
            hasOverride: override !== undefined,
            overrideActive: override?.active === true,
          });
        } catch {
          damaged.push({ id: secret.id, error: DAMAGED_MESSAGE });
        }
      }
    }
    return { entries, damaged, revision: record?.revision ?? -1 };
  }

  /**
   * Seals the new index first (no crypto may run inside an IndexedDB transaction: the transaction
   * would auto-commit while awaiting it), then writes the index and the records together.
   */
  private async commitIndex(
    target: ResolvedTarget,
    index: EnvIndex,
    entries: IndexEntry[],
    stores: StoreName[],
    writes: (tx: WriteTx) => Promise<unknown>[],
  ): Promise<void> {
    const sealed = await sealJson(target.safeKey, entries, INDEX_AD(target.env.id));
    const tx = this.db.transaction(['indexes', ...stores], 'readwrite') as WriteTx;
    const current = await tx.objectStore('indexes').get(target.env.id);
    if ((current?.revision ?? -1) !== index.revision) {
      tx.abort();
      await tx.done.catch(() => undefined);
      throw new RetrySignal();
    }
    await Promise.all([
      ...writes(tx),
      tx.objectStore('indexes').put({
        envId: target.env.id,
        safeId: target.safe.id,
        revision: index.revision + 1,
        entries: sealed,
      }),
    ]);
    await tx.done;
  }

  private async removeSecrets(target: ResolvedTarget, index: EnvIndex, ids: string[]): Promise<void> {
    const gone = new Set(ids);
    await this.commitIndex(target, index, index.entries.filter((e) => !gone.has(e.id)), ['secrets', 'overrides'], (tx) =>
      ids.flatMap((id) => [tx.objectStore('secrets').delete(id), tx.objectStore('overrides').delete(id)]),
    );
  }

  private findEntry(
    index: EnvIndex,
    target: ResolvedTarget,
    id: string | undefined,
    key: string | undefined,
    secretPath: string | undefined,
    keyField: string,
  ): IndexEntry {
    if (id !== undefined) {
      const entry = index.entries.find((e) => e.id === id);
      if (entry) return entry;
      if (index.damaged.some((d) => d.id === id)) throw damagedError();
      throw new VaultError('not_found', `That secret is not in ${target.envName}`, { field: 'id' });
    }
    const wanted = checkKey(key, keyField);
    const path = normalisePath(secretPath);
    const entry = index.entries.find((e) => samePathKey(e, path, wanted));
    if (!entry) {
      throw new VaultError('not_found', `There is no secret named ${wanted} ${describePath(path, target.envName)}`, {
        field: keyField,
      });
    }
    return entry;
  }

  /** Many records in ONE read transaction (a transaction per record is far slower). */
  private async getSecretRecords(ids: string[]): Promise<(SecretRecord | undefined)[]> {
    const tx = this.db.transaction('secrets');
    const records = await Promise.all(ids.map((id) => tx.store.get(id)));
    await tx.done;
    return records;
  }

  private async sealSecret(target: ResolvedTarget, entry: IndexEntry, value: string, now: number): Promise<SecretRecord> {
    const [meta, sealedValue] = await Promise.all([
      sealJson(target.safeKey, metaOf(entry), META_AD(entry.id)),
      sealText(target.safeKey, value, VALUE_AD(entry.id)),
    ]);
    return { id: entry.id, safeId: target.safe.id, envId: target.env.id, meta, value: sealedValue, updatedAt: now };
  }

  private async readValue(
    keys: UnlockedKeys,
    safeKey: CryptoKey,
    record: SecretRecord,
    override: OverrideRecord | undefined,
  ): Promise<{ value: string; overridden: boolean }> {
    if (override?.active) {
      return { value: await orDamaged(openText(keys.vaultKey, override.value, OVERRIDE_AD(record.id))), overridden: true };
    }
    return { value: await orDamaged(openText(safeKey, record.value, VALUE_AD(record.id))), overridden: false };
  }
}

function metaOf(entry: IndexEntry): SecretMeta {
  return { key: entry.key, path: entry.path, tags: entry.tags, comment: entry.comment };
}

function toSecret(entry: IndexEntry, value: string, overridden: boolean): Secret {
  return { id: entry.id, key: entry.key, value, path: entry.path, tags: [...entry.tags], comment: entry.comment, overridden };
}

function nextPosition(envs: EnvironmentRecord[]): number {
  return envs.reduce((max, e) => Math.max(max, e.position + 1), 0);
}

function normalisePairs(input: KeyValuePairs): Required<NewSecret>[] {
  const out: Required<NewSecret>[] = [];
  const add = (key: unknown, value: unknown, tags: unknown, comment: unknown, at: string) => {
    out.push({
      key: checkKey(key, `${at}.key`),
      value: checkValue(value, `${at}.value`),
      tags: checkTags(tags, `${at}.tags`),
      comment: checkComment(comment, `${at}.comment`),
    });
  };
  if (Array.isArray(input)) {
    input.forEach((item: unknown, i) => {
      const at = `keyValuePairs[${i}]`;
      if (item === null || typeof item !== 'object') throw invalid(at, 'Each secret must be {key, value}');
      const fields = item as Record<string, unknown>;
      if ('key' in fields) add(fields.key, fields.value ?? '', fields.tags, fields.comment, at);
      else {
        const pairs = Object.entries(fields);
        if (pairs.length !== 1) throw invalid(at, 'Each secret must be {key, value} or {KEY: value}');
        add(pairs[0]![0], pairs[0]![1], undefined, undefined, at);
      }
    });
  } else if (input !== null && typeof input === 'object') {
    for (const [key, value] of Object.entries(input)) add(key, value, undefined, undefined, `keyValuePairs.${key}`);
  } else {
    throw invalid('keyValuePairs', 'Give the secrets to create as a list of {key, value}');
  }
  if (out.length === 0) throw invalid('keyValuePairs', 'Give at least one secret to create');
  return out;
}

function checkMasterPassword(password: unknown, field: string): void {
  if (typeof password !== 'string' || password.length === 0) throw invalid(field, 'Enter the master password');
}

function authResult(keys: AccountKeys, opts: UnlockOptions): UnlockResult {
  const result: UnlockResult = opts.returnAuthSecret ? { authSecret: toHex(keys.authSecret) } : {};
  keys.authSecret.fill(0);
  return result;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function formatWait(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

function messageOf(error: unknown): string {
  return error instanceof VaultError ? error.message : DAMAGED_MESSAGE;
}
