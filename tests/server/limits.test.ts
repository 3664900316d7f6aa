/** Body limit, malformed JSON, rate limits and their headers, and 500s that hide internals. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type Running, startServer, testConfig } from './helpers/harness';
import type { Account } from './helpers/api';

const expectRateHeaders = (headers: Headers) => {
  expect(Number(headers.get('x-ratelimit-limit'))).toBeGreaterThan(0);
  expect(headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
};

describe.each(backends)('request limits (%s)', (backend) => {
  let s: Running;
  let a: Account;
  beforeAll(async () => {
    s = await startServer(backend, testConfig({ toolkit: true })); // default 1 MiB body limit
    a = await s.api.signup('limits');
  });
  afterAll(async () => s?.stop());

  it('answers 413 for a body over 1 MiB and accepts one just under', async () => {
    const safe = await s.api.createSafe(a);
    const big = { items: [{ id: 'big', safe_id: safe, kind: 'secret', baseRevision: 0, ciphertext: { b: 'x'.repeat(1024 * 1024) } }] };
    const res = await s.api.post('/api/v1/items/batch', { token: a.token, org: a.orgId, body: big });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    expectRateHeaders(res.headers);
    const under = { items: [{ ...big.items[0], ciphertext: { b: 'x'.repeat(1000 * 1000) } }] };
    const ok = await s.api.post('/api/v1/items/batch', { token: a.token, org: a.orgId, body: under });
    expect(ok.status).toBe(200);
  });

  it('answers 400 for malformed JSON on every JSON route', async () => {
    const routes: [string, string][] = [
      ['POST', '/api/v1/auth/register'],
      ['POST', '/api/v1/auth/login'],
      ['POST', '/api/v1/safes'],
      ['POST', '/api/v1/items/batch'],
      ['POST', '/v1/auth/encrypt'],
    ];
    for (const [method, path] of routes) {
      const res = await s.api.call(method, path, { token: a.token, org: a.orgId, raw: '{"oops":' });
      expect(res.status, path).toBe(400);
      expect(res.body.error.code, path).toBe('malformed_json');
      expectRateHeaders(res.headers);
    }
  });

  it('puts x-ratelimit headers on successes and on every kind of error', async () => {
    const replies = await Promise.all([
      s.api.get('/healthz'),
      s.api.get('/api/v1/org/memberships', { token: a.token }),
      s.api.get('/api/v1/org/memberships'),
      s.api.get('/api/v1/safes', { token: a.token }),
      s.api.get('/api/v1/safes', { token: a.token, org: '00000000-0000-4000-8000-000000000000' }),
      s.api.get('/no/such/route'),
    ]);
    expect(replies.map((r) => r.status)).toEqual([200, 200, 401, 400, 403, 404]);
    for (const r of replies) expectRateHeaders(r.headers);
  });
});

describe.each(backends)('rate limiting (%s)', (backend) => {
  let s: Running;
  beforeAll(async () => {
    s = await startServer(backend, testConfig({ rateLimit: { perAddress: 40, perToken: 5, windowSeconds: 60 } }));
  });
  afterAll(async () => s?.stop());

  it('limits each token, then each address, with 429 and Retry-After', async () => {
    const a = await s.api.signup('rl-a');
    const b = await s.api.signup('rl-b');
    const statuses: number[] = [];
    let last: Headers | undefined;
    for (let i = 0; i < 7; i++) {
      const res = await s.api.get('/api/v1/org/memberships', { token: a.token });
      statuses.push(res.status);
      expectRateHeaders(res.headers);
      if (res.status === 429) last = res.headers;
      else expect(Number(res.headers.get('x-ratelimit-remaining'))).toBe(4 - i);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(Number(last!.get('retry-after'))).toBeGreaterThan(0);
    expect(last!.get('x-ratelimit-remaining')).toBe('0');
    // Another token has its own budget.
    expect((await s.api.get('/api/v1/org/memberships', { token: b.token })).status).toBe(200);

    // The address budget (40) runs out for everyone from 127.0.0.1.
    let res: Awaited<ReturnType<typeof s.api.get<any>>> | undefined;
    for (let i = 0; i < 40; i++) res = await s.api.get('/healthz');
    expect(res!.status).toBe(429);
    expect(Number(res!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(res!.body.error.code).toBe('rate_limited');
  });
});

describe.each(backends)('internal errors (%s)', (backend) => {
  it('answers 500 without internals when the database is gone', async () => {
    const s = await startServer(backend, testConfig({ bodyLimitBytes: 2048 }));
    const a = await s.api.signup('boom');
    const tooBig = await s.api.post('/api/v1/safes', { token: a.token, org: a.orgId, body: { name: 'x'.repeat(3000) } });
    expect(tooBig.status).toBe(413); // the configured limit applies
    await s.database.close();
    try {
      const res = await s.api.get('/api/v1/org/memberships', { token: a.token });
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: { code: 'internal', message: expect.any(String) } });
      expect(JSON.stringify(res.body)).not.toMatch(/select|pglite|postgres|closed|stack|at /i);
      expectRateHeaders(res.headers);
    } finally {
      await s.server.close();
    }
  });
});
