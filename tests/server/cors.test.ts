/** CORS: the extension's own pages may read the API; web pages get no CORS answer at all. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type Running, startServer, testConfig } from './helpers/harness';
import type { Account } from './helpers/api';

const CHROME = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
const FIREFOX = 'moz-extension://0f3e7d52-6c1a-4b8e-9d2f-5a6b7c8d9e0f';
const WEB_PAGES = [
  'https://evil.example',
  'http://127.0.0.1:8787',
  'null',
  'chrome-extension://short',
  'chrome-extension://abcdefghijklmnopabcdefghijklmnoz', // z is not in a Chromium id
  `${CHROME}.evil.example`,
  `https://${CHROME.slice('chrome-extension://'.length)}`,
  'moz-extension://not-a-uuid',
  `${FIREFOX}/`,
];

const corsHeaders = (headers: Headers) => [...headers.keys()].filter((name) => name.startsWith('access-control-'));

describe.each(backends)('CORS (%s)', (backend) => {
  let s: Running;
  let a: Account;
  beforeAll(async () => {
    s = await startServer(backend, testConfig({ rateLimit: { perAddress: 100_000, perToken: 3 } }));
    a = await s.api.signup('cors');
  });
  afterAll(async () => s?.stop());

  const preflight = (origin: string, method = 'GET', requestHeaders = 'authorization,x-active-org-id') =>
    s.api.call('OPTIONS', '/api/v1/safes', {
      headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': requestHeaders },
    });

  it.each([CHROME, FIREFOX])('answers the preflight of %s, echoing its origin', async (origin) => {
    const res = await preflight(origin, 'POST', 'authorization,content-type,x-active-org-id');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    expect(res.headers.get('vary')).toMatch(/\bOrigin\b/);
    expect(res.headers.get('access-control-allow-methods')!.split(',')).toEqual(['GET', 'POST', 'PATCH', 'DELETE']);
    expect(res.headers.get('access-control-allow-headers')!.split(',')).toEqual(['Authorization', 'Content-Type', 'X-Active-Org-Id']);
    expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull(); // bearer tokens, no cookies
  });

  it.each([CHROME, FIREFOX])('lets %s read answers and the rate-limit headers, errors included', async (origin) => {
    const expectReadable = (headers: Headers) => {
      expect(headers.get('access-control-allow-origin')).toBe(origin);
      expect(headers.get('access-control-expose-headers')!.split(',')).toEqual([
        'Retry-After',
        'x-ratelimit-limit',
        'x-ratelimit-remaining',
      ]);
      expect(headers.get('vary')).toMatch(/\bOrigin\b/);
    };
    const token = await s.api.login(a.email, a.password);
    const ok = await s.api.get('/api/v1/safes', { token, org: a.orgId, headers: { origin } });
    expect(ok.status).toBe(200);
    expectReadable(ok.headers);
    const created = await s.api.post('/api/v1/safes', { token, org: a.orgId, body: { name: 'From the popup' }, headers: { origin } });
    expect(created.status).toBe(201);
    expectReadable(created.headers);
    const unauthorized = await s.api.get('/api/v1/safes', { org: a.orgId, headers: { origin } });
    expect(unauthorized.status).toBe(401);
    expectReadable(unauthorized.headers);
    expect((await s.api.get(`/api/v1/safes/${created.body.id}`, { token, org: a.orgId, headers: { origin } })).status).toBe(200);
    // This token has had 3 requests (its limit): the next is a 429 the extension can read.
    const limited = await s.api.get('/api/v1/safes', { token, org: a.orgId, headers: { origin } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeTruthy();
    expectReadable(limited.headers);
  });

  it('gives any other origin no CORS headers at all, on the preflight or on the answer', async () => {
    for (const origin of WEB_PAGES) {
      const pre = await preflight(origin, 'POST', 'content-type');
      expect(corsHeaders(pre.headers), origin).toEqual([]);
      expect(pre.status, origin).not.toBe(204);
      const token = await s.api.login(a.email, a.password);
      const res = await s.api.get('/api/v1/org/memberships', { token, headers: { origin } });
      expect(res.status, origin).toBe(200);
      expect(corsHeaders(res.headers), origin).toEqual([]);
      expect(res.headers.get('vary'), origin).toMatch(/\bOrigin\b/);
      const write = await s.api.post('/api/v1/auth/login', { body: { email: a.email, password: 'wrong-password' }, headers: { origin } });
      expect(corsHeaders(write.headers), origin).toEqual([]);
    }
  });

  it('sends no CORS headers to requests without an Origin', async () => {
    const res = await s.api.get('/healthz');
    expect(corsHeaders(res.headers)).toEqual([]);
    const pre = await s.api.call('OPTIONS', '/api/v1/safes', { headers: { 'access-control-request-method': 'GET' } });
    expect(corsHeaders(pre.headers)).toEqual([]);
  });
});
