/**
 * Clients sharing an address (an office NAT, a proxy without TRUST_PROXY) and IPv6 clients with a
 * whole /64: the address lock counts only failures, a correct login takes back its own, and an
 * IPv6 /64 is one client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countAttempt, countFailure, countSuccess, throttleKeys } from '../../server/auth/throttle';
import { addressBucket } from '../../server/http/client-address';
import { backends, type Running, startServer, testConfig } from './helpers/harness';

describe('addressBucket', () => {
  it("keeps IPv4 as it is and takes an IPv6 address's /64", () => {
    expect(addressBucket('203.0.113.7')).toBe('203.0.113.7');
    expect(addressBucket('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:0DB8:0001:0002:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressBucket('::1')).toBe('0:0:0:0::/64');
    expect(addressBucket('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressBucket('::ffff:198.51.100.9')).toBe('198.51.100.9');
    expect(addressBucket('2001:db8:1:2:3:4:1.2.3.4')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('unknown')).toBe('unknown');
  });
});

describe.each(backends)('login throttle behind one shared address (%s)', (backend) => {
  let s: Running;
  // Every request comes from 127.0.0.1: many people behind one address.
  const login = (email: string, password: string) => s.api.post('/api/v1/auth/login', { body: { email, password } });
  beforeAll(async () => {
    s = await startServer(
      backend,
      testConfig({ login: { maxFailures: 10, maxFailuresPerAddress: 10, lockBaseSeconds: 60, lockMaxSeconds: 600 } }),
    );
  });
  afterAll(async () => s?.stop());

  it('counts an attempt while a correct password clears the same row at once, without failing either', async () => {
    // On PostgreSQL these run side by side: the row an attempt counts on may be deleted by a correct
    // password between two statements (each pair of calls once failed the request with a 500).
    const limits = { maxFailures: 1000, maxFailuresPerAddress: 1000, lockBaseSeconds: 60, lockMaxSeconds: 600, addressWindowSeconds: 900 };
    for (let round = 0; round < 60; round++) {
      const keys = throttleKeys(Buffer.alloc(32, 7), `race-${round}@example.test`, '192.0.2.1');
      await countAttempt(s.database.db, keys, limits);
      const results = await Promise.allSettled([
        countAttempt(s.database.db, keys, limits),
        countSuccess(s.database.db, keys, limits),
        countFailure(s.database.db, keys, limits),
        countAttempt(s.database.db, keys, limits),
      ]);
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    }
  });

  it('counts correct logins never, and takes back the typos a correct login explains', async () => {
    // Nine people each mistype once, then get it right: 9 typos, all explained, nobody locked.
    for (let i = 0; i < 3; i++) {
      const person = await s.api.signup(`typo-${i}`);
      for (let j = 0; j < 3; j++) expect((await login(person.email, 'wrong-password')).status).toBe(401);
      expect((await login(person.email, person.password)).status).toBe(200);
    }
    // Nine unexplained failures (someone guessing), then a rush of correct logins: none is counted.
    for (let i = 0; i < 9; i++) expect((await login(`ghost-${i}-${Date.now()}@example.test`, 'Winter2026!')).status).toBe(401);
    const people = await Promise.all(Array.from({ length: 6 }, (_, i) => s.api.signup(`rush-${i}`)));
    const rush = await Promise.all(people.map((p) => login(p.email, p.password)));
    expect(rush.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    // The tenth unexplained failure still locks the address: guessing stays bounded.
    expect((await login(`ghost-last-${Date.now()}@example.test`, 'Winter2026!')).status).toBe(401);
    const locked = await login(people[0]!.email, people[0]!.password);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(30);
  });

  it('does not let a correct login to one account wipe guesses at others', async () => {
    const other = await startServer(backend, testConfig({ login: { maxFailures: 10, maxFailuresPerAddress: 5, lockBaseSeconds: 60 } }));
    try {
      const mine = await other.api.signup('mine');
      const attempt = (email: string, password: string) => other.api.post('/api/v1/auth/login', { body: { email, password } });
      for (let i = 0; i < 4; i++) {
        expect((await attempt(`victim-${i}-${Date.now()}@example.test`, 'guess')).status).toBe(401);
        expect((await attempt(mine.email, mine.password)).status).toBe(200);
      }
      expect((await attempt(`victim-4-${Date.now()}@example.test`, 'guess')).status).toBe(401);
      expect((await attempt(`victim-5-${Date.now()}@example.test`, 'guess')).status).toBe(429);
    } finally {
      await other.stop();
    }
  });
});

describe.each(backends)('IPv6 clients counted per /64 (%s)', (backend) => {
  let s: Running;
  const from = (xff: string) => ({ headers: { 'x-forwarded-for': xff } });
  beforeAll(async () => {
    s = await startServer(
      backend,
      testConfig({
        trustProxy: 1,
        rateLimit: { perAddress: 200 },
        login: { maxFailures: 10, maxFailuresPerAddress: 5, lockBaseSeconds: 60 },
      }),
    );
  });
  afterAll(async () => s?.stop());

  it('locks a /64 guessing from a fresh address each time, and not the /64 next door', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 6; i++) {
      const res = await s.api.post('/api/v1/auth/login', {
        body: { email: `v6-${i}-${Date.now()}@example.test`, password: 'guess' },
        ...from(`2001:db8:77:1::${i.toString(16)}`),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const neighbour = await s.api.signup('neighbour');
    const res = await s.api.post('/api/v1/auth/login', {
      body: { email: neighbour.email, password: neighbour.password },
      ...from('2001:db8:77:2::1'),
    });
    expect(res.status).toBe(200);
  });

  it('counts a /64 as one client for the per-address rate limit', async () => {
    const limited = await startServer(backend, testConfig({ trustProxy: 1, rateLimit: { perAddress: 3, windowSeconds: 60 } }));
    try {
      const statuses: number[] = [];
      for (let i = 1; i <= 4; i++) statuses.push((await limited.api.get('/healthz', from(`2001:db8:88:1:${i}::1`))).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect((await limited.api.get('/healthz', from('2001:db8:88:2::1'))).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });
});
