/**
 * docs/deploy/keysmith.nginx.conf as it is, run by Debian's nginx with a certificate made here, in
 * front of two server processes on one PostgreSQL: TLS and HTTP/2, the client addresses the server
 * sees through it (TRUST_PROXY=1), the login lockout and the request and registration limits holding
 * across both processes (WebSocket upgrades included), and the warning
 * when TRUST_PROXY is left unset behind it.
 */
import { connect } from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callVia, upgradeVia } from './client';
import { type Stack, startStack, waitFor } from './stack';

const LIMITS = {
  KEYSMITH_LOGIN_MAX_FAILURES: '4',
  KEYSMITH_LOGIN_MAX_FAILURES_PER_ADDRESS: '50',
  KEYSMITH_RATE_LIMIT_PER_ADDRESS: '30',
  KEYSMITH_REGISTRATION_PER_ADDRESS: '2',
};

const requestLines = (stack: Stack, process: 0 | 1, route: string) =>
  stack.servers[process].lines().filter((l) => l.msg === 'request' && l.route === route);
const loginLines = (stack: Stack, process: 0 | 1) => requestLines(stack, process, '/api/v1/auth/login');

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

  it('counts the per-address request limit once across both processes, WebSocket upgrades included', async () => {
    const healthz = (p: 0 | 1) => requestLines(stack, p, '/healthz').map((l) => l.status);
    const before = [healthz(0).length, healthz(1).length];
    let limitedAt = 0;
    for (let i = 1; i <= 40; i++) {
      // Every tenth is a live-update upgrade, which spends the same budget.
      const status =
        i % 10 === 0 ? await upgradeVia(stack.nginx.url, stack.cert.pem, '127.0.0.4') : (await call('127.0.0.4', 'GET', '/healthz')).status;
      if (status === 429) {
        limitedAt = i;
        break;
      }
      expect(status, `request ${i}`).toBe(i % 10 === 0 ? 101 : 200);
    }
    // 30 a minute per address, whichever process nginx hands each request to: the 31st is refused.
    expect(limitedAt).toBe(31);
    const refused = await call('127.0.0.4', 'GET', '/healthz');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await upgradeVia(stack.nginx.url, stack.cert.pem, '127.0.0.4')).toBe(429);
    // Both processes served this address and both refused it: one budget, not one per process.
    await waitFor(async () => healthz(0).length + healthz(1).length - before[0]! - before[1]! === 29, 'the healthz log lines', 5000);
    for (const p of [0, 1] as const) {
      const mine = healthz(p).slice(before[p]);
      expect(mine).toContain(200);
      expect(mine).toContain(429);
    }
    // Another client has its own budget.
    expect((await call('127.0.0.5', 'GET', '/healthz')).status).toBe(200);
    expect(await upgradeVia(stack.nginx.url, stack.cert.pem, '127.0.0.5')).toBe(101);
  }, 60_000);

  it('counts registrations per client address once across both processes', async () => {
    const register = (from: string, i: number) =>
      call(from, 'POST', '/api/v1/auth/register', { body: { email: `r${i}-${Date.now()}@example.test`, password: 'long enough' } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await register('127.0.0.7', i)).status);
    // Two an hour per address (KEYSMITH_REGISTRATION_PER_ADDRESS), nginx taking turns between the processes.
    expect(statuses).toEqual([201, 201, 429, 429]);
    const registered = (p: 0 | 1) => requestLines(stack, p, '/api/v1/auth/register').map((l) => l.status);
    await waitFor(async () => registered(0).includes(429) && registered(1).includes(429), 'both processes to refuse', 5000);
    expect((await register('127.0.0.8', 9)).status).toBe(201);
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
