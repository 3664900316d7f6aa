// Account lifecycle: setup, unlock, lock, master-password and KDF changes, wrong-password throttle.
import { toHex } from '../crypto/encoding';
import { isCryptoError } from '../crypto/errors';
import { randomBytes } from '../crypto/random';
import { SALT_BYTES } from '../crypto/kdf';
import { deriveAccountKeys, type AccountKeys } from './account-keys';
import { checkKdf, checkKdfChoice, DEFAULT_KDF, kdfChoiceOf, type KdfChoice, type KdfParams } from './kdf-params';
import { MIN_MASTER_PASSWORD_LENGTH } from './master-password';
import { generateWrappableKey, openText, sealText, VAULT_KEY_USAGES } from './cipher';
import { wrapAesKey, unwrapAesKey } from '../crypto/key-wrap';
import { ACCOUNT_AD, ORG_NAME_AD } from './associated-data';
import { newId, type VaultContext } from './context';
import { invalid, VaultError } from './errors';
import { buildSafe, putSafe, type BuiltSafe } from './safe-records';
import { ALL_STORES, type AccountRecord, type Cipher, type OrgRecord, type SealedSettingsRecord, type ThrottleRecord } from './schema';
import { dropSession, hasSession, installSession } from './session-keys';
import { sealedDefaults, sealLegacySettings } from './settings-store';
import { bindOlderRecords } from './upgrade';
import type { UnlockOptions, UnlockResult, VaultStatus } from './types';
import { msg } from '../i18n';
import { checkName } from './validate';

/** No delay for the first two mistakes (typos), then 1 s, 2 s, 4 s … capped at 5 minutes. */
export function wrongPasswordDelayMs(failures: number): number {
  if (failures < 3) return 0;
  return Math.min(1000 * 2 ** (failures - 3), 5 * 60_000);
}

export async function isInitialised(ctx: VaultContext): Promise<boolean> {
  return (await ctx.db.get('meta', 'account')) !== undefined;
}

export function isUnlocked(ctx: VaultContext): Promise<boolean> {
  return hasSession(ctx);
}

/** Whether a vault exists here and whether it is unlocked. */
export async function status(ctx: VaultContext): Promise<VaultStatus> {
  return { initialised: await isInitialised(ctx), unlocked: await isUnlocked(ctx) };
}

/** The KDF, its parameters and salt, e.g. for registering with a sync server. */
export async function getKdfParams(ctx: VaultContext): Promise<KdfParams> {
  return (await readAccount(ctx)).kdf;
}

export async function readAccount(ctx: VaultContext): Promise<AccountRecord> {
  const account = (await ctx.db.get('meta', 'account')) as AccountRecord | undefined;
  if (!account) throw new VaultError('not_initialised', msg('errNoVault'));
  return account;
}

/**
 * A new vault, unlocked. Argon2id unless `opts.kdf` names other parameters (checked against the
 * floors). Its first safe is called `opts.safeName` (the page's word for "Personal", in the user's language).
 */
export async function setup(
  ctx: VaultContext,
  masterPassword: string,
  opts: { kdf?: KdfChoice; safeName?: string } & UnlockOptions = {},
): Promise<UnlockResult> {
  checkNewMasterPassword(masterPassword, 'masterPassword');
  const safeName = checkName(opts.safeName ?? 'Personal', 'Safe', 'safeName');
  if (await isInitialised(ctx)) {
    throw new VaultError('already_initialised', msg('errVaultExists'));
  }
  const kdf = newKdfParams(opts.kdf ?? DEFAULT_KDF);
  const keys = await deriveAccountKeys(masterPassword, kdf);

  const accountId = newId();
  const vaultKey = await generateWrappableKey(VAULT_KEY_USAGES);
  const wrappedVaultKey = await wrapAesKey(keys.wrapKey, vaultKey, ACCOUNT_AD(accountId));
  const orgId = newId();
  const org = { id: orgId, name: await sealText(vaultKey, safeName, ORG_NAME_AD(orgId)), createdAt: ctx.now() };
  const safe = await buildSafe(ctx, vaultKey, orgId, safeName);
  const account: AccountRecord = { id: accountId, kdf, wrappedVaultKey, createdAt: ctx.now() };
  const settings = await sealedDefaults(vaultKey, accountId);
  await storeNewVault(ctx, { account, settings, org, safe }, vaultKey);
  return authResult(keys, opts);
}

/**
 * Writes a new vault's first records in one transaction (unless a vault appeared meanwhile) and
 * unlocks it: a fresh setup, or a device joining a sync account (lib/sync/account-link.ts), which has no safe yet.
 */
