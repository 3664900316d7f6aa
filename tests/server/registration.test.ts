/** Registration: the kdf held to the client's bounds, the open/invite/closed modes, and its rate limits. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ARGON2_LIMITS, KDF_MAX_ITERATIONS, KDF_MIN_ITERATIONS } from '../../lib/vault/kdf-params';
import { loadSettings } from '../../server/config';
import { createInvite, setRegistrationMode } from '../../server/auth/registration';
import { housekeeping } from '../../server/housekeeping';
import { backends, type Running, startServer, testConfig } from './helpers/harness';

const salt = 'AAECAwQFBgcICQoLDA0ODw==';
const argon2 = { name: 'Argon2id', memoryKiB: 65536, passes: 3, parallelism: 4, salt };

const countUsers = async (s: Running) => {
  const result = await s.database.db.execute(sql`select count(*)::int as n from users`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { n: number }[];
  return rows[0]!.n;
};

describe.each(backends)('registration kdf (%s)', (backend) => {
  let s: Running;
  beforeAll(async () => {
    s = await startServer(backend);
  });
  afterAll(async () => s?.stop());

  const register = (kdf: unknown) =>
    s.api.post('/api/v1/auth/register', { body: { email: `kdf-${Math.random()}@example.test`, password: 'long enough', kdf } });

  it("refuses a kdf outside the extension's floors and caps, storing nothing", async () => {
    const before = await countUsers(s);
    const bad: unknown[] = [
      { name: 'PBKDF2-HMAC-SHA256', iterations: 1, salt },
      { name: 'PBKDF2-HMAC-SHA256', iterations: KDF_MIN_ITERATIONS - 1, salt },
      { name: 'PBKDF2-HMAC-SHA256', iterations: KDF_MAX_ITERATIONS + 1, salt },
      { ...argon2, memoryKiB: ARGON2_LIMITS.memoryKiB.min - 1 },
      { ...argon2, passes: ARGON2_LIMITS.passes.max + 1 },
      { ...argon2, salt: 'c2hvcnQ=' },
      { ...argon2, name: 'scrypt' },
      { name: 'Argon2id' },
      'Argon2id',
    ];
    for (const kdf of bad) {
      const res = await register(kdf);
      expect(res.status, JSON.stringify(kdf)).toBe(400);
      expect(res.body.error.code).toBe('invalid_input');
      expect(res.body.error.message).toMatch(/^kdf/);
    }
    expect(await countUsers(s)).toBe(before);
  });

  it('accepts the shapes the extension sends, and none', async () => {
    expect((await register(argon2)).status).toBe(201);
    expect((await register({ name: 'PBKDF2-HMAC-SHA256', iterations: KDF_MIN_ITERATIONS, salt })).status).toBe(201);
    expect((await register(undefined)).status).toBe(201);
  });
});

describe.each(backends)('registration modes (%s)', (backend) => {
  let s: Running;
  /** Every statement the server runs, to see whether a request looked at the users table. */
  const statements: string[] = [];
  beforeAll(async () => {
    s = await startServer(backend, testConfig({ registration: { mode: 'invite' } }), { logQuery: (query) => statements.push(query) });
  });
  afterAll(async () => s?.stop());

  const register = (email: string, invite?: string) =>
    s.api.post('/api/v1/auth/register', { body: { email, password: 'long enough', invite } });

  it('invite: refuses without a valid invite, the same way for a taken and a free e-mail, before touching users', async () => {
    const { code } = await createInvite(s.database.db);
    const taken = `taken-${Date.now()}@example.test`;
    expect((await register(taken, code)).status).toBe(201);
    const before = await countUsers(s);
    for (const invite of [undefined, 'not-an-invite', code /* used up */]) {
      statements.length = 0;
      const [forTaken, forFree] = [await register(taken, invite), await register(`free-${Math.random()}@example.test`, invite)];
      expect(forTaken.status).toBe(403);
      expect(forTaken.body).toEqual(forFree.body);
      expect(forTaken.body.error.code).toBe('invite_required');
      // Nothing read the e-mail: a taken and a free one cannot differ in time either.
      expect(statements.filter((q) => /"users"/.test(q))).toEqual([]);
    }
    expect(await countUsers(s)).toBe(before);
  });

  it('invite: a code opens one account and is stored only as a hash', async () => {
    const { code, expiresAt } = await createInvite(s.database.db);
    expect(code).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600 * 1000);
    const result = await s.database.db.execute(sql`select hash from invites`);
    expect(JSON.stringify(result)).not.toContain(code);
    const email = `invited-${Date.now()}@example.test`;
    expect((await register(email, code)).status).toBe(201);
    expect(await s.api.login(email, 'long enough')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await register(`second-${Date.now()}@example.test`, code)).status).toBe(403);
  });

  it('invite: an expired code opens nothing, and housekeeping drops it', async () => {
    const { code } = await createInvite(s.database.db, 1);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await register(`late-${Date.now()}@example.test`, code)).status).toBe(403);
    const done = await housekeeping(s.database.db, s.config);
    expect(done.invites).toBeGreaterThanOrEqual(1);
  });

  it('closed: refuses everyone, taken and free alike; an operator can change the mode while it runs', async () => {
    await setRegistrationMode(s.database.db, 'closed');
    const { code } = await createInvite(s.database.db);
    statements.length = 0;
    const closed = await register(`closed-${Date.now()}@example.test`, code);
    expect(closed.status).toBe(403);
    expect(closed.body.error.code).toBe('registration_closed');
    expect(statements.filter((q) => /"users"/.test(q))).toEqual([]);
    await setRegistrationMode(s.database.db, 'open');
    const email = `open-${Date.now()}@example.test`;
    expect((await register(email)).status).toBe(201);
    // Open registration tells a taken e-mail (documented in docs/server.md).
    expect((await register(email)).status).toBe(409);
    await setRegistrationMode(s.database.db, 'invite');
    expect((await register(`again-${Date.now()}@example.test`)).status).toBe(403);
  });

  it('reads KEYSMITH_REGISTRATION, and refuses anything else', () => {
    expect(loadSettings({}).config.registration.mode).toBe('open');
    expect(loadSettings({ KEYSMITH_REGISTRATION: 'invite' }).config.registration.mode).toBe('invite');
    expect(loadSettings({ KEYSMITH_REGISTRATION: 'Closed' }).config.registration.mode).toBe('closed');
    expect(() => loadSettings({ KEYSMITH_REGISTRATION: 'sometimes' })).toThrow(
      'KEYSMITH_REGISTRATION must be open, invite or closed, got "sometimes"',
    );
  });
});

