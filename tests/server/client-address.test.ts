/** TRUST_PROXY: whose address the per-address rate limit and the login throttle count. */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../server/config';
import { clientAddressFrom } from '../../server/http/client-address';
import { backends, type Running, startServer, testConfig } from './helpers/harness';

const PEER = '127.0.0.1';

describe('clientAddressFrom', () => {
  it('ignores X-Forwarded-For entirely when no proxy is trusted', () => {
    expect(clientAddressFrom('203.0.113.7', 0, PEER)).toBe(PEER);
    expect(clientAddressFrom('203.0.113.7, 198.51.100.2', 0, PEER)).toBe(PEER);
  });

  it('takes the N-th address from the right behind N proxies', () => {
    expect(clientAddressFrom('203.0.113.7', 1, PEER)).toBe('203.0.113.7');
    // The client wrote the left part; our one proxy appended the address it saw.
    expect(clientAddressFrom('10.0.0.1, 203.0.113.7', 1, PEER)).toBe('203.0.113.7');
    expect(clientAddressFrom('forged, 1.2.3.4,203.0.113.7', 1, PEER)).toBe('203.0.113.7');
    // Two proxies: the outer one appended the client, the inner one the outer one.
    expect(clientAddressFrom('1.2.3.4, 203.0.113.7, 10.0.0.2', 2, PEER)).toBe('203.0.113.7');
    expect(clientAddressFrom('203.0.113.7, 10.0.0.2', 2, PEER)).toBe('203.0.113.7');
    expect(clientAddressFrom('9.9.9.9, 203.0.113.7, 10.0.0.3, 10.0.0.2', 3, PEER)).toBe('203.0.113.7');
  });

  it('falls back to the TCP peer when the header has fewer entries than trusted proxies', () => {
    expect(clientAddressFrom('203.0.113.7', 2, PEER)).toBe(PEER);
    expect(clientAddressFrom('203.0.113.7, 10.0.0.2', 3, PEER)).toBe(PEER);
    expect(clientAddressFrom(undefined, 1, PEER)).toBe(PEER);
    expect(clientAddressFrom(null, 1, PEER)).toBe(PEER);
    expect(clientAddressFrom('', 1, PEER)).toBe(PEER);
  });

  it('falls back to the TCP peer when the trusted entry is not an address', () => {
    for (const junk of ['unknown', '_hidden', 'not an ip', '1.2.3.4, ', '1.2.3', '[::1', '999.1.1.1']) {
      expect(clientAddressFrom(junk, 1, PEER), junk).toBe(PEER);
    }
  });

  it('reads IPv6, and drops ports and brackets some proxies add', () => {
    expect(clientAddressFrom('2001:DB8::1', 1, PEER)).toBe('2001:db8::1');
    expect(clientAddressFrom('[2001:db8::1]:4711', 1, PEER)).toBe('2001:db8::1');
    expect(clientAddressFrom('[2001:db8::1]', 1, PEER)).toBe('2001:db8::1');
    expect(clientAddressFrom('203.0.113.7:4711', 1, PEER)).toBe('203.0.113.7');
  });
});

describe('TRUST_PROXY setting', () => {
  it('defaults to 0 and takes a small whole number', () => {
    expect(loadSettings({}).config.trustProxy).toBe(0);
    expect(loadSettings({ TRUST_PROXY: '' }).config.trustProxy).toBe(0);
    expect(loadSettings({ TRUST_PROXY: '0' }).config.trustProxy).toBe(0);
    expect(loadSettings({ TRUST_PROXY: '2' }).config.trustProxy).toBe(2);
  });

  it('refuses anything else at start-up, with words', () => {
    for (const bad of ['true', 'yes', '-1', '1.5', '10.0.0.1', '11', 'loopback']) {
      expect(() => loadSettings({ TRUST_PROXY: bad }), bad).toThrow(
        `TRUST_PROXY must be the number of reverse proxies in front of the server, a whole number from 0 (none: X-Forwarded-For is ignored) to 10, got "${bad}"`,
      );
    }
  });
});

/** A GET with X-Forwarded-For given as separate header lines (node:http sends each one). */
function getWithForwardedLines(url: string, lines: string[]): Promise<{ status: number; remaining: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { 'x-forwarded-for': lines } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, remaining: res.headers['x-ratelimit-remaining'] as string | undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.each(backends)('rate-limit buckets behind a reverse proxy (%s)', (backend) => {
  const limit = 4;
  const from = (s: Running, xff: string) => s.api.get('/healthz', { headers: { 'x-forwarded-for': xff } });

  describe('TRUST_PROXY=1', () => {
    let s: Running;
    beforeAll(async () => {
      s = await startServer(backend, testConfig({ trustProxy: 1, rateLimit: { perAddress: limit, windowSeconds: 60 } }));
    });
    afterAll(async () => s?.stop());

    it('gives two forwarded clients separate buckets; what a client prepends does not matter', async () => {
      const a: number[] = [];
      for (let i = 0; i < limit; i++) a.push((await from(s, `forged-${i}, 203.0.113.1`)).status);
      expect(a).toEqual([200, 200, 200, 200]);
      const over = await from(s, '198.51.100.99, 203.0.113.1');
      expect(over.status).toBe(429); // same client, whatever it forged on the left
      expect(over.headers.get('retry-after')).toBeTruthy();

      const b = await from(s, '203.0.113.1, 203.0.113.2'); // another client (it even forged A's address)
      expect(b.status).toBe(200);
      expect(b.headers.get('x-ratelimit-remaining')).toBe(String(limit - 1));

      // Several X-Forwarded-For lines are one list: the last entry of the last line is the client.
      const lines = await getWithForwardedLines(`${s.url}/healthz`, ['203.0.113.1', '203.0.113.3']);
      expect(lines).toEqual({ status: 200, remaining: String(limit - 1) });
    });

    it('counts login failures per forwarded client, so one client cannot lock out another', async () => {
      const strict = await startServer(backend, testConfig({ trustProxy: 1, login: { maxFailures: 3, lockBaseSeconds: 60 } }));
      try {
        const a = await strict.api.signup('proxied');
        const login = (xff: string, password: string) =>
          strict.api.post('/api/v1/auth/login', { body: { email: a.email, password }, headers: { 'x-forwarded-for': xff } });
        for (let i = 0; i < 3; i++) expect((await login('203.0.113.66', 'wrong-password')).status).toBe(401);
        expect((await login('203.0.113.66', a.password)).status).toBe(429);
        expect((await login('203.0.113.10', a.password)).status).toBe(200);
      } finally {
        await strict.stop();
      }
    });
  });

  describe('TRUST_PROXY=0 (the default)', () => {
    let s: Running;
    beforeAll(async () => {
      s = await startServer(backend, testConfig({ rateLimit: { perAddress: limit, windowSeconds: 60 } }));
    });
    afterAll(async () => s?.stop());

    it('puts every X-Forwarded-For value in the one bucket of the TCP peer', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < limit + 1; i++) statuses.push((await from(s, `203.0.113.${i + 1}`)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 429]);
      expect((await s.api.get('/healthz')).status).toBe(429); // no header: the same peer, the same bucket
    });
  });
});