export async function storeNewVault(
  ctx: VaultContext,
  records: { account: AccountRecord; settings: SealedSettingsRecord; org: OrgRecord; safe?: BuiltSafe },
  vaultKey: CryptoKey,
): Promise<void> {
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', vaultKey));
  const tx = ctx.db.transaction(['meta', 'orgs', 'safes', 'environments', 'indexes', 'outbox'], 'readwrite');
  if (await tx.objectStore('meta').get('account')) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw new VaultError('already_initialised', msg('errVaultExists'));
  }
  await Promise.all([
    tx.objectStore('meta').put(records.account, 'account'),
    tx.objectStore('meta').put(records.settings, 'settings'),
    tx.objectStore('meta').put({ pass: 'new vault', done: true }, 'bound'), // made with sync's binding: nothing for unlock to re-seal
    tx.objectStore('orgs').put(records.org),
    ...(records.safe ? putSafe(tx, records.safe) : []),
  ]);
  await tx.done;
  await installSession(ctx, raw);
}

/**
 * Derives the keys from the master password and keeps the vault key in memory (and its bytes in
 * the session secret) until lock(). Safe keys are unwrapped on first use; values are not decrypted here.
 */
export async function unlock(ctx: VaultContext, masterPassword: string, opts: UnlockOptions = {}): Promise<UnlockResult> {
  checkMasterPassword(masterPassword, 'masterPassword');
  const account = await readAccount(ctx);
  await checkThrottle(ctx);
  const { keys, vaultKey } = await openVaultKey(ctx, account, masterPassword);
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', vaultKey));
  await ctx.db.delete('meta', 'throttle');
  await installSession(ctx, raw);
  await sealLegacySettings(ctx);
  await bindOlderRecords(ctx);
  return authResult(keys, opts);
}

/** Removes this device's vault entirely (after signing out of sync, on the owner's request): locked, every store empty. */
export async function erase(ctx: VaultContext): Promise<void> {
  await dropSession(ctx);
  const tx = ctx.db.transaction(ALL_STORES, 'readwrite');
  await Promise.all(ALL_STORES.map((name) => tx.objectStore(name).clear()));
  await tx.done;
}

/** Drops the unlocked keys and the session secret. Never queued behind other operations: locking is immediate. */
export function lock(ctx: VaultContext): Promise<void> {
  return dropSession(ctx);
}

/**
 * Re-wraps the vault key under a key derived from `next` with a new salt (or, with `keepSalt`, the
 * same one: other devices of a sync account hold it and refuse any other, lib/sync/kdf-policy.ts)
 * and, optionally, another KDF; secrets are not re-encrypted and the old password stops working.
 * Works locked or unlocked; the lock state is unchanged.
 */
export async function changeMasterPassword(
  ctx: VaultContext,
  current: string,
  next: string,
  opts: { kdf?: KdfChoice; keepSalt?: boolean; beforeStore?: (change: PasswordChange) => Promise<void> } & UnlockOptions = {},
): Promise<UnlockResult> {
  checkMasterPassword(current, 'current');
  // Keeping the same password (a change of KDF only) must work for a vault made before the length rule.
  if (next !== current) checkNewMasterPassword(next, 'next');
  const account = await readAccount(ctx);
  // The sync server logs in with a secret derived from the master password and keeps the vault key
  // wrapped under it: changing it here alone would lock this vault out of its account. The sync
  // engine passes `beforeStore`, which has the server take the change first.
  if (!opts.beforeStore && (await ctx.db.get('sync', 'state'))) throw new VaultError('already_linked', msg('errSyncChangePassword'));
  const kdf = newKdfParams(opts.kdf ?? kdfChoiceOf(account.kdf), opts.keepSalt ? account.kdf.salt : undefined);
  await checkThrottle(ctx);
  const { keys: currentKeys, vaultKey } = await openVaultKey(ctx, account, current);
  const keys = await deriveAccountKeys(next, kdf);
  const wrappedVaultKey = await wrapAesKey(keys.wrapKey, vaultKey, ACCOUNT_AD(account.id));
  const currentAuthSecret = toHex(currentKeys.authSecret);
  currentKeys.authSecret.fill(0);
  // Nothing is stored here unless the server took it: a refusal leaves both sides as they were.
  await opts.beforeStore?.({ accountId: account.id, currentAuthSecret, authSecret: toHex(keys.authSecret), kdf, wrappedVaultKey });
  await replaceAccountKeys(ctx, account, kdf, wrappedVaultKey);
  return authResult(keys, opts);
}

/** Stores a new KDF and wrapped vault key, unless the account changed since it was read (another change won). */
async function replaceAccountKeys(ctx: VaultContext, account: AccountRecord, kdf: KdfParams, wrappedVaultKey: Cipher): Promise<void> {
  const tx = ctx.db.transaction('meta', 'readwrite');
  const stored = (await tx.store.get('account')) as AccountRecord | undefined;
  if (!stored || !sameBytes(stored.wrappedVaultKey.data, account.wrappedVaultKey.data)) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw new VaultError('conflict', msg('errPasswordChangedMeanwhile'));
  }
  await Promise.all([tx.store.put({ ...account, kdf, wrappedVaultKey }, 'account'), tx.store.delete('throttle')]);
  await tx.done;
}

