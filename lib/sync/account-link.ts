// A vault's link to a sync-server account: what registering sends (never the master password, never
// a key in the clear), and a second device joining the account with the master password alone.
import { fromBase64, toBase64 } from '../crypto/encoding';
import { isCryptoError } from '../crypto/errors';
import { unwrapAesKey } from '../crypto/key-wrap';
import { deriveAccountKeys } from '../vault/account-keys';
import { ACCOUNT_AD, ORG_NAME_AD } from '../vault/associated-data';
import { sealText, VAULT_KEY_USAGES } from '../vault/cipher';
import { newId, type VaultContext } from '../vault/context';
import { VaultError } from '../vault/errors';
import { checkKdf, type KdfParams } from '../vault/kdf-params';
import { isInitialised, readAccount, storeNewVault, verifyMasterPassword } from '../vault/lifecycle';
import type { AccountRecord, SyncLink } from '../vault/schema';
import { sealedDefaults } from '../vault/settings-store';
import { cipherFromWire, cipherToWire, ItemShapeError } from './items';
import { checkName } from '../vault/validate';
import { msg } from '../i18n';
import { toHex } from '../crypto/encoding';

/** The KDF as the server keeps it (docs/server.md, prelogin): the salt in base64. */
export type WireKdf = Record<string, string | number>;

export function kdfToWire(kdf: KdfParams): WireKdf {
  return kdf.name === 'Argon2id'
    ? { name: kdf.name, memoryKiB: kdf.memoryKiB, passes: kdf.passes, parallelism: kdf.parallelism, salt: toBase64(kdf.salt) }
    : { name: kdf.name, iterations: kdf.iterations, salt: toBase64(kdf.salt) };
}

/** A server's KDF answer, held to the same floors and caps as a stored record before any derivation. */
export function kdfFromWire(wire: unknown): KdfParams {
  const w = (wire ?? {}) as Record<string, unknown>;
  let salt: Uint8Array | undefined;
  try {
    salt = typeof w.salt === 'string' ? fromBase64(w.salt, 'salt') : undefined;
  } catch {
    salt = undefined;
  }
  return checkKdf({ ...w, salt }, 'server');
}

/** What the server keeps for a second device: the vault key, wrapped under the master password's key. */
export interface AccountKeysWire {
  accountId: string;
  wrappedVaultKey: string;
}

export interface Registration {
  /** Hex HKDF auth secret: the server's password for this account (it stores a slow hash of it). */
  authSecret: string;
  kdf: WireKdf;
  keys: AccountKeysWire;
}

/** Checks the master password (a wrong one counts toward the delay) and returns what registering sends. */
export async function registration(ctx: VaultContext, masterPassword: string): Promise<Registration> {
  await verifyMasterPassword(ctx, masterPassword, 'masterPassword');
  const account = await readAccount(ctx);
  const keys = await deriveAccountKeys(masterPassword, account.kdf);
  const authSecret = toHex(keys.authSecret);
  keys.authSecret.fill(0);
  return {
    authSecret,
    kdf: kdfToWire(account.kdf),
    keys: { accountId: account.id, wrappedVaultKey: cipherToWire(account.wrappedVaultKey) },
  };
}

/**
 * One derivation from the master password for a second device's sign-in: the auth secret to log in
 * with, and the wrapping key that then opens the account's vault key (joinAccount), so the KDF runs once.
 */
export async function signInKeys(masterPassword: string, kdf: KdfParams): Promise<{ authSecret: string; wrapKey: CryptoKey }> {
  const keys = await deriveAccountKeys(masterPassword, kdf);
  const authSecret = toHex(keys.authSecret);
  keys.authSecret.fill(0);
  return { authSecret, wrapKey: keys.wrapKey };
}

/**
 * A second device: the account's wrapped vault key, opened with the wrapping key derived from the
 * master password (signInKeys), becomes this device's vault, unlocked and empty until the first pull.
 * `kdf` must already have passed kdfFromWire.
 */
export async function joinAccount(
  ctx: VaultContext,
  wrapKey: CryptoKey,
  kdf: KdfParams,
  remoteKeys: unknown,
  opts: { safeName?: string } = {},
): Promise<void> {
  if (await isInitialised(ctx)) throw new VaultError('already_initialised', msg('errVaultExists'));
  const keysWire = (remoteKeys ?? {}) as Partial<AccountKeysWire>;
  const accountId = keysWire.accountId;
  let wrapped: ReturnType<typeof cipherFromWire>;
  try {
    if (typeof accountId !== 'string' || !/^[0-9a-f-]{36}$/.test(accountId)) throw new ItemShapeError('account id');
    wrapped = cipherFromWire(keysWire.wrappedVaultKey);
  } catch {
    throw new VaultError('damaged', msg('errServerAccountDamaged'));
  }
  let vaultKey: CryptoKey;
  try {
    vaultKey = await unwrapAesKey(wrapKey, wrapped, ACCOUNT_AD(accountId), { extractable: true, usages: VAULT_KEY_USAGES });
  } catch (error) {
    if (!isCryptoError(error)) throw error;
    // The server checked the auth secret, so the password is right: the key it sent is not the account's.
    throw new VaultError('damaged', msg('errServerAccountDamaged'));
  }
  const orgId = newId();
  const orgName = checkName(opts.safeName ?? 'Personal', 'Safe', 'safeName');
  const account: AccountRecord = { id: accountId, kdf, wrappedVaultKey: wrapped, createdAt: ctx.now() };
  const [settings, org] = await Promise.all([
    sealedDefaults(vaultKey, accountId),
    sealText(vaultKey, orgName, ORG_NAME_AD(orgId)).then((name) => ({ id: orgId, name, createdAt: ctx.now() })),
  ]);
  await storeNewVault(ctx, { account, settings, org }, vaultKey);
}

// The link itself (server, e-mail, ids, cursor, last outcome), kept in the clear: it names no secret.

export async function getSyncLink(ctx: VaultContext): Promise<SyncLink | undefined> {
  return (await ctx.db.get('sync', 'state')) as SyncLink | undefined;
}

export async function setSyncLink(ctx: VaultContext, link: SyncLink | undefined): Promise<void> {
  if (link) await ctx.db.put('sync', link, 'state');
  else await ctx.db.delete('sync', 'state');
}

/** Forgets the server: the link, the outbox and any conflicts; local records stay. */
export async function unlink(ctx: VaultContext): Promise<void> {
  const tx = ctx.db.transaction(['sync', 'outbox', 'conflicts'], 'readwrite');
  await Promise.all([tx.objectStore('sync').clear(), tx.objectStore('outbox').clear(), tx.objectStore('conflicts').clear()]);
  await tx.done;
}
