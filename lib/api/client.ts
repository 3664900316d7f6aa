// A typed client for the sync server's API (docs/server.md): one request per call, with a timeout,
// every failure an ApiError the sync engine can act on. Retrying is the engine's business.
import type { ServerItem } from '../vault/schema';
import type { ItemWrite } from '../vault/sync-items';

/** `unreachable`: no answer (offline, refused, dropped); `timeout`: no answer in time; else the server's code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** From `Retry-After` on a 429 or 503. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface PullPage {
  items: ServerItem[];
  cursor: string;
  hasMore: boolean;
  snapshot: boolean;
  fullResync: boolean;
}

export type WriteResult = { id: string; ok: true; revision: number } | { id: string; ok: false; conflict: ServerItem | null };

export interface Session {
  token: string;
  orgId: string;
}

export interface ApiOptions {
  /** Default globalThis.fetch. */
  fetch?: typeof fetch;
  /** Per request; default 15 s. */
  timeoutMs?: number;
  /** Counts bytes sent and received (bodies), for the benchmark. */
  onBytes?: (sent: number, received: number) => void;
}

export class SyncApi {
  readonly baseUrl: string;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(
    baseUrl: string,
    private readonly options: ApiOptions = {},
  ) {
    this.baseUrl = normaliseServerUrl(baseUrl);
    this.fetch = options.fetch ?? ((...args) => globalThis.fetch(...args));
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  prelogin(email: string): Promise<{ kdf: unknown }> {
    return this.request('GET', `/api/v1/auth/prelogin?email=${encodeURIComponent(email)}`);
  }

  register(body: { email: string; password: string; kdf: unknown; keys: unknown }): Promise<{ user_id: string; org_id: string }> {
    return this.request('POST', '/api/v1/auth/register', { body });
  }

  login(body: { email: string; password: string }): Promise<{ access_token: string; expires_in: number; keys: unknown }> {
    return this.request('POST', '/api/v1/auth/login', { body });
  }

  /**
   * New login material for the account: the server checks `current_password` (the old auth secret)
   * first and revokes every other token; this session's token stays valid.
   */
  changePassword(
    s: Pick<Session, 'token'>,
    body: { current_password: string; password: string; kdf: unknown; keys: unknown },
  ): Promise<{ revoked_sessions: number }> {
    return this.request('POST', '/api/v1/auth/password', { token: s.token, body });
  }

  /**
   * Deletes the account on the server, with everything only it holds; `password` is the auth secret,
   * which the server checks again (a token alone is not enough).
   */
  deleteAccount(s: Pick<Session, 'token'>, body: { password: string }): Promise<{ deleted: true; removed_orgs: number }> {
    return this.request('DELETE', '/api/v1/account', { token: s.token, body });
  }

  async logout(token: string): Promise<void> {
    await this.request('POST', '/api/v1/auth/logout', { token, body: {} });
  }

  memberships(token: string): Promise<{ active_org_id: string; memberships: { org_id: string; role: string }[] }> {
    return this.request('GET', '/api/v1/org/memberships', { token });
  }

  /** Idempotent: a safe that already exists with this id in this org is answered as it is. */
  createSafe(s: Session, safe: { id: string; name: string }): Promise<{ id: string }> {
    return this.request('POST', '/api/v1/safes', { ...s, body: safe });
  }

  async deleteSafe(s: Session, id: string): Promise<void> {
    await this.request('DELETE', `/api/v1/safes/${encodeURIComponent(id)}`, s);
  }

  pull(s: Session, cursor: string | undefined, limit = 1000): Promise<PullPage> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor) query.set('cursor', cursor);
    return this.request('GET', `/api/v1/sync?${query}`, s);
  }

  async push(s: Session, items: ItemWrite[]): Promise<WriteResult[]> {
    const answer = await this.request<{ results: WriteResult[] }>('POST', '/api/v1/items/batch', { ...s, body: { items } });
    return answer.results;
  }

  private async request<T>(
    method: string,
    path: string,
    opts: { token?: string; orgId?: string; body?: unknown } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.orgId) headers['x-active-org-id'] = opts.orgId;
    let body: string | undefined;
    if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    let response: Response;
    try {
      response = await this.fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
        credentials: 'omit',
        cache: 'no-store',
        redirect: 'error', // a token is never sent on to wherever a redirect points
      });
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'TimeoutError' || name === 'AbortError') throw new ApiError(0, 'timeout', 'The sync server did not answer in time');
      throw new ApiError(0, 'unreachable', 'The sync server could not be reached');
    }
    let text: string;
    try {
      text = await response.text();
    } catch {
      throw new ApiError(0, 'unreachable', 'The connection to the sync server was lost');
    }
    this.options.onBytes?.(body?.length ?? 0, text.length);
    if (response.status === 204) return undefined as T;
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      const error = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
      const code = typeof error?.code === 'string' ? error.code : `http_${response.status}`;
      const message = typeof error?.message === 'string' ? error.message : `The sync server answered ${response.status}`;
      throw new ApiError(response.status, code, message, retryAfterMs(response.headers.get('retry-after')));
    }
    if (json === undefined) throw new ApiError(response.status, 'bad_response', 'The sync server sent an answer that is not JSON');
    return json as T;
  }
}

/** `Retry-After` as seconds or an HTTP date (RFC 9110 §10.2.3), in milliseconds; capped at an hour. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(ms, 0), 3_600_000);
}

/** `https://host[:port]` (or http on a loopback address, for a server on this machine): no path, no credentials. */
export function normaliseServerUrl(raw: string): string {
  const url = new URL(raw.trim());
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError('not http(s)');
  if (url.username || url.password) throw new TypeError('credentials in URL');
  return `${url.protocol}//${url.host}`;
}
