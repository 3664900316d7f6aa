/**
 * The one contract between extension pages / content scripts and the background.
 *
 * - `Protocol`: each request type, its data and its reply value.
 * - `ALLOWED_SENDERS`: who may send each type. The background decides who is asking from what
 *   the browser attests about the sender (`sender.id`, `sender.url`, `sender.tab`), never from
 *   fields in the message: a compromised page or content script can write any message it likes
 *   (the "confused deputy" of extension messaging; see Chrome's "Stay secure" guide,
 *   https://developer.chrome.com/docs/extensions/develop/security-privacy/stay-secure).
 * - Replies are `{ok: true, value}` or `{ok: false, error}`: plain data, so a typed error
 *   (code, message, field, retryAfterMs) survives structured cloning to the page.
 */
import type {
  CreateOptions,
  DeleteOptions,
  ExportDotenvOptions,
  ImportDotenvOptions,
  ImportResult,
  SafeSummary,
  Secret,
  SecretSummary,
  UpdateOptions,
  VaultSettings,
} from './vault/types';
import type { KdfChoice } from './vault/kdf-params';

/**
 * storage.session key the background sets while the vault is unlocked in this browser session and
 * removes on every lock. Pages watch it (storage.onChanged, no request, so no "activity") to hide
 * what they show the moment the vault locks.
 */
export const UNLOCKED_SESSION_KEY = 'keysmith-unlocked-this-session';

export interface VaultStatus {
  initialised: boolean;
  unlocked: boolean;
}

/** Everything the popup shows first, in one round trip (see 'vault.open'). */
export interface VaultOpening {
  status: VaultStatus;
  /** Present when unlocked: every safe, the place shown (the one asked for, else the first), its list. */
  view?: { safes: SafeSummary[]; safeId: string; envId: string; secrets: SecretSummary[] };
}

export interface Protocol {
  'vault.status': { data: undefined; value: VaultStatus };
  /** Status, safes and one environment's list at once: the popup's start-up is one round trip. */
  'vault.open': { data: { safeId?: string; envId?: string }; value: VaultOpening };
  'vault.setup': { data: { masterPassword: string; kdf?: KdfChoice }; value: void };
  'vault.unlock': { data: { masterPassword: string }; value: void };
  'vault.lock': { data: undefined; value: void };
  'vault.changePassword': { data: { current: string; next: string; kdf?: KdfChoice }; value: void };
  'vault.setKdf': { data: { masterPassword: string; kdf: KdfChoice }; value: void };
  'settings.get': { data: undefined; value: VaultSettings };
  'settings.update': { data: Partial<Omit<VaultSettings, 'kdf'>>; value: VaultSettings };
  'safes.list': { data: undefined; value: SafeSummary[] };
  'safes.create': { data: { name: string }; value: { id: string } };
  'environments.create': { data: { safeId: string; name: string; protected?: boolean }; value: { id: string } };
  'secrets.list': { data: { safeId: string; envId: string }; value: SecretSummary[] };
  'secrets.reveal': { data: { id: string }; value: { value: string; overridden: boolean } };
  'secrets.create': { data: CreateOptions; value: Secret[] };
  'secrets.update': { data: UpdateOptions; value: Secret };
  'secrets.delete': { data: DeleteOptions; value: void };
  /** Deletes by id, including a secret that no longer decrypts. */
  'secrets.deleteById': { data: { id: string }; value: void };
  'dotenv.import': { data: ImportDotenvOptions; value: ImportResult };
  'dotenv.export': { data: ExportDotenvOptions; value: string };
  'backup.export': { data: { password: string }; value: string };
  /** Over an existing vault, `masterPassword` is its current master password. */
  'backup.restore': { data: { text: string; password: string; masterPassword?: string }; value: void };
  /**
   * The background writes the clipboard and clears it after the configured delay (and on lock):
   * a vault secret by id, so its value need not pass through the page, or a tool's output as text.
   */
  'clipboard.copy': { data: { id: string } | { text: string }; value: { clearAfterSeconds: number | null } };
}

export type RequestType = keyof Protocol;
export type DataOf<T extends RequestType> = Protocol[T]['data'];
export type ValueOf<T extends RequestType> = Protocol[T]['value'];

/** What the browser says about who sent a message. */
export type SenderKind = 'extension-page' | 'content-script' | 'unknown';

