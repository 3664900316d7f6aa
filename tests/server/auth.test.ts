import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type Running, startServer, testConfig } from './helpers/harness';
import { sleep } from './helpers/api';

/** Key names in order, each with its JSON type: what tells two answers apart without their values. */
const shapeOf = (value: Record<string, unknown>) => Object.entries(value).map(([key, v]) => [key, typeof v]);

describe.each(backends)('accounts and sessions (%s)', (backend) => {
  let s: Running;
  /** Every statement the server runs. */
  const statements: string[] = [];
  beforeAll(async () => {
    s = await startServer(backend, undefined, { logQuery: (query) => statements.push(query) });
  });
  afterAll(async () => s?.stop());

  /** What the extension registers for a new vault, exactly (key order included). */
  const kdf = { name: 'Argon2id', memoryKiB: 65536, passes: 3, parallelism: 4, salt: 'AAECAwQFBgcICQoLDA0ODw==' };
  /** What older vaults registered. */
  const pbkdf2 = { name: 'PBKDF2-HMAC-SHA256', iterations: 600000, salt: 'DwAODQwLCgkIBwYFBAMCAQ==' };
  const keys = { vault_key: 'wrapped-vault-key-ciphertext' };

  it('registers, creating a personal org owned by the user', async () => {
    const email = `Reg-${Date.now()}@Example.test`;
    const res = await s.api.post('/api/v1/auth/register', { body: { email, password: 'correct horse', kdf, keys } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ user_id: expect.any(String), org_id: expect.any(String) });

    const token = await s.api.login(email.toLowerCase(), 'correct horse');
    const m = await s.api.get('/api/v1/org/memberships', { token });
    expect(m.status).toBe(200);
    expect(m.body).toEqual({
      active_org_id: res.body.org_id,
      memberships: [{ org_id: res.body.org_id, name: 'Personal', role: 'owner' }],
    });
  });

  it('refuses a duplicate e-mail (any case) with 409', async () => {
    const a = await s.api.signup('dup');
    const res = await s.api.post('/api/v1/auth/register', { body: { email: a.email.toUpperCase(), password: 'whatever1' } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
  });

  it('two simultaneous registrations of one e-mail: one 201, one 409, never a 500', async () => {
    const email = `race-${Date.now()}@example.test`;
    const replies = await Promise.all(
      [1, 2, 3].map(() => s.api.post('/api/v1/auth/register', { body: { email, password: 'long enough' } })),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });

  it.each([
    [{ email: 'not-an-email', password: 'long enough' }, 'email'],
    [{ email: 'ok@example.test', password: 'short' }, 'password'],
    [{ email: 'ok@example.test' }, 'password'],
    [{ email: 'ok@example.test', password: 'long enough', kdf: 'nope' }, 'kdf'],
  ])('rejects a bad registration %j with 400 naming the field', async (body, field) => {
    const res = await s.api.post('/api/v1/auth/register', { body });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(field);
    const login = await s.api.post('/api/v1/auth/login', { body: { email: 'ok@example.test', password: 'long enough' } });
    expect(login.status).toBe(401); // nothing was created
  });

  it('rejects malformed JSON with 400', async () => {
    const res = await s.api.post('/api/v1/auth/register', { raw: '{"email": "a@b.c", ' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('malformed_json');
  });

  it('prelogin returns the stored kdf, and stable made-up parameters for unknown e-mails', async () => {
    const a = await s.api.signup('pre', { kdf });
    const known = await s.api.get(`/api/v1/auth/prelogin?email=${encodeURIComponent(a.email)}`);
    expect(known.status).toBe(200);
    expect(known.body).toEqual({ kdf });

    const unknownEmail = `nobody-${Date.now()}@example.test`;
    const first = await s.api.get(`/api/v1/auth/prelogin?email=${encodeURIComponent(unknownEmail)}`);
    const again = await s.api.get(`/api/v1/auth/prelogin?email=${encodeURIComponent(unknownEmail.toUpperCase())}`);
    const other = await s.api.get(`/api/v1/auth/prelogin?email=other-${Date.now()}@example.test`);
    expect(first.status).toBe(200);
    expect(first.body.kdf).toEqual({ name: 'Argon2id', memoryKiB: 65536, passes: 3, parallelism: 4, salt: expect.any(String) });
    expect(Buffer.from(first.body.kdf.salt, 'base64')).toHaveLength(16);
    expect(again.body).toEqual(first.body);
    expect(other.body.kdf.salt).not.toBe(first.body.kdf.salt);
  });

  it('prelogin: a made-up answer has the shape of a real one (keys, their order, value types)', async () => {
    const real = await s.api.signup('shape', { kdf });
    const withoutKdf = await s.api.signup('no-kdf');
    const prelogin = async (address: string) => {
      const res = await s.api.get(`/api/v1/auth/prelogin?email=${encodeURIComponent(address)}`);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(['kdf']);
      return res.body.kdf as Record<string, unknown>;
    };
    const realAnswer = await prelogin(real.email);
    expect(realAnswer).toEqual(kdf);
    expect(shapeOf(realAnswer)).toEqual(shapeOf(kdf)); // stored as jsonb, sent back in the order registered
    for (const madeUp of [await prelogin(`ghost-${Date.now()}@example.test`), await prelogin(withoutKdf.email)]) {
      expect(shapeOf(madeUp)).toEqual(shapeOf(realAnswer));
      expect(shapeOf(madeUp)).toEqual([
        ['name', 'string'],
        ['memoryKiB', 'number'],
        ['passes', 'number'],
        ['parallelism', 'number'],
        ['salt', 'string'],
      ]);
      expect(madeUp).toMatchObject({ name: 'Argon2id', memoryKiB: 65536, passes: 3, parallelism: 4 });
      expect(madeUp.salt).toMatch(/^[A-Za-z0-9+/]{22}==$/); // 16 bytes, base64 like the client's
      expect(madeUp.salt).not.toBe(realAnswer.salt);
    }
    // An older vault's PBKDF2 parameters come back as registered too.
    const older = await s.api.signup('older', { kdf: pbkdf2 });
    const olderAnswer = await prelogin(older.email);
    expect(olderAnswer).toEqual(pbkdf2);
    expect(Object.keys(olderAnswer)).toEqual(['name', 'iterations', 'salt']);
  });

  it('prelogin runs the same statements for a known and an unknown e-mail', async () => {
    const known = await s.api.signup('same-path', { kdf });
    const withoutKdf = await s.api.signup('same-path-no-kdf');
    const statementsFor = async (address: string) => {
      statements.length = 0;
      expect((await s.api.get(`/api/v1/auth/prelogin?email=${encodeURIComponent(address)}`)).status).toBe(200);
      return [...statements];
    };
    const forKnown = await statementsFor(known.email);
    expect(forKnown.length).toBeGreaterThan(0);
    expect(await statementsFor(`nobody-${Date.now()}@example.test`)).toEqual(forKnown);
    expect(await statementsFor(withoutKdf.email)).toEqual(forKnown);
  });

  it('prelogin without a valid e-mail is 400', async () => {
    expect((await s.api.get('/api/v1/auth/prelogin')).status).toBe(400);
    expect((await s.api.get('/api/v1/auth/prelogin?email=nope')).status).toBe(400);
  });

  it('logs in with a 256-bit bearer token and returns the stored keys', async () => {
    const a = await s.api.signup('login', { kdf, keys });
    const res = await s.api.post('/api/v1/auth/login', { body: { email: a.email, password: a.password } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600, keys });
    expect(Buffer.from(res.body.access_token, 'base64url').length).toBeGreaterThanOrEqual(32);
    const other = await s.api.login(a.email, a.password);
    expect(other).not.toBe(res.body.access_token);
  });

  it('answers a wrong password and an unknown e-mail with the same 401', async () => {
    const a = await s.api.signup('wrong');
    const wrong = await s.api.post('/api/v1/auth/login', { body: { email: a.email, password: 'not-it-at-all' } });
    const unknown = await s.api.post('/api/v1/auth/login', {
      body: { email: `ghost-${Date.now()}@example.test`, password: 'not-it-at-all' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });

  it('rejects a login body without fields with 400', async () => {
    expect((await s.api.post('/api/v1/auth/login', { body: {} })).status).toBe(400);
    expect((await s.api.post('/api/v1/auth/login', { body: [] })).status).toBe(400);
  });

  it('logout revokes only that token', async () => {
    const a = await s.api.signup('logout');
    const second = await s.api.login(a.email, a.password);
    const out = await s.api.post('/api/v1/auth/logout', { token: a.token });
    expect(out.status).toBe(204);
    const after = await s.api.get('/api/v1/org/memberships', { token: a.token });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthorized');
    expect((await s.api.post('/api/v1/auth/logout', { token: a.token })).status).toBe(401);
    expect((await s.api.get('/api/v1/org/memberships', { token: second })).status).toBe(200);
  });

  it('needs a token for logout and memberships', async () => {
    expect((await s.api.post('/api/v1/auth/logout')).status).toBe(401);
    expect((await s.api.get('/api/v1/org/memberships')).status).toBe(401);
    const garbage = await s.api.get('/api/v1/org/memberships', { token: 'x'.repeat(43) });
    expect(garbage.status).toBe(401);
    const basic = await s.api.get('/api/v1/org/memberships', { headers: { authorization: 'Basic abc' } });
    expect(basic.status).toBe(401);
  });
});

describe.each(backends)('token expiry (%s)', (backend) => {
  let s: Running;
  beforeAll(async () => {
    s = await startServer(backend, testConfig({ tokenTtlSeconds: 1 }));
  });
  afterAll(async () => s?.stop());

  it('a token stops working after its lifetime', async () => {
    const a = await s.api.signup('expiry');
    const login = await s.api.post('/api/v1/auth/login', { body: { email: a.email, password: a.password } });
    expect(login.body.expires_in).toBe(1);
    expect((await s.api.get('/api/v1/org/memberships', { token: login.body.access_token })).status).toBe(200);
    await sleep(1200);
    const late = await s.api.get('/api/v1/org/memberships', { token: login.body.access_token });
    expect(late.status).toBe(401);
  });
});
