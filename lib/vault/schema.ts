import { wrap, type DBSchema, type IDBPDatabase } from 'idb';
import type { Sealed } from '../crypto/aes-gcm';
import type { KdfParams } from './kdf-params';

/**
 * IndexedDB layout. Everything a user typed lives only inside `Cipher` fields; the clear fields are
 * random ids, foreign ids, flags, counters and timestamps. Bump DB_VERSION and add a step to
 * `upgrade` for every change; never edit a shipped step.
 */
export const DB_VERSION = 2;
export const DEFAULT_DB_NAME = 'keysmith-vault';

/** AES-256-GCM output as WebCrypto returns it and as stored: `data` is ciphertext followed by the 16-byte tag. */
export type Cipher = Sealed;

export interface AccountRecord {
  /** Random id; part of the associated data of the wrapped vault key. */
  id: string;
  /** Argon2id for vaults made since DB version 2; PBKDF2-HMAC-SHA256 for older ones (both accepted). */
  kdf: KdfParams;
  /** vaultKey wrapped by wrapKey (HKDF of the master key). */
  wrappedVaultKey: Cipher;
  createdAt: number;
}

export interface SettingsRecord {
  autoLockMinutes: number | null;
  clipboardClearSeconds: number;
}

/**
 * How settings are stored: sealed with the vault key (`settings/<account id>/settings`), so only
 * the vault's owner can change them and an edited record is detected. Vaults made by 0.1.0 kept a
 * clear SettingsRecord; it is sealed at the next unlock.
 */
export interface SealedSettingsRecord {
  sealed: Cipher;
}

export interface ThrottleRecord {
  failures: number;
  notBefore: number;
}

export interface OrgRecord {
  id: string;
  /** vaultKey, `org/<id>/name`. */
  name: Cipher;
  createdAt: number;
}

export interface SafeRecord {
  id: string;
  orgId: string;
  /** safeKey wrapped by vaultKey, `safe/<id>/key`. */
  wrappedKey: Cipher;
  /** safeKey, `safe/<id>/name`. */
  name: Cipher;
  createdAt: number;
}

export interface EnvironmentRecord {
  id: string;
  safeId: string;
  /** safeKey, `environment/<id>/name`. */
  name: Cipher;
  protected: boolean;
  position: number;
}

export interface SecretRecord {
  id: string;
  safeId: string;
  envId: string;
  /** safeKey, `secret/<id>/meta`: JSON {key, path, tags, comment}. */
  meta: Cipher;
  /** safeKey, `secret/<id>/value`. */
  value: Cipher;
  updatedAt: number;
}

/** The encrypted list of names for one environment, so listing never decrypts values. */
export interface IndexRecord {
  envId: string;
  safeId: string;
  /** Incremented on every write; a write checks it to detect a concurrent writer. */
  revision: number;
  /** safeKey, `index/<envId>/entries`: JSON IndexEntry[]. */
  entries: Cipher;
}

export interface OverrideRecord {
  secretId: string;
  safeId: string;
  envId: string;
  /** vaultKey (personal, never a safe key), `override/<secretId>/value`. */
  value: Cipher;
  active: boolean;
  updatedAt: number;
}

export interface VaultDB extends DBSchema {
  meta: {
    key: 'account' | 'settings' | 'throttle';
    value: AccountRecord | SettingsRecord | SealedSettingsRecord | ThrottleRecord;
  };
  orgs: { key: string; value: OrgRecord };
  safes: { key: string; value: SafeRecord };
  environments: { key: string; value: EnvironmentRecord; indexes: { bySafe: string } };
  secrets: { key: string; value: SecretRecord; indexes: { bySafe: string; byEnv: string } };
  indexes: { key: string; value: IndexRecord; indexes: { bySafe: string } };
  overrides: { key: string; value: OverrideRecord; indexes: { bySafe: string; byEnv: string } };
}

export type StoreName = 'meta' | 'orgs' | 'safes' | 'environments' | 'secrets' | 'indexes' | 'overrides';
export const ALL_STORES: StoreName[] = ['meta', 'orgs', 'safes', 'environments', 'secrets', 'indexes', 'overrides'];
/** What a backup carries: everything. */
export const PERSISTED_STORES = ALL_STORES;

export type Db = IDBPDatabase<VaultDB>;

/**
 * idb's openDB always uses the global `indexedDB`; this does the same over a given factory so tests
 * (and a future second profile) can pass their own.
 */
export function openVaultDb(factory: IDBFactory, name: string): Promise<Db> {
  const request = factory.open(name, DB_VERSION);
  request.addEventListener('upgradeneeded', (event) => {
    const db = request.result;
    // Upgrade steps run in order from the stored version; each is written once and never changed.
    if (event.oldVersion < 1) {
      db.createObjectStore('meta');
      db.createObjectStore('session'); // dropped again by version 2
      db.createObjectStore('orgs', { keyPath: 'id' });
      db.createObjectStore('safes', { keyPath: 'id' });
      db.createObjectStore('environments', { keyPath: 'id' }).createIndex('bySafe', 'safeId');
      const secrets = db.createObjectStore('secrets', { keyPath: 'id' });
      secrets.createIndex('bySafe', 'safeId');
      secrets.createIndex('byEnv', 'envId');
      db.createObjectStore('indexes', { keyPath: 'envId' }).createIndex('bySafe', 'safeId');
      const overrides = db.createObjectStore('overrides', { keyPath: 'secretId' });
      overrides.createIndex('bySafe', 'safeId');
      overrides.createIndex('byEnv', 'envId');
    }
    if (event.oldVersion < 2) {
      // Version 1 kept the unlocked keys here as CryptoKeys, whose raw bytes browsers write into the
      // profile's files. The unlocked state now lives in memory only (session-secret.ts).
      db.deleteObjectStore('session');
    }
  });
  return wrap(request) as unknown as Promise<Db>;
}