/**
 * Every request in this contract is for extension pages (popup, options) only. Content scripts
 * get no vault message at all: they can never list secrets, read a value or touch a key.
 * A later fill feature adds its own narrow, origin-checked types here.
 */
const PAGES: readonly SenderKind[] = ['extension-page'];
export const ALLOWED_SENDERS: { readonly [T in RequestType]: readonly SenderKind[] } = {
  'vault.status': PAGES,
  'vault.open': PAGES,
  'vault.setup': PAGES,
  'vault.unlock': PAGES,
  'vault.lock': PAGES,
  'vault.changePassword': PAGES,
  'vault.setKdf': PAGES,
  'settings.get': PAGES,
  'settings.update': PAGES,
  'safes.list': PAGES,
  'safes.create': PAGES,
  'environments.create': PAGES,
  'secrets.list': PAGES,
  'secrets.reveal': PAGES,
  'secrets.create': PAGES,
  'secrets.update': PAGES,
  'secrets.delete': PAGES,
  'secrets.deleteById': PAGES,
  'dotenv.import': PAGES,
  'dotenv.export': PAGES,
  'backup.export': PAGES,
  'backup.restore': PAGES,
  'clipboard.copy': PAGES,
};

/** The fields of `runtime.MessageSender` the decision rests on. */
export interface AttestedSender {
  id?: string | undefined;
  url?: string | undefined;
  origin?: string | undefined;
  tab?: { id?: number | undefined; url?: string | undefined } | undefined;
  frameId?: number | undefined;
}

/**
 * Classifies a sender from browser-attested fields only.
 * An extension page is a document of this extension: same extension id and a URL under our own
 * origin. Our pages are not web-accessible and forbid framing (CSP frame-ancestors 'none'), so a
 * web page cannot host one. A content script runs in a web page's tab under the page's URL.
 */
export function classifySender(sender: AttestedSender, self: { id: string; origin: string }): SenderKind {
  if (sender.id !== self.id) return 'unknown';
  const url = sender.url ?? '';
  if (url.startsWith(`${self.origin}/`)) return 'extension-page';
  if (sender.tab && /^https?:\/\//.test(url)) return 'content-script';
  return 'unknown';
}

export interface ErrorInfo {
  code: string;
  message: string;
  field?: string;
  retryAfterMs?: number;
}

export type Reply<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export type Handlers = { [T in RequestType]: (data: DataOf<T>) => Promise<ValueOf<T>> };

/**
 * Runs one request: checks the sender against ALLOWED_SENDERS, then the handler.
 * Any error becomes plain data; unexpected ones lose their internals (no stack to the page).
 */
export async function dispatch<T extends RequestType>(
  handlers: Handlers,
  type: T,
  data: DataOf<T>,
  senderKind: SenderKind,
): Promise<Reply<ValueOf<T>>> {
  const allowed = ALLOWED_SENDERS[type];
  if (!allowed) return { ok: false, error: { code: 'unknown_request', message: `Unknown request ${String(type)}` } };
  if (!allowed.includes(senderKind)) {
    return { ok: false, error: { code: 'forbidden', message: `${String(type)} is not allowed from a ${senderKind} sender` } };
  }
  try {
    return { ok: true, value: await handlers[type](data) };
  } catch (error) {
    return { ok: false, error: toErrorInfo(error) };
  }
}

export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
    const info: ErrorInfo = { code: error.code, message: error.message };
    const extra = error as { field?: unknown; retryAfterMs?: unknown };
    if (typeof extra.field === 'string') info.field = extra.field;
    if (typeof extra.retryAfterMs === 'number') info.retryAfterMs = extra.retryAfterMs;
    return info;
  }
  return { code: 'internal', message: 'Something went wrong in Keysmith. Try again; if it persists, reload the extension.' };
}

/** A failed reply, rethrown on the page side with its code intact. */
export class RemoteError extends Error {
  override readonly name = 'RemoteError';
  readonly code: string;
  readonly field?: string;
  readonly retryAfterMs?: number;

  constructor(info: ErrorInfo) {
    super(info.message);
    this.code = info.code;
    if (info.field !== undefined) this.field = info.field;
    if (info.retryAfterMs !== undefined) this.retryAfterMs = info.retryAfterMs;
  }
}