/** What a master-password change sends a sync server before it is stored here (auth secrets in hex). */
export interface PasswordChange {
  accountId: string;
  currentAuthSecret: string;
  authSecret: string;
  kdf: KdfParams;
  wrappedVaultKey: Cipher;
}

/**
 * The master password was changed on another device: the account's vault key, opened with the new
 * one (the wrapping key from signInKeys), must be this vault's own key; then this device takes the
 * new KDF and wrapped key, and its old master password stops working here too. The proof is this
 * vault's organisation name opening with that key: a server cannot wrap a key it does not have.
 */
export async function adoptAccountKeys(
  ctx: VaultContext,
  wrapKey: CryptoKey,
  kdf: KdfParams,
  remote: { accountId?: unknown; wrappedVaultKey: Cipher },
): Promise<void> {
  const account = await readAccount(ctx);
  const org = (await ctx.db.getAll('orgs'))[0];
  let key: CryptoKey;
  try {
    if (remote.accountId !== account.id || !org) throw new Error('another account');
    key = await unwrapAesKey(wrapKey, remote.wrappedVaultKey, ACCOUNT_AD(account.id), { usages: VAULT_KEY_USAGES });
    await openText(key, org.name, ORG_NAME_AD(org.id));
  } catch {
    throw new VaultError('damaged', msg('errServerAccountDamaged'));
  }
  await replaceAccountKeys(ctx, account, kdf, remote.wrappedVaultKey);
}

/** Switches the KDF or its parameters; needs the master password to re-wrap the vault key. */
export function setKdf(
  ctx: VaultContext,
  masterPassword: string,
  kdf: KdfChoice,
  opts: { beforeStore?: (change: PasswordChange) => Promise<void> } = {},
): Promise<UnlockResult> {
  return changeMasterPassword(ctx, masterPassword, masterPassword, { ...opts, kdf });
}

/**
 * Proves the user knows the current master password before something destructive (replacing the
 * vault with a backup): a wrong one counts toward the same wrong-password delay as unlock.
 */
export async function verifyMasterPassword(ctx: VaultContext, password: unknown, field: string): Promise<void> {
  checkMasterPassword(password, field);
  const account = await readAccount(ctx);
  await checkThrottle(ctx);
  await openVaultKey(ctx, account, password);
  await ctx.db.delete('meta', 'throttle');
}

async function checkThrottle(ctx: VaultContext): Promise<void> {
  const throttle = (await ctx.db.get('meta', 'throttle')) as ThrottleRecord | undefined;
  const wait = throttle ? throttle.notBefore - ctx.now() : 0;
  if (wait > 0) {
    throw new VaultError('throttled', msg('errThrottled', formatWait(wait)), {
      retryAfterMs: wait,
    });
  }
}

/**
 * Runs the KDF and unwraps the vault key (extractable, so a caller can re-wrap it or keep its
 * bytes in the session secret). A wrong password records the failure (count and `notBefore`)
 * and changes nothing else.
 */
async function openVaultKey(
  ctx: VaultContext,
  account: AccountRecord,
  password: string,
): Promise<{ keys: AccountKeys; vaultKey: CryptoKey }> {
  const keys = await deriveAccountKeys(password, checkKdf(account.kdf, 'stored'));
  try {
    const vaultKey = await unwrapAesKey(keys.wrapKey, account.wrappedVaultKey, ACCOUNT_AD(account.id), {
      extractable: true,
      usages: VAULT_KEY_USAGES,
    });
    return { keys, vaultKey };
  } catch (error) {
    if (!isCryptoError(error)) throw error;
    const tx = ctx.db.transaction('meta', 'readwrite');
    const previous = (await tx.store.get('throttle')) as ThrottleRecord | undefined;
    const failures = (previous?.failures ?? 0) + 1;
    const delay = wrongPasswordDelayMs(failures);
    await tx.store.put({ failures, notBefore: ctx.now() + delay }, 'throttle');
    await tx.done;
    if (delay === 0) throw new VaultError('wrong_password', msg('errWrongPassword'));
    throw new VaultError('wrong_password', msg('errWrongPasswordWait', formatWait(delay)), { retryAfterMs: delay });
  }
}

function newKdfParams(choice: KdfChoice, salt?: Uint8Array<ArrayBuffer>): KdfParams {
  return { ...checkKdfChoice(choice, 'requested'), salt: salt ? new Uint8Array(salt) : randomBytes(SALT_BYTES) } as KdfParams;
}

function checkMasterPassword(password: unknown, field: string): asserts password is string {
  if (typeof password !== 'string' || password.length === 0) throw invalid(field, 'errEnterMasterPassword');
}

function checkNewMasterPassword(password: unknown, field: string): void {
  checkMasterPassword(password, field);
  if (password.length < MIN_MASTER_PASSWORD_LENGTH) {
    throw invalid(field, 'errMasterPasswordShort', MIN_MASTER_PASSWORD_LENGTH);
  }
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
  // Unit symbols read the same in English and French, and need no plural.
  return seconds < 60 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}
