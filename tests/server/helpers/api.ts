/** A tiny fetch client for tests: every call returns status, headers and parsed JSON. */

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface CallOptions {
  token?: string;
  org?: string;
  body?: unknown;
  /** Sent as-is instead of JSON.stringify(body). */
  raw?: string;
  headers?: Record<string, string>;
}

export interface Account {
  email: string;
  password: string;
  userId: string;
  orgId: string;
  token: string;
}

let counter = 0;

export class Api {
  constructor(readonly base: string) {}

  async call<T = any>(method: string, path: string, options: CallOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.org) headers['x-active-org-id'] = options.org;
    let body: string | undefined = options.raw;
    if (body === undefined && options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(this.base + path, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // leave as text
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  get = <T = any>(path: string, o?: CallOptions) => this.call<T>('GET', path, o);
  post = <T = any>(path: string, o?: CallOptions) => this.call<T>('POST', path, o);
  patch = <T = any>(path: string, o?: CallOptions) => this.call<T>('PATCH', path, o);
  delete = <T = any>(path: string, o?: CallOptions) => this.call<T>('DELETE', path, o);

  /** Registers a fresh account and logs in. */
  async signup(prefix = 'user', extra: Record<string, unknown> = {}): Promise<Account> {
    const email = `${prefix}-${process.pid}-${++counter}-${Date.now()}@example.test`;
    const password = `pw-${Math.random().toString(36).slice(2)}-long`;
    const reg = await this.post('/api/v1/auth/register', { body: { email, password, ...extra } });
    if (reg.status !== 201) throw new Error(`register failed: ${reg.status} ${JSON.stringify(reg.body)}`);
    const token = await this.login(email, password);
    return { email, password, userId: reg.body.user_id, orgId: reg.body.org_id, token };
  }

  async login(email: string, password: string): Promise<string> {
    const res = await this.post('/api/v1/auth/login', { body: { email, password } });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.access_token;
  }

  async createSafe(account: Account, name = 'Safe'): Promise<string> {
    const res = await this.post('/api/v1/safes', { token: account.token, org: account.orgId, body: { name } });
    if (res.status !== 201) throw new Error(`create safe failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  }

  push(account: Account, items: unknown[]) {
    return this.post('/api/v1/items/batch', { token: account.token, org: account.orgId, body: { items } });
  }

  sync(account: Account, cursor?: string, limit?: number) {
    const q = new URLSearchParams();
    if (cursor) q.set('cursor', cursor);
    if (limit) q.set('limit', String(limit));
    return this.get(`/api/v1/sync?${q}`, { token: account.token, org: account.orgId });
  }
}

/** An item write with made-up ciphertext (the server never looks inside). */
export const item = (id: string, safeId: string, baseRevision = 0, extra: Record<string, unknown> = {}) => ({
  id,
  safe_id: safeId,
  kind: 'secret',
  baseRevision,
  ciphertext: { blob: `ct-${id}-${baseRevision}-${Math.random().toString(36).slice(2, 8)}` },
  ...extra,
});

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
