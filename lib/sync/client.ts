// A typed client for the sync server's API (docs/server.md): one request per call, bounded in time
// and size, every answer checked against the wire contract (lib/sync/wire.ts) and every failure an
// ApiError in Keysmith's own words (the server's text is never kept: it would reach the user's
// screen). Retrying is the engine's business.
import type { z } from 'zod';
import type { ItemWrite } from './items';
import {
  LoginAnswer,
  MembershipsAnswer,
  PasswordAnswer,
  DeleteAccountAnswer,
  PreloginAnswer,
  type PullPage,
  PushAnswer,
  RegisterAnswer,
  RevisionsAnswer,
  SafeAnswer,
  type WireItem,
  type WireResult,
  type WireWrite,
} from './wire';
import { parsePullPage } from './pull-page';
import type { ServerItem } from '../vault/schema';

export type { LoginAnswer, PullPage } from './wire';
export type WriteResult = WireResult;

// The vault keeps what the wire carries (ServerItem in a conflict, ItemWrite in the outbox): these
// stop compiling if the wire contract and the vault's shapes drift apart.
type Holds<T extends true> = T;
export type WireFitsVault = Holds<WireItem extends ServerItem ? (ItemWrite extends z.input<typeof WireWrite> ? true : false) : false>;

/**
 * `status` 0 with `unreachable`, `timeout` or `too_large`: no usable answer; `bad_response`: an
 * answer that is not the API's; else the server's HTTP status and its short error code (a plain
 * identifier, or `http_<status>`). `message` is always this client's own English sentence.
 */
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

export interface Session {
  token: string;
  orgId: string;
}

/**
 * Bounds on one request. A server (hostile, or just broken) must not hold the worker for ever nor
 * fill its memory: the whole exchange, body included, has `timeoutMs`, and an answer's body is read
 * up to `maxReplyBytes` and dropped beyond (CWE-400, uncontrolled resource consumption).
 */
export const REQUEST_LIMITS = {
  timeoutMs: 15_000,
  /** Room for the largest pull page the server sends (README, Speed: a first pull's size), far above it; the server takes at most 1 MiB per request. */
  maxReplyBytes: 32 * 1024 * 1024,
} as const;

export interface ApiOptions {
  /** Default globalThis.fetch. */
  fetch?: typeof fetch;
  /** Per request, answer's body included; default REQUEST_LIMITS.timeoutMs. */
  timeoutMs?: number;
  /** Largest answer body read; default REQUEST_LIMITS.maxReplyBytes. */
  maxReplyBytes?: number;
  /** Counts bytes sent and received (bodies), for the benchmark. */
  onBytes?: (sent: number, received: number) => void;
}

export class SyncApi {
  readonly baseUrl: string;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;
  private readonly maxReplyBytes: number;

  constructor(
    baseUrl: string,
    private readonly options: ApiOptions = {},
  ) {
    this.baseUrl = normaliseServerUrl(baseUrl);
    this.fetch = options.fetch ?? ((...args) => globalThis.fetch(...args));
    this.timeoutMs = options.timeoutMs ?? REQUEST_LIMITS.timeoutMs;
    this.maxReplyBytes = options.maxReplyBytes ?? REQUEST_LIMITS.maxReplyBytes;
  }

  prelogin(email: string) {
    return this.request(PreloginAnswer, 'GET', `/api/v1/auth/prelogin?email=${encodeURIComponent(email)}`);
  }

  register(body: { email: string; password: string; kdf: unknown; keys: unknown }) {
    return this.request(RegisterAnswer, 'POST', '/api/v1/auth/register', { body });
  }

  login(body: { email: string; password: string }): Promise<LoginAnswer> {
    return this.request(LoginAnswer, 'POST', '/api/v1/auth/login', { body });
  }

  /**
   * New login material for the account: the server checks `current_password` (the old auth secret)
   * first and revokes every other token; this session's token stays valid.
   */
  changePassword(s: Pick<Session, 'token'>, body: { current_password: string; password: string; kdf: unknown; keys: unknown }) {
    return this.request(PasswordAnswer, 'POST', '/api/v1/auth/password', { token: s.token, body });
  }

  /**
   * Deletes the account on the server, with everything only it holds; `password` is the auth secret,
   * which the server checks again (a token alone is not enough).
   */
  deleteAccount(s: Pick<Session, 'token'>, body: { password: string }) {
    return this.request(DeleteAccountAnswer, 'DELETE', '/api/v1/account', { token: s.token, body });
  }

  async logout(token: string): Promise<void> {
    await this.request(null, 'POST', '/api/v1/auth/logout', { token, body: {} });
  }

