// Findings of a security review of the server: each test failed on the code before its fix.
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LegacyHashes } from '../../server/auth/legacy-hashes';
import { hashPassword } from '../../server/auth/password';
import { loadSettings } from '../../server/config';
import { giveLegacyHash } from './helpers/legacy-hash';
import { backends, createStore, type Running, startOn, startServer, type Store, testConfig } from './helpers/harness';

/** A JSON POST from a chosen loopback source address, so the server sees another client. */
function postFrom(from: string, url: string, body: unknown): Promise<{ status: number; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = request(
      url,
      { method: 'POST', localAddress: from, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

describe.each(backends)('login throttling against abuse (%s)', (backend) => {
  let s: Running;
  const login = (from: string, email: string, password: string) => postFrom(from, `${s.url}/api/v1/auth/login`, { email, password });
  beforeAll(async () => {
    s = await startServer(
      backend,
      testConfig({ login: { maxFailures: 10, maxFailuresPerAddress: 25, lockBaseSeconds: 60, lockMaxSeconds: 600 } }),
    );
  });
  afterAll(async () => s?.stop());

  it('checks at most the limit of 40 concurrent wrong passwords, counting each before its check', async () => {
    const a = await s.api.signup('burst');
    const replies = await Promise.all(Array.from({ length: 40 }, () => login('127.0.0.4', a.email, 'wrong-password')));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((x) => x === 401).length).toBeLessThanOrEqual(10);
    expect(statuses.filter((x) => x === 429).length).toBeGreaterThanOrEqual(30);
    expect(statuses.every((x) => x === 401 || x === 429)).toBe(true);
  });

  it('a lockout caused from one address does not lock the owner out from theirs', async () => {
    const victim = await s.api.signup('victim');
    for (let i = 0; i < 10; i++) expect((await login('127.0.0.2', victim.email, 'wrong-password')).status).toBe(401);
    const attacker = await login('127.0.0.2', victim.email, victim.password);
    expect(attacker.status).toBe(429); // even the right password, from the attacking address
    expect((await login('127.0.0.1', victim.email, victim.password)).status).toBe(200);
  });

  it('one address guessing across many accounts is locked after the per-address limit', async () => {
    const replies = [];
    for (let i = 0; i < 26; i++) replies.push((await login('127.0.0.3', `spray-${i}-${Date.now()}@example.test`, 'Winter2026!')).status);
    expect(replies.slice(0, 25).every((x) => x === 401)).toBe(true);
    expect(replies[25]).toBe(429);
    const someone = await s.api.signup('elsewhere'); // other addresses are unaffected
    expect((await login('127.0.0.1', someone.email, someone.password)).status).toBe(200);
  });

  it('stores neither e-mails nor client addresses in the clear', async () => {
    const a = await s.api.signup('counted');
    for (let i = 0; i < 3; i++) await login('127.0.0.5', a.email, 'wrong-password');
    const result = await s.database.db.execute(sql`select key, failures from login_throttle`);
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { key: string; failures: number }[];
    const text = JSON.stringify(rows);
    expect(text).not.toContain('example.test');
    expect(text).not.toContain('127.0.0');
    expect(rows.some((r) => r.failures === 3)).toBe(true); // the pair (counted.., 127.0.0.5)
  });
});

describe.each(backends)('requests a web page could forge (%s)', (backend) => {
  let s: Running;
  beforeAll(async () => {
    s = await startServer(backend);
  });
  afterAll(async () => s?.stop());

  it('JSON routes refuse bodies that are not declared as JSON (no CSRF through simple requests)', async () => {
    const a = await s.api.signup('csrf');
    const body = JSON.stringify({ email: a.email, password: a.password });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await s.api.post('/api/v1/auth/login', { raw: body, headers: { 'content-type': type } });
      expect(res.status, type).toBe(415);
      expect(res.body.error.code).toBe('unsupported_media_type');
    }
    const safe = await s.api.post('/api/v1/safes', {
      token: a.token,
      org: a.orgId,
      raw: '{"name":"x"}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(safe.status).toBe(415);
    expect(
      (await s.api.post('/api/v1/auth/login', { raw: body, headers: { 'content-type': 'application/json; charset=utf-8' } })).status,
    ).toBe(200);
  });
});

describe.each(backends)('Toolkit CPU limits (%s)', (backend) => {
  let s: Running;
  beforeAll(async () => {
    s = await startServer(backend, testConfig({ toolkit: true }));
  });
  afterAll(async () => s?.stop());

  it('refuses more PBKDF2 iterations than the client ever uses, before running any', async () => {
    const a = await s.api.signup('toolkit');
    for (const path of ['/v1/auth/encrypt', '/v1/auth/decrypt']) {
      const started = Date.now();
      const res = await s.api.post(path, {
        token: a.token,
        body: {
          plaintext: 'x',
          ciphertext: 'AAAA',
          iv: 'AAAAAAAAAAAAAAAA',
          tag: 'AAAAAAAAAAAAAAAAAAAAAA==',
          salt: 'AAAAAAAAAAAAAAAAAAAAAA==',
          password: 'p',
          iterations: 10_000_000,
        },
      });
      expect(res.status, path).toBe(400);
      expect(res.body.error.message).toBe('iterations must be at most 2,000,000.');
      expect(Date.now() - started).toBeLessThan(1000);
    }
  });

  it('lets one user run only a couple of Toolkit requests at once', async () => {
    const a = await s.api.signup('busy');
    const keypair = () => s.api.post('/v1/auth/generate-keypair', { token: a.token, body: { algorithm: 'RSA', key_size: 4096 } });
    const replies = await Promise.all([keypair(), keypair(), keypair(), keypair()]);
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses.filter((x) => x === 200).length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((x) => x === 200).length).toBeLessThanOrEqual(2);
    const limited = replies.find((r) => r.status === 429)!;
    expect(limited.headers.get('retry-after')).toBe('1');
    // Another user is not held back by this one.
    const b = await s.api.signup('other');
    expect((await s.api.get('/v1/auth/generate-key?type=uuid-v4', { token: b.token })).status).toBe(200);
  });
});

describe('the stored hash of the auth secret', () => {
  it("is a salted HMAC-SHA-256: a new account's hash is checked against one made here with Node's crypto, and two equal secrets hash apart", () => {
    const [scheme, salt, hash, ...rest] = hashPassword('the auth secret').split('$');
    expect([scheme, rest]).toEqual(['hmac-sha256', []]);
    expect(Buffer.from(salt!, 'base64')).toHaveLength(16);
    expect(hash).toBe(createHmac('sha256', Buffer.from(salt!, 'base64')).update('the auth secret').digest('base64'));
    expect(hashPassword('the auth secret')).not.toBe(hashPassword('the auth secret'));
  });

  it('says at start-up that KEYSMITH_SCRYPT_COST, which earlier servers read, no longer does anything', () => {
    expect(loadSettings({}).retired).toEqual([]);
    expect(loadSettings({ KEYSMITH_SCRYPT_COST: '131072' }).retired).toEqual(['KEYSMITH_SCRYPT_COST']);
  });

  describe.each(backends)('an account an earlier server hashed with scrypt (%s)', (backend) => {
    let store: Store;
    beforeAll(async () => {
      store = await createStore(backend, { persistent: true });
    });
    afterAll(async () => store?.destroy());

    it('still signs in, and its hash becomes an HMAC at that sign-in; a wrong password changes nothing', async () => {
      const server = await startOn(store, testConfig());
      try {
        const a = await server.api.signup('rehash');
        // The hash an earlier server stored: scrypt at N=2^17, its default.
        const email = a.email.toLowerCase();
        const legacy = await giveLegacyHash(server.database.db, email, a.password, 2 ** 17);
        const hashOf = async () => {
          const result = await server.database.db.execute(sql`select password_hash from users where email = ${email}`);
          const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { password_hash: string }[];
          return rows[0]!.password_hash;
        };
        expect((await server.api.post('/api/v1/auth/login', { body: { email: a.email, password: 'wrong-password' } })).status).toBe(401);
        expect(await hashOf()).toBe(legacy);
        await server.api.login(a.email, a.password);
        expect(await hashOf()).toMatch(/^hmac-sha256\$/);
        await server.api.login(a.email, a.password);
        expect((await server.api.post('/api/v1/auth/login', { body: { email: a.email, password: 'wrong-password' } })).status).toBe(401);
      } finally {
        await server.stop();
      }
    });

    it('while one remains, every password check takes a scrypt, an unknown e-mail and a new account alike; once none do, none does', async () => {
      let server = await startOn(store, testConfig());
      const [old, fresh] = [await server.api.signup('legacy-old'), await server.api.signup('legacy-new')];
      await giveLegacyHash(server.database.db, old.email, old.password, 2 ** 12);
      await server.stop();
      server = await startOn(store, testConfig()); // looks for earlier servers' hashes at start
      // Each scrypt a check runs only for its time (the server runs in this process).
      const equalizing = vi.spyOn(LegacyHashes.prototype, 'scryptTime');
      try {
        const login = (email: string, password: string) => server.api.post('/api/v1/auth/login', { body: { email, password } });
        const nobody = () => login(`nobody-${Date.now()}@example.test`, 'not-the-secret');
        expect((await login(fresh.email, fresh.password)).status).toBe(200);
        expect((await nobody()).status).toBe(401);
        expect((await login(fresh.email, 'wrong-password')).status).toBe(401);
        expect(equalizing).toHaveBeenCalledTimes(3);
        // The earlier hash is checked by its own scrypt, then replaced: the last one, so checks stop paying.
        expect((await login(old.email, old.password)).status).toBe(200);
        expect(equalizing).toHaveBeenCalledTimes(3);
        await new Promise((r) => setTimeout(r, 200)); // the look that follows a replaced hash
        expect((await login(fresh.email, fresh.password)).status).toBe(200);
        expect((await nobody()).status).toBe(401);
        expect(equalizing).toHaveBeenCalledTimes(3);
      } finally {
        equalizing.mockRestore();
        await server.stop();
      }
    });
  });
});
