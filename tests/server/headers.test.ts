/** `Cache-Control: no-store`, `X-Content-Type-Options: nosniff` and `Vary: Origin` on every answer, errors and preflights included. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type Running, startServer, testConfig } from './helpers/harness';
import type { Account, Reply } from './helpers/api';

describe.each(backends)('security headers (%s)', (backend) => {
  let s: Running;
  let a: Account;
  beforeAll(async () => {
    s = await startServer(backend, testConfig({ bodyLimitBytes: 4096, rateLimit: { perToken: 3 } }));
    a = await s.api.signup('headers');
  });
  afterAll(async () => s?.stop());

  const expectHeaders = (label: string, res: Reply) => {
    expect(res.headers.get('cache-control'), label).toBe('no-store');
    expect(res.headers.get('x-content-type-options'), label).toBe('nosniff');
  };

  it('stamps every kind of answer', async () => {
    const origin = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
    const login = await s.api.post('/api/v1/auth/login', { body: { email: a.email, password: a.password } });
    expect(login.status).toBe(200); // carries a bearer token and the wrapped keys
    const answers: [string, Reply][] = [
      ['login', login],
      ['healthz', await s.api.get('/healthz')],
      ['openapi', await s.api.get('/openapi.json')],
      ['prelogin', await s.api.get(`/api/v1/auth/prelogin?email=${encodeURIComponent(a.email)}`)],
      ['register', await s.api.post('/api/v1/auth/register', { body: { email: `h-${Date.now()}@example.test`, password: 'long-enough' } })],
      ['401', await s.api.get('/api/v1/safes', { org: a.orgId })],
      ['404', await s.api.get('/no/such/route')],
      ['400', await s.api.post('/api/v1/auth/login', { raw: '{not json' })],
      ['413', await s.api.post('/api/v1/auth/login', { raw: JSON.stringify({ email: 'x'.repeat(5000) }) })],
      ['preflight', await s.api.call('OPTIONS', '/api/v1/safes', { headers: { origin, 'access-control-request-method': 'GET' } })],
      ['extension', await s.api.get('/api/v1/safes', { token: a.token, org: a.orgId, headers: { origin } })],
    ];
    for (let i = 0; i < 4; i++) answers.push([`token ${i}`, await s.api.get('/api/v1/safes', { token: a.token, org: a.orgId })]);
    expect(answers.map(([, r]) => r.status)).toEqual([200, 200, 200, 200, 201, 401, 404, 400, 413, 204, 200, 200, 200, 429, 429]);
    for (const [label, res] of answers) expectHeaders(label, res);
    // The answer depends on Origin, with or without one: caches must key on it (errors included).
    for (const [label, res] of answers) expect(res.headers.get('vary') ?? '', label).toMatch(/\bOrigin\b/i);
  });
});
