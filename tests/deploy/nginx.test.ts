/**
 * docs/deploy/keysmith.nginx.conf as it is, run by Debian's nginx with a certificate made here, in
 * front of two server processes on one PostgreSQL: TLS and HTTP/2, the client addresses the server
 * sees through it (TRUST_PROXY=1), the login lockout holding across both processes, and the warning
 * when TRUST_PROXY is left unset behind it.
 */
import { connect } from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callVia } from './client';
import { type Stack, startStack, waitFor } from './stack';

const LIMITS = {
  KEYSMITH_LOGIN_MAX_FAILURES: '4',
  KEYSMITH_LOGIN_MAX_FAILURES_PER_ADDRESS: '50',
  KEYSMITH_RATE_LIMIT_PER_ADDRESS: '30',
};

const loginLines = (stack: Stack, process: 0 | 1) =>
  stack.servers[process].lines().filter((l) => l.msg === 'request' && l.route === '/api/v1/auth/login');

describe('behind the nginx site, two processes, TRUST_PROXY=1', () => {
  let stack: Stack;
  const call = (from: string, method: string, path: string, options?: Parameters<typeof callVia>[5]) =>
    callVia(stack.nginx.url, stack.cert.pem, from, method, path, options);

  beforeAll(async () => {
    stack = await startStack({ TRUST_PROXY: '1', ...LIMITS });
  }, 120_000);
  afterAll(() => stack?.stop());

  it('speaks HTTP/2 over TLS with HSTS, redirects plain http, and keeps /metrics off the Internet', async () => {
    const session = connect(stack.nginx.url, { ca: stack.cert.pem });
    try {
      const answer = await new Promise<{ status: number; hsts: unknown; body: string; alpn: unknown }>((resolve, reject) => {
        const stream = session.request({ ':path': '/healthz' });
        let body = '';
        let headers: Record<string, unknown> = {};
        stream.on('response', (h) => (headers = h));
        stream.on('data', (d) => (body += d));
        stream.on('end', () =>
          resolve({ status: headers[':status'] as number, hsts: headers['strict-transport-security'], body, alpn: session.alpnProtocol }),
        );
        stream.on('error', reject);
      });
      expect(answer.alpn).toBe('h2');
      expect(answer.status).toBe(200);
      expect(answer.hsts).toBe('max-age=63072000');
      expect(JSON.parse(answer.body)).toEqual({ status: 'ok', database: 'postgres' });
    } finally {
      session.close();
    }
    const plain = await fetch(`${stack.nginx.httpUrl}/healthz`, { redirect: 'manual' });
    expect(plain.status).toBe(301);
    expect(plain.headers.get('location')).toMatch(/^https:\/\//);
    expect((await call('127.0.0.9', 'GET', '/metrics')).status).toBe(404);
  });

  it('sees each client by its own address: one client locked out by its failed logins, on both processes, does not lock out another', async () => {
    const email = `owner-${Date.now()}@example.test`;
    const password = 'the owner knows this password';
    expect((await call('127.0.0.10', 'POST', '/api/v1/auth/register', { body: { email, password } })).status).toBe(201);

    // The guesser fails four times (the limit), alternating between the two processes…
    for (let i = 0; i < 4; i++) {
      const guess = await call('127.0.0.2', 'POST', '/api/v1/auth/login', { body: { email, password: `guess ${i}` } });
      expect(guess.status, `guess ${i}`).toBe(401);
    }
    // …and is then locked out by every process, even with the right password, even claiming another address.
    for (let i = 0; i < 4; i++) {
      const locked = await call('127.0.0.2', 'POST', '/api/v1/auth/login', {
        body: { email, password },
        headers: { 'x-forwarded-for': `198.51.100.${i}` },
      });
      expect(locked.status, `attempt ${i} after the lock`).toBe(429);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    }
    // The owner, from another address, signs in on either process.
    for (let i = 0; i < 2; i++) {
      const owner = await call('127.0.0.3', 'POST', '/api/v1/auth/login', { body: { email, password } });
      expect(owner.status, `owner's login ${i}`).toBe(200);
    }

    // Both processes answered failures and locks: the lockout is shared, not per process.
    const statuses = (p: 0 | 1) => loginLines(stack, p).map((l) => l.status);
    await waitFor(async () => statuses(0).length + statuses(1).length === 10, 'the login log lines', 5000);
    for (const p of [0, 1] as const) {
      expect(statuses(p)).toContain(401);
      expect(statuses(p)).toContain(429);
      expect(statuses(p)).toContain(200);
    }
  }, 120_000);

  it('counts the per-address request limit per client address, each process on its own', async () => {
    let limitedAt = 0;
    for (let i = 1; i <= 62; i++) {
      const answer = await call('127.0.0.4', 'GET', '/healthz');
      if (answer.status === 429) {
        limitedAt = i;
        break;
      }
      expect(answer.status).toBe(200);
    }
    // 30 a minute per process, nginx taking turns: the 61st request is the first one refused.
    expect(limitedAt).toBe(61);
    expect((await call('127.0.0.5', 'GET', '/healthz')).status).toBe(200);
    expect((await call('127.0.0.5', 'GET', '/healthz')).status).toBe(200);
  }, 60_000);
});

describe('behind the nginx site with TRUST_PROXY unset', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ TRUST_PROXY: '', ...LIMITS });
  }, 120_000);
  afterAll(() => stack?.stop());

  it('warns at start, in the log and in /healthz of each process that sees a forwarded request', async () => {
    for (const server of stack.servers) {
      expect(server.lines().some((l) => l.warning === 'trust_proxy_unset')).toBe(true);
      // Straight to the process: no proxy involved yet, no warning.
      expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok', database: 'postgres' });
    }
    for (let i = 0; i < 2; i++) {
      const health = await callVia(stack.nginx.url, stack.cert.pem, '127.0.0.6', 'GET', '/healthz');
      expect(health.status).toBe(200);
      expect(health.body.warnings).toEqual([expect.objectContaining({ code: 'untrusted_proxy' })]);
    }
    for (const server of stack.servers) {
      // The log line reaches us through the process's stdout pipe, a moment after the answer.
      await waitFor(async () => server.lines().some((l) => l.warning === 'untrusted_proxy'), 'the warning in the log', 5000);
      expect(server.lines().filter((l) => l.warning === 'untrusted_proxy')).toHaveLength(1);
    }
  });
});
