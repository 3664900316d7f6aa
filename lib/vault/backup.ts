import { fromBase64, toBase64 } from '../crypto/encoding';
import { isCryptoError } from '../crypto/errors';
import { decrypt, encrypt } from '../toolkit';
import { MAX_BACKUP_BYTES } from './backup-limits';
import { checkIterations, checkKdf } from './kdf-params';
import { invalid, VaultError } from './errors';
import { isAutoLockChoice, isClipboardSeconds } from './settings';
import {
  ALL_STORES,
  DB_VERSION,
  PERSISTED_STORES,
  type AccountRecord,
  type Cipher,
  type Db,
  type EnvironmentRecord,
  type IndexRecord,
  type OrgRecord,
  type OverrideRecord,
  type SafeRecord,
  type SecretRecord,
  type SealedSettingsRecord,
  type SettingsRecord,
} from './schema';
import { msg } from '../i18n';

/**
 * Backup file = the Toolkit `encrypt` response (JSON: ciphertext, iv, tag, salt, algorithm,
 * iterations) whose plaintext is this document. The records inside are the stored records, still
 * encrypted under the vault's own keys; bytes are written as {"$b64": "…"}.
 */
export const BACKUP_FORMAT = 'keysmith-vault-backup';
export const BACKUP_VERSION = 1;

export interface BackupStores {
  meta: ['account' | 'settings', AccountRecord | SettingsRecord | SealedSettingsRecord][];
  orgs: OrgRecord[];
  safes: SafeRecord[];
  environments: EnvironmentRecord[];
  secrets: SecretRecord[];
  indexes: IndexRecord[];
  overrides: OverrideRecord[];
}

export async function writeBackup(db: Db, password: string, now: number): Promise<string> {
  if (typeof password !== 'string' || password.length === 0) throw invalid('password', 'errBackupPasswordChoose');
  const tx = db.transaction([...PERSISTED_STORES]);
  const [account, settings, orgs, safes, environments, secrets, indexes, overrides] = await Promise.all([
    tx.objectStore('meta').get('account'),
    tx.objectStore('meta').get('settings'),
    tx.objectStore('orgs').getAll(),
    tx.objectStore('safes').getAll(),
    tx.objectStore('environments').getAll(),
    tx.objectStore('secrets').getAll(),
    tx.objectStore('indexes').getAll(),
    tx.objectStore('overrides').getAll(),
  ]);
  await tx.done;
  if (!account) throw new VaultError('not_initialised', msg('errNoVaultToBackUp'));
  const meta: BackupStores['meta'] = [['account', account as AccountRecord]];
  if (settings) meta.push(['settings', settings as SettingsRecord | SealedSettingsRecord]);
  const stores: BackupStores = { meta, orgs, safes, environments, secrets, indexes, overrides };
  // Three looks, each before more work: the sealed bytes alone, the document, the file itself.
  checkExportSize(leastFileBytes(stores));
  const plaintext = JSON.stringify(
    { format: BACKUP_FORMAT, version: BACKUP_VERSION, schema: DB_VERSION, createdAt: now, stores },
    bytesToJson,
  );
  checkExportSize(base64Length(plaintext.length));
  const file = JSON.stringify(await encrypt({ plaintext, password }), null, 2);
  checkExportSize(file.length);
  return file;
}

/**
 * A backup that restore would refuse (checkBackupSize) is never handed over: the export says so,
 * with its size, and nothing is saved. The cap stays where Chrome's messaging puts it
 * (docs/vault.md, "Backups": how many secrets and versions fit).
 */
function checkExportSize(bytes: number): void {
  if (bytes > MAX_BACKUP_BYTES) {
    const mib = (n: number) => Math.ceil(n / 1024 / 1024);
    throw new VaultError('backup_too_large', msg('errBackupExportTooLarge', mib(bytes), mib(MAX_BACKUP_BYTES)));
  }
}

/** Base64 (inside the document, then the document inside the file) takes 4 characters for every 3 bytes. */
const base64Length = (bytes: number) => 4 * Math.ceil(bytes / 3);

/**
 * The least the file can take: every record's sealed bytes, base64 twice over. Counted before the
 * document is built, which for a vault far over the cap would be a string of hundreds of MiB.
 */
function leastFileBytes(stores: BackupStores): number {
  let sealed = 0;
  const add = (c: Cipher | undefined) => {
    if (c) sealed += c.data.length;
  };
  for (const r of stores.secrets) {
    add(r.meta);
    add(r.value);
    add(r.history);
  }
  for (const r of stores.indexes) add(r.entries);
  for (const r of stores.overrides) add(r.value);
  return base64Length(base64Length(sealed));
}

/** Decrypts and checks a backup; throws VaultError before anything is written. */
export function checkBackupSize(bytes: number): void {
  if (bytes > MAX_BACKUP_BYTES) {
    throw new VaultError('backup_invalid', msg('errBackupTooLarge', MAX_BACKUP_BYTES / 1024 / 1024), {
      field: 'file',
    });
  }
}