describe.each(backends)('registration limits (%s)', (backend) => {
  it('limits sign-ups per address (an IPv6 client: its /64) and across the server, with Retry-After', async () => {
    const s = await startServer(backend, testConfig({ trustProxy: 1, registration: { perAddress: 2, perServer: 4, windowSeconds: 3600 } }));
    try {
      const from = (xff: string) =>
        s.api.post('/api/v1/auth/register', {
          body: { email: `lim-${Math.random()}@example.test`, password: 'long enough' },
          headers: { 'x-forwarded-for': xff },
        });
      const statuses = [];
      for (const xff of ['2001:db8:5:1::1', '2001:db8:5:1::2', '2001:db8:5:1::3']) statuses.push((await from(xff)).status);
      expect(statuses).toEqual([201, 201, 429]);
      expect((await from('203.0.113.1')).status).toBe(201);
      expect((await from('203.0.113.2')).status).toBe(201);
      const overServer = await from('203.0.113.3');
      expect(overServer.status).toBe(429); // the 5th attempt that reached the server-wide count
      expect(Number(overServer.headers.get('retry-after'))).toBeGreaterThan(3000);
      // Sign-ins are not held back by the sign-up limit.
      expect((await s.api.get('/healthz')).status).toBe(200);
    } finally {
      await s.stop();
    }
  });
});

describe.each(backends)('invites and a failed registration (%s)', (backend) => {
  it('hands the invite back when the account could not be created (the database refused it), and uses it up on a taken e-mail', async () => {
    const s = await startServer(backend, testConfig({ registration: { mode: 'invite' } }));
    try {
      const { code } = await createInvite(s.database.db);
      const email = `refused-${Date.now()}@example.test`;
      // The database refuses this one account's row, as a full disk or a lost connection would.
      await s.database.db.execute(sql.raw(`ALTER TABLE users ADD CONSTRAINT test_refuse CHECK (email <> '${email}')`));
      const refused = await s.api.post('/api/v1/auth/register', { body: { email, password: 'long enough', invite: code } });
      expect(refused.status).toBe(500);
      await s.database.db.execute(sql.raw('ALTER TABLE users DROP CONSTRAINT test_refuse'));
      expect((await s.api.post('/api/v1/auth/register', { body: { email, password: 'long enough', invite: code } })).status).toBe(201);

      // A taken e-mail: 409, and that invite is spent (one question per invite).
      const other = await createInvite(s.database.db);
      expect((await s.api.post('/api/v1/auth/register', { body: { email, password: 'long enough', invite: other.code } })).status).toBe(
        409,
      );
      expect(
        (
          await s.api.post('/api/v1/auth/register', {
            body: { email: `n-${Date.now()}@example.test`, password: 'long enough', invite: other.code },
          })
        ).status,
      ).toBe(403);
    } finally {
      await s.stop();
    }
  });
});
