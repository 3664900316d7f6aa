// The account's side of sync: what the user types checked before any request, and the exchanges
// with the server that connect, sign in and re-key an account, each with its failures put in the
// user's words. The engine (engine.ts) decides when they run and what the vault stores.
import { ApiError, normaliseServerUrl, type LoginAnswer, type SyncApi } from './client';
import { reachableServerUrl } from './server-address';
import { msg } from '../i18n';
import { kdfFromWire, kdfToWire, signInKeys, type Registration } from './account-link';
import { cipherToWire } from './items';
import type { KdfParams } from '../vault/kdf-params';
import type { PasswordChange } from '../vault/lifecycle';
import { invalid, VaultError } from '../vault/errors';
import { boundAuthSecret } from './auth-secret';

const LOOPBACK = /^(127(?:\.\d{1,3}){3}|localhost)$/;

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
  // Chromium refuses `[::1]` as a CSP source: plain http goes to the same server as localhost,
  // an https certificate names the address it was made for.
  url = new URL(reachableServerUrl(url.href));
  if (url.hostname === '[::1]') throw invalid('serverUrl', 'errSyncServerIpv6Loopback', url.port ? `:${url.port}` : '');
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) throw invalid('serverUrl', 'errSyncServerHttps');
  return url.origin;
}

export function checkEmail(raw: unknown): string {
  const email = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) throw invalid('email', 'errSyncEmail');
  return email;
}

/**
 * A server's refusal as the form shows it, in Keysmith's own fixed words: unreachable, throttled,
 * an answer that is not the API's, or a refusal with its HTTP status. The server's own text is
 * never shown: words inside Keysmith's pages are trusted, and a hostile server could phish with them.
 */
export function asUserError(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  if (error.code === 'bad_response' || error.code === 'too_large') return new VaultError('server_error', msg('errSyncServerBadAnswer'));
  if (error.status === 0) return new VaultError('unreachable', msg('errSyncUnreachable'), { field: 'serverUrl' });
  if (error.status === 429)
    return new VaultError('throttled', msg('errSyncRateLimited'), error.retryAfterMs ? { retryAfterMs: error.retryAfterMs } : {});
  return new VaultError('server_error', msg('errSyncServerRefused', String(error.status)));
}

/**
 * Logs in with the auth secret bound to this server and e-mail (auth-secret.ts). `legacy` is for
 * an account made before that binding, whose server still holds the unbound secret: one login with
 * it, then the password route replaces it with the bound one (same KDF, same wrapped keys), so the
 * unbound secret is sent at most until the account has moved. A link known to be bound passes none.
 */
export async function logIn(
  api: SyncApi,
  email: string,
  authSecret: string,
  legacy?: { kdf: KdfParams },
): Promise<LoginAnswer & { migrated: boolean }> {
  const bound = await boundAuthSecret(authSecret, api.baseUrl, email);
  try {
    return { ...(await api.login({ email, password: bound })), migrated: false };
  } catch (error) {
    if (!(legacy && error instanceof ApiError && error.status === 401)) throw error;
  }
  const login = await api.login({ email, password: authSecret });
  await api.changePassword(
    { token: login.access_token },
    { current_password: authSecret, password: bound, kdf: kdfToWire(legacy.kdf), keys: login.keys },
  );
  return { ...login, migrated: true };
}

/** Registers the bound auth secret, KDF and wrapped vault key (never the master password); returns the user id. */
export async function register(api: SyncApi, email: string, reg: Registration): Promise<string> {
  try {
    const password = await boundAuthSecret(reg.authSecret, api.baseUrl, email);
    return (await api.register({ email, password, kdf: reg.kdf, keys: reg.keys })).user_id;
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) throw new VaultError('duplicate', msg('errSyncEmailTaken'), { field: 'email' });
    throw asUserError(error);
  }
}

export interface PasswordSignIn {
  kdf: KdfParams;
  /** Unbound (the vault's own); what the server received is bound to it (logIn). */
  authSecret: string;
  /** Unwraps the account's vault key (HKDF from the master key, as on the device that made it). */
  wrapKey: CryptoKey;
  login: LoginAnswer;
}

/**
 * Prelogin's KDF, held to this client's floors and caps and then to `accept` (a new device's
 * defaults, or the parameters a known device holds: kdf-policy.ts) before anything is derived,
 * then the master password's auth secret and a login with it. The master password never leaves
 * this function.
 */
export async function signInWithPassword(
  api: SyncApi,
  email: string,
  masterPassword: unknown,
  accept: (kdf: KdfParams) => void,
  opts: { legacy?: boolean } = {},
): Promise<PasswordSignIn> {
  if (typeof masterPassword !== 'string' || masterPassword === '') throw invalid('masterPassword', 'errEnterMasterPassword');
  const pre = await api.prelogin(email).catch((error: unknown) => {
    throw asUserError(error);
  });
  const kdf = kdfFromWire(pre.kdf);
  accept(kdf);
  const { authSecret, wrapKey } = await signInKeys(masterPassword, kdf);
  try {
    return { kdf, authSecret, wrapKey, login: await logIn(api, email, authSecret, opts.legacy === false ? undefined : { kdf }) };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401)
      throw new VaultError('wrong_password', msg('errSyncWrongLogin'), { field: 'masterPassword' });
    throw asUserError(error);
  }
}

/**
 * Sends a master-password change to the server, re-authenticated with the current auth secret
 * (bound, or for an account not yet moved, `legacy`: the unbound one): with `token` if it is still
 * good, else (or once it expires) after one login. The new secret is always bound. Returns the
 * token the change was made with. The server ends every other session.
 */
export async function changePasswordOnServer(
  api: SyncApi,
  email: string,
  token: string | undefined,
  change: PasswordChange,
  opts: { legacy?: boolean } = {},
): Promise<string> {
  const body = {
    password: await boundAuthSecret(change.authSecret, api.baseUrl, email),
    kdf: kdfToWire(change.kdf),
    keys: { accountId: change.accountId, wrappedVaultKey: cipherToWire(change.wrappedVaultKey) },
  };
  const currents = [await boundAuthSecret(change.currentAuthSecret, api.baseUrl, email)];
  if (opts.legacy) currents.push(change.currentAuthSecret);
  let refused: unknown;
  for (const current of currents) {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        token ??= await loginForPasswordChange(api, email, current);
        await api.changePassword({ token }, { ...body, current_password: current });
        return token;
      } catch (error) {
        // This form of the current secret is not the server's: try the next one.
        if (error instanceof VaultError && error.code === 'auth_failed') {
          refused = error;
          break;
        }
        // An expired token (or the other form of the secret): one new login with this one, then once more.
        if (!(error instanceof ApiError && error.status === 401) || attempt > 0) throw asUserError(error);
        token = undefined;
      }
    }
    token = undefined;
  }
  throw refused;
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