export async function readBackup(text: string, password: string): Promise<BackupStores> {
  checkBackupSize(text.length);
  if (typeof password !== 'string' || password.length === 0) throw invalid('password', 'errBackupPasswordEnter');
  let outer: Record<string, unknown>;
  try {
    outer = JSON.parse(text) as Record<string, unknown>;
    if (outer === null || typeof outer !== 'object') throw new TypeError();
  } catch {
    throw notABackup();
  }
  // The backup's own KDF obeys the vault's floor and ceiling too: a file cannot downgrade it, nor
  // stall the worker with a huge count. Absent means the Toolkit default, 600,000.
  if (outer.iterations !== undefined) checkIterations(outer.iterations, 'stored');
  let plaintext: string;
  try {
    ({ plaintext } = await decrypt({
      ciphertext: outer.ciphertext as string,
      iv: outer.iv as string,
      tag: outer.tag as string,
      salt: outer.salt as string,
      iterations: outer.iterations as number,
      password,
    }));
  } catch (error) {
    if (isCryptoError(error) && error.code === 'authentication_failed') {
      throw new VaultError('backup_auth_failed', msg('errBackupAuth'));
    }
    if (isCryptoError(error)) throw notABackup();
    throw error;
  }
  let document: Record<string, unknown>;
  try {
    document = JSON.parse(plaintext, jsonToBytes) as Record<string, unknown>;
  } catch {
    throw notABackup();
  }
  if (document.format !== BACKUP_FORMAT || document.version !== BACKUP_VERSION) throw notABackup();
  if (typeof document.schema !== 'number' || document.schema > DB_VERSION) {
    throw new VaultError('backup_invalid', msg('errBackupNewer'));
  }
  return checkStores(document.stores);
}

/** Replaces every store with the backup's, in one transaction (the caller locks the vault first). */
export async function replaceStores(db: Db, stores: BackupStores): Promise<void> {
  const tx = db.transaction(ALL_STORES, 'readwrite');
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
}

function notABackup(): VaultError {
  return new VaultError('backup_invalid', msg('errNotBackup'));
}

function bytesToJson(this: unknown, _key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? { $b64: toBase64(value) } : value;
}

function jsonToBytes(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && '$b64' in value) {
    const encoded = (value as { $b64: unknown }).$b64;
    if (typeof encoded === 'string') return fromBase64(encoded, 'backup');
  }
  return value;
}

// Structural checks, so a backup that decrypts but is incomplete never replaces a working vault.
const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isBytes = (v: unknown): v is Uint8Array => v instanceof Uint8Array;
const isCipher = (v: unknown): v is Cipher =>
  v !== null && typeof v === 'object' && isBytes((v as Cipher).iv) && isBytes((v as Cipher).data);

function list<T>(value: unknown, check: (item: Record<string, unknown>) => boolean): T[] {
  if (!Array.isArray(value)) throw notABackup();
  for (const item of value) {
    if (item === null || typeof item !== 'object' || !check(item as Record<string, unknown>)) throw notABackup();
  }
  return value as T[];
}

function checkStores(value: unknown): BackupStores {
  if (value === null || typeof value !== 'object') throw notABackup();
  const s = value as Record<string, unknown>;
  const meta = s.meta;
  if (!Array.isArray(meta)) throw notABackup();
  const account = meta.find((m): m is ['account', AccountRecord] => Array.isArray(m) && m[0] === 'account')?.[1];
  if (!account || !isString(account.id) || !isCipher(account.wrappedVaultKey) || !isBytes(account.kdf?.salt)) {
    throw notABackup();
  }
  // The same floors as for a stored record: a backup file cannot downgrade the KDF.
  account.kdf = checkKdf(account.kdf, 'stored');
  // Settings are sealed with the vault key (opened after unlock, like everything else in the
  // backup); a backup made by 0.1.0 carries a clear record, held to the same rules as the UI's.
  const settings = meta.find((m): m is ['settings', SettingsRecord | SealedSettingsRecord] => Array.isArray(m) && m[0] === 'settings');
  const record = settings?.[1] as Record<string, unknown> | undefined;
  const sealed = record && Object.keys(record).join() === 'sealed' && isCipher(record.sealed);
  const clear =
    record &&
    Object.keys(record).sort().join() === 'autoLockMinutes,clipboardClearSeconds' &&
    isAutoLockChoice(record.autoLockMinutes) &&
    isClipboardSeconds(record.clipboardClearSeconds);
  if (record && !sealed && !clear) {
    throw notABackup();
  }
  const out: BackupStores = {
    meta: settings ? [['account', account], settings] : [['account', account]],
    orgs: list<OrgRecord>(s.orgs, (r) => isString(r.id) && isCipher(r.name)),
    safes: list<SafeRecord>(s.safes, (r) => isString(r.id) && isCipher(r.wrappedKey) && isCipher(r.name)),
    environments: list<EnvironmentRecord>(
      s.environments,
      (r) => isString(r.id) && isString(r.safeId) && isCipher(r.name) && typeof r.protected === 'boolean',
    ),
    secrets: list<SecretRecord>(
      s.secrets,
      (r) =>
        isString(r.id) &&
        isString(r.safeId) &&
        isString(r.envId) &&
        isCipher(r.meta) &&
        isCipher(r.value) &&
        // Backups made before history have none; one made since carries it sealed, like the value.
        (r.history === undefined || isCipher(r.history)),
    ),
    indexes: list<IndexRecord>(
      s.indexes,
      (r) => isString(r.envId) && isString(r.safeId) && typeof r.revision === 'number' && isCipher(r.entries),
    ),
    overrides: list<OverrideRecord>(
      s.overrides,
      (r) => isString(r.secretId) && isString(r.safeId) && isString(r.envId) && isCipher(r.value) && typeof r.active === 'boolean',
    ),
  };
  return out;
}
