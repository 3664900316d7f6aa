// The account's side of sync: what the user types checked before any request, and the exchanges
// with the server that connect, sign in and re-key an account, each with its failures put in the
// user's words. The engine (engine.ts) decides when they run and what the vault stores.
import { ApiError, normaliseServerUrl, type SyncApi } from '../api/client';
import { msg } from '../i18n';
import { kdfFromWire, kdfToWire, signInKeys, type Registration } from '../vault/account-link';
import { cipherToWire } from '../vault/sync-items';
import type { KdfParams } from '../vault/kdf-params';
import type { PasswordChange } from '../vault/lifecycle';
import { invalid, VaultError } from '../vault/errors';

const LOOPBACK = /^(127(?:\.\d{1,3}){3}|\[::1\]|localhost)$/;

/**
 * `https://…`, or plain `http://` to this machine only: over a network, plain http would let anyone
 * on the path take the auth secret and tokens (the ciphertext stays safe, but the account would not).
 */
export function checkServerUrl(raw: unknown): string {
  let url: URL;
  try {
    url = new URL(normaliseServerUrl(String(raw ?? '')));
  } catch {
    throw invalid('serverUrl', 'errSyncServerUrl');
  }
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) throw invalid('serverUrl', 'errSyncServerHttps');
  return url.origin;
}

export function checkEmail(raw: unknown): string {
  const email = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) throw invalid('email', 'errSyncEmail');
  return email;
}

/** A server's refusal as the form shows it: unreachable, throttled, or what the server said. */
export function asUserError(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  if (error.status === 0) return new VaultError('unreachable', msg('errSyncUnreachable'), { field: 'serverUrl' });
  if (error.status === 429) return new VaultError('throttled', msg('errSyncRateLimited'), error.retryAfterMs ? { retryAfterMs: error.retryAfterMs } : {});
  return new VaultError('server_error', msg('errSyncServerSaid', error.message));
}

/** Registers the auth secret, KDF and wrapped vault key (never the master password); returns the user id. */
export async function register(api: SyncApi, email: string, reg: Registration): Promise<string> {
  try {
    return (await api.register({ email, password: reg.authSecret, kdf: reg.kdf, keys: reg.keys })).user_id;
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) throw new VaultError('duplicate', msg('errSyncEmailTaken'), { field: 'email' });
    throw asUserError(error);
  }
}

export interface PasswordSignIn {
  kdf: KdfParams;
  authSecret: string;
  /** Unwraps the account's vault key (HKDF from the master key, as on the device that made it). */
  wrapKey: CryptoKey;
  login: Awaited<ReturnType<SyncApi['login']>>;
}

/**
 * Prelogin's KDF, held to this client's floors before anything is derived, then the master
 * password's auth secret and a login with it. The master password never leaves this function.
 */
export async function signInWithPassword(api: SyncApi, email: string, masterPassword: unknown): Promise<PasswordSignIn> {
  if (typeof masterPassword !== 'string' || masterPassword === '') throw invalid('masterPassword', 'errEnterMasterPassword');
  const pre = await api.prelogin(email).catch((error: unknown) => {
    throw asUserError(error);
  });
  const kdf = kdfFromWire(pre.kdf);
  const { authSecret, wrapKey } = await signInKeys(masterPassword, kdf);
  try {
    return { kdf, authSecret, wrapKey, login: await api.login({ email, password: authSecret }) };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) throw new VaultError('wrong_password', msg('errSyncWrongLogin'), { field: 'masterPassword' });
    throw asUserError(error);
  }
}

/**
 * Sends a master-password change to the server, re-authenticated with the current auth secret:
 * with `token` if it is still good, else (or once it expires) after one login. Returns the token
 * the change was made with. The server ends every other session.
 */
export async function changePasswordOnServer(api: SyncApi, email: string, token: string | undefined, change: PasswordChange): Promise<string> {
  const body = {
    current_password: change.currentAuthSecret,
    password: change.authSecret,
    kdf: kdfToWire(change.kdf),
    keys: { accountId: change.accountId, wrappedVaultKey: cipherToWire(change.wrappedVaultKey) },
  };
  for (let attempt = 0; ; attempt++) {
    try {
      token ??= await loginForPasswordChange(api, email, change.currentAuthSecret);
      await api.changePassword({ token }, body);
      return token;
    } catch (error) {
      // An expired token: one new login with the current auth secret, then once more.
      if (!(error instanceof ApiError && error.status === 401) || attempt > 0) throw asUserError(error);
      token = undefined;
    }
  }
}

/** A refusal here means the server holds another password: it was changed on another device. */
async function loginForPasswordChange(api: SyncApi, email: string, authSecret: string): Promise<string> {
  try {
    return (await api.login({ email, password: authSecret })).access_token;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) throw new VaultError('auth_failed', msg('errSyncPasswordChangedElsewhere'));
    throw error;
  }
}
