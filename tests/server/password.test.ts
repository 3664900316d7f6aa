import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, SyncApi } from '../../lib/sync/client';
import { users } from '../../server/db/schema';
import type { Account } from './helpers/api';
import { backends, type Running, startServer, testConfig } from './helpers/harness';

/** Three failures lock an account from one address for a minute: enough to see the count, never waited out. */
const config = testConfig({ login: { maxFailures: 3, lockBaseSeconds: 60, lockMaxSeconds: 60 } });

/** What the extension registers (lib/sync/account-link.ts, kdfToWire), and what it sends after a change. */
const oldKdf = { name: 'Argon2id', memoryKiB: 65536, passes: 3, parallelism: 4, salt: 'AAECAwQFBgcICQoLDA0ODw==' };
const newKdf = { name: 'Argon2id', memoryKiB: 131072, passes: 4, parallelism: 4, salt: 'EBESExQVFhcYGRobHB0eHw==' };
const oldKeys = { accountId: 'acc-1', wrappedVaultKey: 'wrapped-under-old-master-key' };
const newKeys = { accountId: 'acc-1', wrappedVaultKey: 'wrapped-under-new-master-key' };
const newSecret = 'new-auth-secret-0123456789abcdef';

describe.each(backends)('POST /api/v1/auth/password (%s)', (backend) => {
  let s: Running;
  beforeAll(async () => {
    s = await startServer(backend, config);
  });
  afterAll(async () => s?.stop());

  const signup = (prefix: string) => s.api.signup(prefix, { kdf: oldKdf, keys: oldKeys });
  const change = (token: string | undefined, body: Record<string, unknown>) => s.api.post('/api/v1/auth/password', { token, body });
  const changeBody = (a: Account, extra: Record<string, unknown> = {}) => ({
    current_password: a.password,
    password: newSecret,
    kdf: newKdf,
    keys: newKeys,
    ...extra,
  });
  const login = (email: string, password: string) => s.api.post('/api/v1/auth/login', { body: { email, password } });
  const prelogin = async (email: string) => (await s.api.get(`/api/v1/auth/prelogin?email=${encodeURIComponent(email)}`)).body;
  const tokenWorks = async (token: string) => (await s.api.get('/api/v1/org/memberships', { token })).status;
  const storedHash = async (userId: string) =>
    (await s.database.db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId)))[0]!.hash;

  /** The account as it was registered: old secret signs in with the old keys, prelogin gives the old kdf. */
  const expectUnchanged = async (a: Account) => {
    expect(await prelogin(a.email)).toEqual({ kdf: oldKdf });
    expect((await login(a.email, newSecret)).status).toBe(401);
    const res = await login(a.email, a.password); // last: a success clears the failure just counted
    expect(res.status).toBe(200);
    expect(res.body.keys).toEqual(oldKeys);
  };

  it('replaces hash, kdf and keys, revokes the other live tokens and keeps the caller signed in', async () => {
    const a = await signup('change');
    const bystander = await signup('bystander');
    const otherDevice = await s.api.login(a.email, a.password);
    const loggedOut = await s.api.login(a.email, a.password);
    expect((await s.api.post('/api/v1/auth/logout', { token: loggedOut })).status).toBe(204);
    const hashBefore = await storedHash(a.userId);

    const res = await change(a.token, changeBody(a));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ revoked_sessions: 1 }); // the other device; the logged-out token was already dead

    expect(await tokenWorks(a.token)).toBe(200);
    expect(await tokenWorks(otherDevice)).toBe(401);
    expect(await tokenWorks(bystander.token)).toBe(200);

    expect(await prelogin(a.email)).toEqual({ kdf: newKdf });
    expect((await login(a.email, a.password)).status).toBe(401);
    const fresh = await login(a.email, newSecret);
    expect(fresh.status).toBe(200);
    expect(fresh.body.keys).toEqual(newKeys);

    const hashAfter = await storedHash(a.userId);
    expect(hashAfter).not.toBe(hashBefore);
    expect(hashAfter).toMatch(/^hmac-sha256\$/);
    // The other account is untouched.
    expect(await prelogin(bystander.email)).toEqual({ kdf: oldKdf });
    expect((await login(bystander.email, bystander.password)).status).toBe(200);
  });

  it('a wrong current password: 401 shaped like a failed login, nothing changed, and it counts toward the lockout', async () => {
    const a = await signup('wrong-current');
    const otherDevice = await s.api.login(a.email, a.password);
    // An unknown e-mail: the same answer as a wrong password (auth.test.ts), without counting against this account.
    const failedLogin = await login(`ghost-${Date.now()}@example.test`, 'not-the-secret');
    expect(failedLogin.status).toBe(401);

    const res = await change(a.token, changeBody(a, { current_password: 'not-the-secret' }));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: failedLogin.body.error.code, message: expect.any(String) } });
    expect(res.body.error.code).toBe('unauthorized');

    expect(await tokenWorks(a.token)).toBe(200);
    expect(await tokenWorks(otherDevice)).toBe(200);
    await expectUnchanged(a); // a success: the pair's count starts again from zero

    // Three failures, whether at login or here, lock this account from this address: the change
    // itself and the login both answer 429, even with the right secret.
    expect((await login(a.email, 'not-the-secret')).status).toBe(401);
    expect((await change(a.token, changeBody(a, { current_password: 'not-the-secret' }))).status).toBe(401);
    expect((await change(a.token, changeBody(a, { current_password: 'still-not-it' }))).status).toBe(401);
    const locked = await change(a.token, changeBody(a));
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await login(a.email, a.password)).status).toBe(429);
    expect(await prelogin(a.email)).toEqual({ kdf: oldKdf });
  });

  it('a right current password resets the failure count, as a login does', async () => {
    const a = await signup('reset-count');
    for (let i = 0; i < 2; i++) expect((await change(a.token, changeBody(a, { current_password: 'nope' }))).status).toBe(401);
    expect((await change(a.token, changeBody(a))).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await login(a.email, 'nope')).status).toBe(401);
    expect((await login(a.email, newSecret)).status).toBe(200);
  });

  it('needs a live bearer token', async () => {
    const a = await signup('no-token');
    expect((await change(undefined, changeBody(a))).status).toBe(401);
    expect((await change('x'.repeat(43), changeBody(a))).status).toBe(401);
    const revoked = await s.api.login(a.email, a.password);
    await s.api.post('/api/v1/auth/logout', { token: revoked });
    const res = await change(revoked, changeBody(a));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
    await expectUnchanged(a);
  });

  it.each([
    ['Argon2id memory below 19 MiB', { kdf: { ...newKdf, memoryKiB: 1024 } }, 'kdf.memoryKiB'],
    ['Argon2id with one pass', { kdf: { ...newKdf, passes: 1 } }, 'kdf.passes'],
    ['Argon2id memory above the cap', { kdf: { ...newKdf, memoryKiB: 4_194_304 } }, 'kdf.memoryKiB'],
    ['PBKDF2 below 600,000 iterations', { kdf: { name: 'PBKDF2-HMAC-SHA256', iterations: 100_000, salt: newKdf.salt } }, 'kdf.iterations'],
    ['a salt of 8 bytes', { kdf: { ...newKdf, salt: 'AAECAwQFBgc=' } }, 'kdf.salt'],
    ['an unknown KDF', { kdf: { name: 'MD5', salt: newKdf.salt } }, 'kdf.name'],
    ['no kdf', { kdf: undefined }, 'kdf'],
    ['no keys', { keys: undefined }, 'keys'],
    ['a new password under 8 characters', { password: 'short' }, 'password'],
    ['no current password', { current_password: undefined }, 'current_password'],
  ])('refuses %s with 400 naming the field, changing nothing', async (_, extra, field) => {
    const a = await signup('weak');
    const res = await change(a.token, changeBody(a, extra));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
    expect(res.body.error.message.startsWith(`${field}:`)).toBe(true);
    await expectUnchanged(a);
  });

  it("accepts an older vault's PBKDF2 parameters at or above the floor", async () => {
    const a = await signup('pbkdf2');
    const pbkdf2 = { name: 'PBKDF2-HMAC-SHA256', iterations: 600_000, salt: newKdf.salt };
    expect((await change(a.token, changeBody(a, { kdf: pbkdf2 }))).status).toBe(200);
    expect(await prelogin(a.email)).toEqual({ kdf: pbkdf2 });
  });

  it('two changes at once with the same current password: exactly one lands, whole', async () => {
    const a = await signup('race');
    const secrets = ['race-secret-number-one', 'race-secret-number-two'];
    const replies = await Promise.all(
      secrets.map((password, i) => change(a.token, changeBody(a, { password, keys: { ...newKeys, wrappedVaultKey: `key-${i}` } }))),
    );
    const winners = replies.flatMap((r, i) => (r.status === 200 ? [i] : []));
    expect(winners).toHaveLength(1);
    const loser = replies[1 - winners[0]!]!;
    expect([401, 409]).toContain(loser.status); // checked after the commit, or raced it to the update
    const won = await login(a.email, secrets[winners[0]!]!);
    expect(won.status).toBe(200);
    expect(won.body.keys).toEqual({ ...newKeys, wrappedVaultKey: `key-${winners[0]}` });
    expect((await login(a.email, secrets[1 - winners[0]!]!)).status).toBe(401);
  });

  it('SyncApi.changePassword sends the change and surfaces a wrong current password as ApiError 401', async () => {
    const a = await signup('client');
    const other = await s.api.login(a.email, a.password);
    const api = new SyncApi(s.url);
    const body = { current_password: 'nope', password: newSecret, kdf: newKdf, keys: newKeys };
    const wrong = await api.changePassword({ token: a.token }, body).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(ApiError);
    expect(wrong).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(await api.changePassword({ token: a.token }, { ...body, current_password: a.password })).toEqual({ revoked_sessions: 1 });
    expect(await tokenWorks(other)).toBe(401);
    const { keys } = await api.login({ email: a.email, password: newSecret });
    expect(keys).toEqual(newKeys);
  });
});