  memberships(token: string) {
    return this.request(MembershipsAnswer, 'GET', '/api/v1/org/memberships', { token });
  }

  /** Idempotent: a safe that already exists with this id in this org is answered as it is. */
  createSafe(s: Session, safe: { id: string; name: string }) {
    return this.request(SafeAnswer, 'POST', '/api/v1/safes', { ...s, body: safe });
  }

  async deleteSafe(s: Session, id: string): Promise<void> {
    await this.request(null, 'DELETE', `/api/v1/safes/${encodeURIComponent(id)}`, s);
  }

  pull(s: Session, cursor: string | undefined, limit = 1000): Promise<PullPage> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor) query.set('cursor', cursor);
    // The same contract as PullPage's, with a fast path for the thousands of items a page holds (pull-page.ts).
    return this.request({ safeParse: (json: unknown) => fitted(parsePullPage(json)) }, 'GET', `/api/v1/sync?${query}`, s);
  }

  async push(s: Session, items: ItemWrite[]): Promise<WriteResult[]> {
    const answer = await this.request(PushAnswer, 'POST', '/api/v1/items/batch', { ...s, body: { items } });
    const sent = new Set(items.map((i) => i.id));
    // One result per item sent, for no other item: anything else is not an answer to this batch.
    if (answer.results.length !== items.length || !answer.results.every((r) => sent.delete(r.id))) {
      throw badResponse();
    }
    return answer.results;
  }

  /** Earlier copies of one item the server kept (opened and checked by the vault before any is used). */
  async revisions(s: Session, id: string): Promise<ServerItem[]> {
    const answer = await this.request(RevisionsAnswer, 'GET', `/api/v1/items/${encodeURIComponent(id)}/revisions`, s);
    // Copies of that item only: anything else is not an answer to this question.
    if (!answer.revisions.every((r) => r.id === id && !r.deleted)) throw badResponse();
    return answer.revisions;
  }

  /** `schema` null: an answer whose body is not read (204, or one the caller ignores). */
  private async request<T>(
    schema: Checker<T> | null,
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
    // One signal for the whole exchange: a server that sends headers and then trickles its body is cut off too.
    const signal = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await this.fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body,
        signal,
        credentials: 'omit',
        cache: 'no-store',
        redirect: 'error', // a token is never sent on to wherever a redirect points
      });
      text = await readLimited(response, this.maxReplyBytes, signal);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      if (signal.aborted) throw new ApiError(0, 'timeout', 'The sync server did not answer in time');
      throw new ApiError(0, 'unreachable', 'The sync server could not be reached');
    }
    this.options.onBytes?.(body?.length ?? 0, text.length);
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      const code = (json as { error?: { code?: unknown } } | undefined)?.error?.code;
      throw new ApiError(
        response.status,
        typeof code === 'string' && /^[a-z][a-z0-9_]{0,39}$/.test(code) ? code : `http_${response.status}`,
        `The sync server answered ${response.status}`,
        retryAfterMs(response.headers.get('retry-after')),
      );
    }
    if (schema === null) return undefined as T;
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw badResponse(response.status);
    return parsed.data as T;
  }
}

/** What an answer is checked with: a zod schema of the wire contract, or a check that agrees with one. */
interface Checker<T> {
  safeParse(json: unknown): { success: true; data: T } | { success: false };
}

const fitted = <T>(value: T | undefined): { success: true; data: T } | { success: false } =>
  value === undefined ? { success: false } : { success: true, data: value };

function badResponse(status = 200): ApiError {
  return new ApiError(status, 'bad_response', "The sync server sent an answer that is not the sync API's");
}

/**
 * The body as text, read no further than `max` bytes (a larger answer is refused, not truncated)
 * and no longer than `signal` allows, whether or not the fetch implementation ties its body to it.
 */
async function readLimited(response: Response, max: number, signal: AbortSignal): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await response.body?.cancel().catch(() => undefined);
    throw new ApiError(0, 'too_large', 'The sync server sent an answer larger than Keysmith reads');
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const stop = () => void reader.cancel().catch(() => undefined);
  signal.addEventListener('abort', stop, { once: true });
  try {
    return await readAll(reader, max, signal);
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

async function readAll(reader: ReadableStreamDefaultReader<Uint8Array>, max: number, signal: AbortSignal): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (signal.aborted) throw new ApiError(0, 'timeout', 'The sync server did not answer in time');
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new ApiError(0, 'too_large', 'The sync server sent an answer larger than Keysmith reads');
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
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
